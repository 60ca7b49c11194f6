using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Suite.ServiceDefaults;

/// <summary>
/// A finished span as written to <c>telemetry.spans</c>, copied out of the Activity on the request
/// thread (cheap: no serialisation) and turned into JSON later on the export thread.
/// </summary>
internal sealed record SpanRecord(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Scope,
    string Name,
    string Kind,
    DateTime StartTime,
    double DurationMs,
    string Status,
    string? StatusDescription,
    KeyValuePair<string, object?>[] Attributes,
    SpanRecord.Event[] Events)
{
    public sealed record Event(string Name, DateTimeOffset Time, KeyValuePair<string, object?>[] Attributes);

    public static SpanRecord From(Activity activity) => new(
        activity.TraceId.ToHexString(),
        activity.SpanId.ToHexString(),
        activity.ParentSpanId == default ? null : activity.ParentSpanId.ToHexString(),
        activity.Source.Name,
        activity.DisplayName,
        activity.Kind.ToString().ToLowerInvariant(),
        activity.StartTimeUtc,
        activity.Duration.TotalMilliseconds,
        activity.Status.ToString().ToLowerInvariant(),
        activity.StatusDescription,
        Copy(activity.EnumerateTagObjects()),
        activity.Events.Select(e => new Event(e.Name, e.Timestamp, Copy(e.EnumerateTagObjects()))).ToArray());

    private static KeyValuePair<string, object?>[] Copy(Activity.Enumerator<KeyValuePair<string, object?>> tags)
    {
        var copy = new List<KeyValuePair<string, object?>>();
        foreach (var tag in tags)
        {
            if (!SecretAttributes.IsSecret(tag.Key))
            {
                copy.Add(tag);
            }
        }

        return [.. copy];
    }

    public string AttributesJson(int maxLength)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteAttributes(writer, Attributes, maxLength);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public string? EventsJson(int maxLength)
    {
        if (Events.Length == 0)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var e in Events)
            {
                writer.WriteStartObject();
                writer.WriteString("name", e.Name);
                writer.WriteString("time", e.Time);
                writer.WritePropertyName("attributes");
                WriteAttributes(writer, e.Attributes, maxLength);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteAttributes(Utf8JsonWriter writer, KeyValuePair<string, object?>[] attributes, int maxLength)
    {
        writer.WriteStartObject();
        foreach (var (key, value) in attributes)
        {
            writer.WritePropertyName(key);
            WriteValue(writer, value, maxLength);
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value, int maxLength)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(SecretAttributes.LooksSecret(s) ? SecretAttributes.Redacted : Cut(s, maxLength));
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case int or long or short or byte or sbyte or ushort or uint:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong u:
                writer.WriteNumberValue(u);
                break;
            case double or float or decimal:
                var d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                // JSON has no NaN or infinity.
                if (double.IsFinite(d))
                {
                    writer.WriteNumberValue(d);
                }
                else
                {
                    writer.WriteStringValue(d.ToString(CultureInfo.InvariantCulture));
                }

                break;
            case System.Collections.IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    WriteValue(writer, item, maxLength);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Cut(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "", maxLength));
                break;
        }
    }

    private static string Cut(string value, int maxLength) => value.Length <= maxLength ? value : string.Concat(value.AsSpan(0, maxLength), "…");
}

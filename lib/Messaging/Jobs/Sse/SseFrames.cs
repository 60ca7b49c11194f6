using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Suite.Redis;

namespace Suite.Messaging;

/// <summary>
/// Writes job events as Server-Sent Events: <c>id:</c> the entry id, <c>event:</c> the type, <c>data:</c>
/// <c>{"type":…,"attempt":…,"data":…}</c> with the stored JSON copied in as bytes, not re-serialized.
/// </summary>
internal static class SseFrames
{
    private static readonly byte[] KeepAliveComment = ": keep-alive\n\n"u8.ToArray();

    public static void WriteKeepAlive(PipeWriter writer) => writer.Write(KeepAliveComment);

    /// <summary>An SSE comment line (ignored by clients, seen in raw captures).</summary>
    public static void WriteComment(PipeWriter writer, string text)
    {
        Ascii(writer, ": ");
        Ascii(writer, text.ReplaceLineEndings(" "));
        Ascii(writer, "\n\n");
    }

    /// <summary>Writes one event; true when it is the job's terminal status event.</summary>
    public static bool WriteEvent(PipeWriter writer, StreamEntry entry)
    {
        var type = entry["type"].ToString();
        var data = entry["data"].AsMemory();
        Ascii(writer, "id: ");
        Ascii(writer, entry.Id);
        Ascii(writer, "\nevent: ");
        Ascii(writer, type);
        Ascii(writer, "\ndata: {\"type\":");
        Ascii(writer, JsonSerializer.Serialize(type));
        Ascii(writer, ",\"attempt\":");
        Ascii(writer, JobStreams.AttemptOf(entry).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Ascii(writer, ",\"data\":");
        WriteData(writer, data.Span);
        Ascii(writer, "}\n\n");
        return type == JobEventTypes.Status && IsTerminal(data.Span);
    }

    private static void WriteData(PipeWriter writer, ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty)
        {
            Ascii(writer, "null");
            return;
        }
        if (json.IndexOfAny((byte)'\n', (byte)'\r') < 0)
        {
            writer.Write(json);
            return;
        }
        // JSON written by something other than JobContext may be indented: a line break inside data
        // would end the SSE field, so each line goes on its own data: line (clients join them with \n).
        var text = Encoding.UTF8.GetString(json).ReplaceLineEndings("\n");
        writer.Write(Encoding.UTF8.GetBytes(text.Replace("\n", "\ndata: ", StringComparison.Ordinal)));
    }

    private static bool IsTerminal(ReadOnlySpan<byte> data)
    {
        try
        {
            var reader = new Utf8JsonReader(data);
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("status"u8))
                {
                    reader.Read();
                    return reader.TokenType == JsonTokenType.String && JobStatusText.IsTerminal(reader.GetString()!);
                }
            }
        }
        catch (JsonException)
        {
        }
        return false;
    }

    private static void Ascii(PipeWriter writer, string text)
    {
        var span = writer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        writer.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}

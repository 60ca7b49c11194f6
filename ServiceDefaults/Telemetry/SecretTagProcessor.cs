using System.Diagnostics;
using OpenTelemetry;

namespace Suite.ServiceDefaults;

/// <summary>
/// Removes secret attributes from every span before any exporter sees it (OTLP included); the
/// PostgreSQL exporter filters again on its own.
/// </summary>
internal sealed class SecretTagProcessor : BaseProcessor<Activity>
{
    public override void OnEnd(Activity activity)
    {
        List<(string Key, object? Value)>? changes = null;
        foreach (var tag in activity.EnumerateTagObjects())
        {
            if (SecretAttributes.IsSecret(tag.Key))
            {
                (changes ??= []).Add((tag.Key, null));
            }
            else if (tag.Value is string value && SecretAttributes.LooksSecret(value))
            {
                (changes ??= []).Add((tag.Key, SecretAttributes.Redacted));
            }
        }

        if (changes is null)
        {
            return;
        }

        // Setting a tag to null removes it; done after the loop, which must not see the list change.
        foreach (var (key, value) in changes)
        {
            activity.SetTag(key, value);
        }
    }
}

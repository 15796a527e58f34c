using System.Globalization;
using System.Text;
using System.Text.Json;
using ScriptMonitor.Alerts;
using ScriptMonitor.Health;

namespace ScriptMonitor.Application.Alerts;

/// <summary>
/// Webhook templates: a URL, a body or a header value with placeholders (<c>$NAME</c>, <c>$STATUS</c>…) replaced by
/// the event's values. The placeholders are Healthchecks' (so a webhook written for it works unchanged) and
/// ScriptMonitor's own. A placeholder is <c>$</c> and an upper-case word (letters, digits, underscores); any other
/// <c>$</c> is kept as it is, <c>$$</c> is one <c>$</c>, and an unknown word is refused when the channel is saved.
/// </summary>
internal static class AlertTemplate
{
    /// <summary>Where a template is used, which decides how values are escaped.</summary>
    internal enum Target
    {
        /// <summary>A request body: values as they are (the <c>_JSON</c> placeholders are the JSON-safe forms).</summary>
        Body,

        /// <summary>A URL: values percent-encoded, except <c>$STATUS</c>, which is a plain word.</summary>
        Url,

        /// <summary>A header value: characters beyond Latin-1 as XML character references, line breaks as spaces.</summary>
        Header,
    }

    /// <summary>Every placeholder, with what it stands for, in the order the documentation lists them.</summary>
    internal static readonly IReadOnlyList<(string Name, string Meaning)> Placeholders =
    [
        ("NAME", "the script's name"),
        ("NAME_JSON", "the script's name as a JSON string, quotes included"),
        ("SLUG", "the script's name (Healthchecks' slug)"),
        ("CODE", "the script's name (Healthchecks' check id; ScriptMonitor has none)"),
        ("STATUS", "up or down"),
        ("NOW", "when the state changed, ISO 8601 UTC without fraction"),
        ("TAGS", "the script's tags, separated by spaces"),
        ("TAG1", "the first tag ($TAG2 the second, …); empty when there is none"),
        ("JSON", "the whole event as JSON"),
        ("BODY", "the last run's output tail"),
        ("BODY_JSON", "the last run's output tail as a JSON string"),
        ("EXITSTATUS", "the last run's exit code; -1 when there is none"),
        ("EVENT_ID", "the notification's id, the same in every attempt"),
        ("KIND", "down, recovery, repeat, flapping or test"),
        ("STATE", "the state now (Late, Failing, Up…)"),
        ("PREVIOUS_STATE", "the state before; empty when there was none"),
        ("REASON", "the reason in plain words"),
        ("REASON_JSON", "the reason as a JSON string"),
        ("HOST", "the host the reason is about; empty for every host"),
        ("DUE", "when the missed run was due, ISO 8601 UTC; empty when not a deadline"),
        ("LAST_SUCCESS", "when the last successful run started, ISO 8601 UTC; empty when none"),
        ("DURATION", "the last run's duration in seconds; empty when it did not complete"),
        ("DOWN_FOR", "for a recovery, how long the script was down, in seconds; empty otherwise"),
        ("RUN_ID", "the last run's id; empty when none"),
        ("OUTPUT", "the last run's output tail (as $BODY)"),
        ("OUTPUT_JSON", "the last run's output tail as a JSON string"),
        ("TIME_ZONE", "the IANA zone times are told in"),
        ("LINK", "the script's page; empty when the server has no public address"),
    ];

    private static readonly HashSet<string> Known = [.. Placeholders.Select(p => p.Name)];

    /// <summary>The placeholders of a template that ScriptMonitor does not know, each once, in order.</summary>
    internal static IReadOnlyList<string> Unknown(string template)
    {
        var unknown = new List<string>();
        foreach (var (_, _, name) in Tokens(template))
        {
            if (!IsKnown(name) && !unknown.Contains("$" + name, StringComparer.Ordinal))
            {
                unknown.Add("$" + name);
            }
        }

        return unknown;
    }

    /// <summary>The template with every placeholder replaced by the event's value, escaped for where it goes.</summary>
    internal static string Render(string template, AlertEvent alert, Target target)
    {
        var text = new StringBuilder(template.Length + 64);
        var at = 0;
        foreach (var (start, length, name) in Tokens(template))
        {
            text.Append(template, at, start - at);
            var value = IsKnown(name) ? ValueOf(name, alert) : "$" + name;
            text.Append(name is "STATUS" or "$" || !IsKnown(name) ? value : Escape(value, target));
            at = start + length;
        }

        return text.Append(template, at, template.Length - at).ToString();
    }

    /// <summary>$STATUS: a script down (or still down, or flapping) is <c>down</c>, anything else <c>up</c>.</summary>
    internal static string Status(AlertEvent alert) => alert.Kind switch
    {
        NotificationKind.Down or NotificationKind.Repeat or NotificationKind.Flapping => "down",
        NotificationKind.Recovery => "up",
        _ => IsDown(alert.State) ? "down" : "up",
    };

    internal static bool IsDown(HealthState state) => state is HealthState.Late or HealthState.Missing or HealthState.Failing
        or HealthState.RunningTooLong or HealthState.RuntimeTooShort or HealthState.RuntimeTooLong or HealthState.TooRare
        or HealthState.TooOften or HealthState.Abandoned or HealthState.Skipped;

    private static bool IsKnown(string name) =>
        name == "$" || Known.Contains(name) || (name.Length > 3 && name.StartsWith("TAG", StringComparison.Ordinal) && name[3] != '0' && name[3..].All(char.IsAsciiDigit));

    private static string ValueOf(string name, AlertEvent alert) => name switch
    {
        "$" => "$",
        "NAME" or "SLUG" or "CODE" => alert.ScriptName,
        "NAME_JSON" => JsonString(alert.ScriptName),
        "STATUS" => Status(alert),
        "NOW" => Instant(alert.At),
        "TAGS" => string.Join(' ', alert.Tags),
        "JSON" => AlertJson.Serialize(alert),
        "BODY" or "OUTPUT" => alert.OutputTail ?? string.Empty,
        "BODY_JSON" or "OUTPUT_JSON" => JsonString(alert.OutputTail ?? string.Empty),
        "EXITSTATUS" => (alert.LastExitCode ?? -1).ToString(CultureInfo.InvariantCulture),
        "EVENT_ID" => alert.EventId.ToString("D"),
        "KIND" => alert.Kind.ToString().ToLowerInvariant(),
        "STATE" => alert.State.ToString(),
        "PREVIOUS_STATE" => alert.PreviousState?.ToString() ?? string.Empty,
        "REASON" => alert.Summary,
        "REASON_JSON" => JsonString(alert.Summary),
        "HOST" => alert.Hostname ?? string.Empty,
        "DUE" => alert.Facts.DueAt is { } due ? Instant(due) : string.Empty,
        "LAST_SUCCESS" => alert.Facts.LastSuccessAt is { } success ? Instant(success) : string.Empty,
        "DURATION" => Seconds(alert.LastRunDuration),
        "DOWN_FOR" => Seconds(alert.DownFor),
        "RUN_ID" => alert.LastRunId?.ToString("D") ?? string.Empty,
        "TIME_ZONE" => alert.TimeZone,
        "LINK" => alert.Link?.AbsoluteUri ?? string.Empty,
        _ when name.StartsWith("TAG", StringComparison.Ordinal) => Tag(alert, int.Parse(name.AsSpan(3), CultureInfo.InvariantCulture)),
        _ => "$" + name,
    };

    private static string Tag(AlertEvent alert, int number) => number <= alert.Tags.Count ? alert.Tags[number - 1] : string.Empty;

    /// <summary>An instant as Healthchecks' <c>$NOW</c>: UTC, whole seconds, <c>+00:00</c>.</summary>
    internal static string Instant(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan? value) =>
        value is { } duration ? Math.Round(duration.TotalSeconds, 3).ToString(CultureInfo.InvariantCulture) : string.Empty;

    private static string JsonString(string value) => JsonSerializer.Serialize(value, AlertJsonContext.Default.String);

    private static string Escape(string value, Target target) => target switch
    {
        Target.Url => Uri.EscapeDataString(value),
        Target.Header => HeaderValue(value),
        _ => value,
    };

    private static string HeaderValue(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var rune in value.ReplaceLineEndings(" ").EnumerateRunes())
        {
            if (rune.Value > 0xFF)
            {
                text.Append("&#").Append(rune.Value.ToString(CultureInfo.InvariantCulture)).Append(';');
            }
            else if (Rune.IsControl(rune))
            {
                text.Append(' ');
            }
            else
            {
                text.Append(rune.ToString());
            }
        }

        return text.ToString();
    }

    /// <summary>Each placeholder of a template: where it starts, its length with the <c>$</c>, its word.</summary>
    private static IEnumerable<(int Start, int Length, string Name)> Tokens(string template)
    {
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] != '$' || i + 1 >= template.Length)
            {
                continue;
            }

            if (template[i + 1] == '$')
            {
                // $$ is a literal $, for text such as "$$HOME" that would otherwise read as a placeholder.
                yield return (i, 2, "$");
                i++;
                continue;
            }

            if (!char.IsAsciiLetterUpper(template[i + 1]))
            {
                continue;
            }

            var end = i + 1;
            while (end < template.Length && (char.IsAsciiLetterUpper(template[end]) || char.IsAsciiDigit(template[end]) || template[end] == '_'))
            {
                end++;
            }

            yield return (i, end - i, template[(i + 1)..end]);
            i = end - 1;
        }
    }
}

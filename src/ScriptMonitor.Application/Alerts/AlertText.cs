using System.Globalization;
using System.Net;
using System.Text;
using ScriptMonitor.Alerts;
using ScriptMonitor.Health;

namespace ScriptMonitor.Application.Alerts;

/// <summary>
/// An event in plain words, as people read it in a chat message, an email or a webhook's <c>$REASON</c>: the script,
/// its state and why ("nightly-backup on db1 is late: due 02:30 +01:00 Europe/Berlin, last success 1d 1h ago"), times
/// in the script's zone with offset and zone name; recoveries say how long the script was down.
/// </summary>
internal static class AlertText
{
    /// <summary>How much of a run's output a message shows at most: its end.</summary>
    internal const int OutputTailCharacters = 1000;

    /// <summary>
    /// The one sentence of an event (<see cref="AlertEvent.Summary"/>): the script, on which host, what it is now and
    /// the facts behind it, times in <paramref name="timeZone"/>.
    /// </summary>
    /// <param name="kind">What the notification tells.</param>
    /// <param name="scriptName">The script.</param>
    /// <param name="state">Its state now.</param>
    /// <param name="facts">The reason's facts.</param>
    /// <param name="hostname">The host the reason is about; null for every host.</param>
    /// <param name="at">When the state changed (UTC).</param>
    /// <param name="timeZone">The IANA zone to tell times in.</param>
    /// <param name="downFor">For a recovery, how long it was down.</param>
    internal static string Summary(NotificationKind kind, string scriptName, HealthState state, HealthFacts facts, string? hostname, DateTimeOffset at, string timeZone, TimeSpan? downFor)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var zone = Zone(timeZone);
        var who = hostname is null ? scriptName : $"{scriptName} on {hostname}";
        var details = new List<string>();
        switch (state)
        {
            case HealthState.Late or HealthState.Missing or HealthState.TooRare:
                if (facts.DueAt is { } due)
                {
                    details.Add($"due {Time(due, at, zone)}");
                }

                if (state is HealthState.Missing or HealthState.TooRare && facts.ObservedCount is { } count)
                {
                    details.Add(state == HealthState.Missing
                        ? $"{count} runs missed"
                        : $"{count} runs in the window, {facts.LimitCount?.ToString(CultureInfo.InvariantCulture) ?? "more"} expected");
                }

                details.Add(facts.LastSuccessAt is { } success ? $"last success {Ago(at - success)}" : "no success yet");
                break;
            case HealthState.Failing:
                if (facts.ObservedCount is { } failures)
                {
                    details.Add(facts.LimitCount is { } tolerated ? $"{failures} failures in a row, {tolerated} tolerated" : $"{failures} failures in a row");
                }

                AddExitCode(details, facts);
                if (facts.LastSuccessAt is { } lastSuccess)
                {
                    details.Add($"last success {Ago(at - lastSuccess)}");
                }

                break;
            case HealthState.RunningTooLong:
                if (facts.ObservedDuration is { } running)
                {
                    details.Add($"running for {DurationText.Format(running, 2)}");
                }

                AddLimit(details, facts);
                AddStarted(details, facts, at, zone);
                break;
            case HealthState.RuntimeTooShort or HealthState.RuntimeTooLong:
                if (facts.ObservedDuration is { } took)
                {
                    details.Add($"took {DurationText.Format(took, 2)}");
                }

                AddLimit(details, facts);
                AddStarted(details, facts, at, zone);
                break;
            case HealthState.TooOften:
                if (facts.ObservedCount is { } runs)
                {
                    details.Add($"{runs} runs in the window, {facts.LimitCount?.ToString(CultureInfo.InvariantCulture) ?? "fewer"} expected");
                }

                break;
            case HealthState.Abandoned:
                AddStarted(details, facts, at, zone);
                details.Add("the run never completed");
                break;
            case HealthState.Skipped:
                if (facts.ObservedCount is { } skips)
                {
                    details.Add($"skipped {skips} times in a row");
                }

                break;
        }

        var words = kind switch
        {
            NotificationKind.Recovery => downFor is { } down ? $"is up again after {DurationText.Format(down, 2)} down" : "is up again",
            NotificationKind.Repeat => "is still " + StateWords(state),
            NotificationKind.Flapping => $"is flapping: its state changes too often (now {StateWords(state)}); told again once it is stable",
            NotificationKind.Test => "is a test notification from ScriptMonitor",
            _ => "is " + StateWords(state),
        };

        return kind is NotificationKind.Recovery or NotificationKind.Test or NotificationKind.Flapping || details.Count == 0
            ? $"{who} {words}"
            : $"{who} {words}: {string.Join(", ", details)}";
    }

    /// <summary>A short line for a subject or a title: "nightly-backup is late", "nightly-backup is up again".</summary>
    internal static string Headline(AlertEvent alert) => alert.Kind switch
    {
        NotificationKind.Recovery => $"{alert.ScriptName} is up again",
        NotificationKind.Repeat => $"{alert.ScriptName} is still {StateWords(alert.State)}",
        NotificationKind.Flapping => $"{alert.ScriptName} is flapping",
        NotificationKind.Test => $"Test notification for {alert.ScriptName}",
        _ => $"{alert.ScriptName} is {StateWords(alert.State)}",
    };

    /// <summary>The whole message as plain text: the summary, the last run, its output's end, the link and the event id.</summary>
    internal static string Plain(AlertEvent alert)
    {
        var text = new StringBuilder();
        text.Append(alert.Summary).Append("\n\n");
        foreach (var (label, value) in Fields(alert))
        {
            text.Append(label).Append(": ").Append(value).Append('\n');
        }

        if (Tail(alert.OutputTail) is { } output)
        {
            text.Append("\nOutput (its end):\n").Append(output).Append(output.EndsWith('\n') ? string.Empty : "\n");
        }

        return text.ToString();
    }

    /// <summary>The whole message as HTML, the same content as <see cref="Plain"/>.</summary>
    internal static string Html(AlertEvent alert)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><body style=\"font-family: sans-serif\">");
        html.Append("<p><strong>").Append(WebUtility.HtmlEncode(alert.Summary)).Append("</strong></p><table>");
        foreach (var (label, value) in Fields(alert))
        {
            html.Append("<tr><th align=\"left\">").Append(WebUtility.HtmlEncode(label)).Append("</th><td>");
            html.Append(label == "Link" ? $"<a href=\"{WebUtility.HtmlEncode(value)}\">{WebUtility.HtmlEncode(value)}</a>" : WebUtility.HtmlEncode(value));
            html.Append("</td></tr>");
        }

        html.Append("</table>");
        if (Tail(alert.OutputTail) is { } output)
        {
            html.Append("<p>Output (its end):</p><pre>").Append(WebUtility.HtmlEncode(output)).Append("</pre>");
        }

        return html.Append("</body></html>").ToString();
    }

    /// <summary>The labelled facts every message lists after its summary.</summary>
    internal static IReadOnlyList<(string Label, string Value)> Fields(AlertEvent alert)
    {
        var zone = Zone(alert.TimeZone);
        var fields = new List<(string, string)>
        {
            ("State", alert.PreviousState is { } previous ? $"{alert.State} (was {previous})" : alert.State.ToString()),
            ("At", $"{Time(alert.At, null, zone)} ({AlertTemplate.Instant(alert.At)})"),
        };
        if (alert.Hostname is { } host)
        {
            fields.Add(("Host", host));
        }

        if (alert.Tags.Count > 0)
        {
            fields.Add(("Tags", string.Join(' ', alert.Tags)));
        }

        if (alert.DownFor is { } down)
        {
            fields.Add(("Down for", DurationText.Format(down, 2)));
        }

        if (alert.LastExitCode is { } code)
        {
            fields.Add(("Exit code", code.ToString(CultureInfo.InvariantCulture)));
        }

        if (alert.LastRunDuration is { } took)
        {
            fields.Add(("Last run took", DurationText.Format(took, 2)));
        }

        if (alert.LastRunId is { } run)
        {
            fields.Add(("Run", run.ToString("D")));
        }

        if (alert.Link is { } link)
        {
            fields.Add(("Link", link.AbsoluteUri));
        }

        fields.Add(("Event", alert.EventId.ToString("D")));
        return fields;
    }

    /// <summary>The end of a run's output, at most <see cref="OutputTailCharacters"/>; null when there is none.</summary>
    internal static string? Tail(string? output)
    {
        if (string.IsNullOrWhiteSpace(output))
        {
            return null;
        }

        return output.Length <= OutputTailCharacters ? output : "…" + output[^OutputTailCharacters..];
    }

    /// <summary>The state as words in a sentence: "late", "running too long".</summary>
    internal static string StateWords(HealthState state) => state switch
    {
        HealthState.Up => "up",
        HealthState.Paused => "paused",
        HealthState.Maintenance => "in maintenance",
        HealthState.Learning => "learning its schedule",
        HealthState.TooOften => "running too often",
        HealthState.TooRare => "running too rarely",
        HealthState.RuntimeTooShort => "finishing too fast",
        HealthState.RuntimeTooLong => "taking too long",
        HealthState.NeverRan => "never run",
        HealthState.FutureRun => "recording runs in the future",
        HealthState.RunningTooLong => "running too long",
        HealthState.Late => "late",
        HealthState.Missing => "missing",
        HealthState.Skipped => "skipped",
        HealthState.Abandoned => "abandoned",
        HealthState.Failing => "failing",
        HealthState.Unknown => "unknown",
        _ => state.ToString(),
    };

    /// <summary>The zone of an IANA name; UTC when this machine does not know it.</summary>
    internal static TimeZoneInfo Zone(string? name)
    {
        if (string.IsNullOrEmpty(name) || name == "UTC")
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    /// <summary>
    /// An instant in a zone, with offset and zone name: <c>02:30 +01:00 Europe/Berlin</c>, the date before it when it is
    /// not the day of <paramref name="reference"/> (or there is no reference).
    /// </summary>
    internal static string Time(DateTimeOffset value, DateTimeOffset? reference, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(value, zone);
        var sameDay = reference is { } other && TimeZoneInfo.ConvertTime(other, zone).Date == local.Date;
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var text = local.ToString(sameDay ? "HH:mm" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"{text} {sign}{offset.Duration():hh\\:mm} {(zone == TimeZoneInfo.Utc ? "UTC" : zone.Id)}");
    }

    private static string Ago(TimeSpan age) => age <= TimeSpan.Zero ? "just now" : DurationText.Format(age, 2) + " ago";

    private static void AddExitCode(List<string> details, HealthFacts facts)
    {
        if (facts.ExitCode is { } code)
        {
            details.Add($"exit code {code.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    private static void AddLimit(List<string> details, HealthFacts facts)
    {
        if (facts.LimitDuration is { } limit)
        {
            details.Add($"limit {DurationText.Format(limit, 2)}");
        }
    }

    private static void AddStarted(List<string> details, HealthFacts facts, DateTimeOffset at, TimeZoneInfo zone)
    {
        if (facts.RunStartedAt is { } started)
        {
            details.Add($"started {Time(started, at, zone)}");
        }
    }
}

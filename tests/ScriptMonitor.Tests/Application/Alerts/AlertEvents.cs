using ScriptMonitor.Alerts;
using ScriptMonitor.Application.Alerts;
using ScriptMonitor.Health;

namespace ScriptMonitor.Tests.Application.Alerts;

/// <summary>Events as the alert loop makes them, for the channel tests.</summary>
internal static class AlertEvents
{
    internal static readonly DateTimeOffset At = new(2026, 12, 7, 2, 35, 0, TimeSpan.Zero);

    /// <summary>nightly-backup on db1, late: due 03:30 Berlin time, last success 25 hours before.</summary>
    internal static AlertEvent Late(Guid? id = null)
    {
        var facts = new HealthFacts { DueAt = new DateTimeOffset(2026, 12, 7, 2, 30, 0, TimeSpan.Zero), LastSuccessAt = At.AddHours(-25) };
        return new AlertEvent
        {
            EventId = id ?? Guid.NewGuid(),
            Kind = NotificationKind.Down,
            ScriptName = "nightly-backup",
            Tags = ["db", "nightly"],
            State = HealthState.Late,
            PreviousState = HealthState.Up,
            Summary = AlertText.Summary(NotificationKind.Down, "nightly-backup", HealthState.Late, facts, "db1", At, "Europe/Berlin", null),
            Facts = facts,
            Hostname = "db1",
            At = At,
            TimeZone = "Europe/Berlin",
            LastRunId = Guid.Parse("01890a5d-ac96-774b-bcce-b302099a8057"),
            LastExitCode = 3,
            LastRunDuration = TimeSpan.FromSeconds(42.5),
            OutputTail = "copying…\nerror: \"disk\" full",
            Link = new Uri("https://monitor.example/scripts/nightly-backup"),
        };
    }

    internal static AlertEvent Recovery() => Late() with
    {
        Kind = NotificationKind.Recovery,
        State = HealthState.Up,
        PreviousState = HealthState.Late,
        DownFor = TimeSpan.FromMinutes(95),
        Summary = AlertText.Summary(NotificationKind.Recovery, "nightly-backup", HealthState.Up, HealthFacts.None, null, At, "Europe/Berlin", TimeSpan.FromMinutes(95)),
    };

    internal static AlertChannel Webhook(string url, string? body = null, string method = "POST", bool allowPrivate = true, Dictionary<string, string>? secrets = null)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal) { ["url"] = url, ["method"] = method };
        if (body is not null)
        {
            settings["body"] = body;
        }

        if (allowPrivate)
        {
            settings["allow_private"] = "true";
        }

        return ChannelValidation.Validate(new AlertChannel("hook", ChannelKind.Webhook) { Settings = settings, Secrets = secrets ?? [] });
    }
}

using ScriptMonitor.Alerts;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Alerts;

/// <summary>
/// Makes the <see cref="AlertEvent"/> of a notice the loop decided on: the reason in plain words with its instants in
/// the script's zone, the last run's exit code and output tail, and for a recovery how long the script was down.
/// </summary>
internal static class AlertEventBuilder
{
    public static string Serialize(AlertEvent alert) => AlertJson.Serialize(alert);

    public static AlertEvent Deserialize(string payload) => AlertJson.Deserialize(payload);

    /// <summary>The event of one notice.</summary>
    /// <param name="eventId">The notification's id.</param>
    /// <param name="kind">What it tells.</param>
    /// <param name="health">The evaluation behind it.</param>
    /// <param name="previous">The state before.</param>
    /// <param name="downSince">When the down episode began, for a recovery or a repeat.</param>
    /// <param name="lastRun">The script's newest run, if any.</param>
    /// <param name="at">The instant of the evaluation.</param>
    public static AlertEvent Build(Guid eventId, NotificationKind kind, ScriptHealth health, HealthState? previous, DateTimeOffset? downSince, ScriptRun? lastRun, DateTimeOffset at)
    {
        var reason = health.Reasons[0];
        var zone = ZoneOf(health.Expectation);
        var downFor = kind is NotificationKind.Recovery or NotificationKind.Repeat && downSince is { } since && at > since ? at - since : (TimeSpan?)null;
        return new AlertEvent
        {
            EventId = eventId,
            Kind = kind,
            ScriptName = health.ScriptName,
            Tags = health.Expectation?.Tags ?? [],
            State = health.State,
            PreviousState = previous,
            Summary = AlertText.Summary(kind, health.ScriptName, health.State, reason.Facts, reason.Hostname, at, zone, downFor),
            Facts = reason.Facts,
            Hostname = reason.Hostname,
            At = at,
            TimeZone = zone,
            DownFor = downFor,
            LastRunId = lastRun?.RunId,
            LastExitCode = lastRun?.ExitCode,
            LastRunDuration = lastRun?.Duration,
            OutputTail = AlertText.Tail(lastRun?.Output),
        };
    }

    /// <summary>The IANA zone people read the script's times in: its cron schedule's, else UTC.</summary>
    public static string ZoneOf(ScriptExpectation? expectation) =>
        expectation?.Schedule is CronSchedule { TimeZone: var id } ? id : "UTC";
}

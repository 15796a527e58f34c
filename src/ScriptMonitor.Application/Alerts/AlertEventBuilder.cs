using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using ScriptMonitor.Alerts;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Alerts;

/// <summary>The outbox's payload format: an <see cref="AlertEvent"/> as JSON, source-generated (the server is Native AOT).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AlertEvent))]
internal sealed partial class AlertPayloadJsonContext : JsonSerializerContext;

/// <summary>
/// Makes the <see cref="AlertEvent"/> of a notice: the reason in plain words with its instants in the script's zone
/// (offset and zone name), the last run's exit code and output tail, and for a recovery how long the script was down.
/// </summary>
internal static partial class AlertEventBuilder
{
    /// <summary>How much of the last run's output a notification carries: its end, where the error usually is.</summary>
    internal const int OutputTailLength = 1000;

    public static string Serialize(AlertEvent alert) => JsonSerializer.Serialize(alert, AlertPayloadJsonContext.Default.AlertEvent);

    public static AlertEvent Deserialize(string payload) =>
        JsonSerializer.Deserialize(payload, AlertPayloadJsonContext.Default.AlertEvent) ?? throw new JsonException("the payload is null");

    /// <summary>The event of one notice.</summary>
    /// <param name="eventId">The notification's id.</param>
    /// <param name="kind">What it tells.</param>
    /// <param name="health">The evaluation behind it.</param>
    /// <param name="previous">The state before, for a flip.</param>
    /// <param name="downSince">When the down episode began, for a recovery or a repeat.</param>
    /// <param name="lastRun">The script's newest run, if any.</param>
    /// <param name="flappingWindow">The flapping window, for a flapping notice.</param>
    /// <param name="at">The instant of the evaluation.</param>
    public static AlertEvent Build(Guid eventId, NotificationKind kind, ScriptHealth health, HealthState? previous, DateTimeOffset? downSince, ScriptRun? lastRun, TimeSpan flappingWindow, DateTimeOffset at)
    {
        var reason = health.Reasons[0];
        var zone = ZoneOf(health.Expectation);
        var downFor = kind is NotificationKind.Recovery or NotificationKind.Repeat && downSince is { } since ? at - since : (TimeSpan?)null;
        var who = reason.Hostname is { } host ? $"{health.ScriptName} on {host}" : health.ScriptName;
        var why = Localize(reason.Message, zone);
        var summary = kind switch
        {
            NotificationKind.Recovery => $"{who} is {Words(health.State)} again{(downFor is { } d ? $" after {DurationText.Format(d)} down" : string.Empty)}: {why}",
            NotificationKind.Repeat => $"{who} is still {Words(health.State)}{(downFor is { } d ? $" ({DurationText.Format(d)} so far)" : string.Empty)}: {why}",
            NotificationKind.Flapping => $"{health.ScriptName} is flapping: its state changed too often within {DurationText.Format(flappingWindow)}; nothing more is told until it has been stable that long. Now {Words(health.State)}: {why}",
            _ => $"{who} is {Words(health.State)}: {why}",
        };
        var output = lastRun?.Output;
        return new AlertEvent
        {
            EventId = eventId,
            Kind = kind,
            ScriptName = health.ScriptName,
            Tags = health.Expectation?.Tags ?? [],
            State = health.State,
            PreviousState = previous,
            Summary = summary,
            Facts = reason.Facts,
            Hostname = reason.Hostname,
            At = at,
            TimeZone = zone.Id,
            DownFor = downFor,
            LastRunId = lastRun?.RunId,
            LastExitCode = lastRun?.ExitCode,
            LastRunDuration = lastRun?.Duration,
            OutputTail = string.IsNullOrEmpty(output) ? null : output.Length > OutputTailLength ? output[^OutputTailLength..] : output,
        };
    }

    /// <summary>A state as a sentence says it: "is late", "is running too long".</summary>
    public static string Words(HealthState state) => state switch
    {
        HealthState.Up => "up",
        HealthState.Paused => "paused",
        HealthState.Maintenance => "in maintenance",
        HealthState.Learning => "up (learning)",
        HealthState.TooOften => "running too often",
        HealthState.TooRare => "running too rarely",
        HealthState.RuntimeTooShort => "ending too soon",
        HealthState.RuntimeTooLong => "taking too long",
        HealthState.NeverRan => "never run",
        HealthState.FutureRun => "reporting runs from the future",
        HealthState.RunningTooLong => "running too long",
        HealthState.Late => "late",
        HealthState.Missing => "missing",
        HealthState.Skipped => "skipped too often",
        HealthState.Abandoned => "abandoned",
        HealthState.Failing => "failing",
        _ => "unknown",
    };

    /// <summary>The zone people read the script's times in: its cron schedule's, else UTC.</summary>
    public static TimeZoneInfo ZoneOf(ScriptExpectation? expectation)
    {
        if (expectation?.Schedule is CronSchedule { TimeZone: var id } && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
        {
            return zone;
        }

        return TimeZoneInfo.Utc;
    }

    /// <summary>Every instant of a reason's sentence (printed in UTC) in the zone: <c>2026-12-07 03:30:00 +01:00 Europe/Berlin</c>.</summary>
    public static string Localize(string message, TimeZoneInfo zone) =>
        Instant().Replace(message, match =>
        {
            if (!DateTimeOffset.TryParse(match.Value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
            {
                return match.Value;
            }

            var local = TimeZoneInfo.ConvertTime(instant, zone);
            var offset = local.Offset;
            var sign = offset < TimeSpan.Zero ? '-' : '+';
            var id = zone == TimeZoneInfo.Utc ? "UTC" : zone.Id;
            return string.Create(CultureInfo.InvariantCulture, $"{local:yyyy-MM-dd HH:mm:ss} {sign}{offset.Duration():hh\\:mm} {id}");
        });

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?\+00:00")]
    private static partial Regex Instant();
}

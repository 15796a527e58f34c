using ScriptMonitor.Alerts;
using ScriptMonitor.Health;

namespace ScriptMonitor.Application.Alerts;

/// <summary>
/// What one notification tells, as every channel renders it: the outbox keeps it as JSON
/// (<see cref="Notification.Payload"/>), a command channel reads it on its standard input. Machine fields are UTC;
/// <see cref="TimeZone"/> is the zone people read times in.
/// </summary>
internal sealed record AlertEvent
{
    /// <summary>The notification's id: the same in every attempt, for a receiver to drop a repeat.</summary>
    public required Guid EventId { get; init; }

    /// <summary>What it tells.</summary>
    public required NotificationKind Kind { get; init; }

    /// <summary>The script.</summary>
    public required string ScriptName { get; init; }

    /// <summary>The script's tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The state now.</summary>
    public required HealthState State { get; init; }

    /// <summary>The state before; null when there was none.</summary>
    public HealthState? PreviousState { get; init; }

    /// <summary>The reason in plain words, times in <see cref="TimeZone"/> with their offset and zone name.</summary>
    public required string Summary { get; init; }

    /// <summary>The reason's facts, for templates and machines.</summary>
    public HealthFacts Facts { get; init; } = HealthFacts.None;

    /// <summary>The host the reason is about; null when it is about every host.</summary>
    public string? Hostname { get; init; }

    /// <summary>When the state changed (UTC).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The IANA zone times are told in: the script's schedule's, else UTC.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>For a recovery, how long the script was down; null otherwise.</summary>
    public TimeSpan? DownFor { get; init; }

    /// <summary>The last run's id, where there is one.</summary>
    public Guid? LastRunId { get; init; }

    /// <summary>The last run's exit code, where there is one.</summary>
    public int? LastExitCode { get; init; }

    /// <summary>The last run's duration, where it completed.</summary>
    public TimeSpan? LastRunDuration { get; init; }

    /// <summary>The end of the last run's output, where it has any.</summary>
    public string? OutputTail { get; init; }

    /// <summary>A link to the script's page, once the server knows its public address; null otherwise.</summary>
    public Uri? Link { get; init; }
}

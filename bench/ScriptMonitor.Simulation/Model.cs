using ScriptMonitor.Health;

namespace ScriptMonitor.Simulation;

/// <summary>The kinds of incident the simulation injects, and the two that must stay quiet.</summary>
internal enum IncidentKind
{
    MissedRun,
    Stopped,
    SingleFailure,
    FailuresBelowTolerance,
    FailuresAtTolerance,
    FailuresAboveTolerance,
    Hang,
    ShortRun,
    TooOften,
    SlowCreep,
    HostDownEach,
    HostsDownAtLeast,
    HostDownAtLeastTolerated,
    Killed,
    Paused,
    MaintenanceQuiet,
    MaintenanceOverrun,
}

internal static class IncidentKinds
{
    /// <summary>Kinds that must raise no alert at all: any alert inside them is a false alarm.</summary>
    internal static bool IsQuiet(this IncidentKind kind) =>
        kind is IncidentKind.FailuresBelowTolerance or IncidentKind.FailuresAtTolerance or IncidentKind.HostDownAtLeastTolerated or IncidentKind.Paused or IncidentKind.MaintenanceQuiet;

    internal static string Label(this IncidentKind kind) => kind switch
    {
        IncidentKind.MissedRun => "missed run",
        IncidentKind.Stopped => "stopped for good",
        IncidentKind.SingleFailure => "single failure",
        IncidentKind.FailuresBelowTolerance => "failures = tolerance - 1 (quiet)",
        IncidentKind.FailuresAtTolerance => "failures = tolerance (quiet)",
        IncidentKind.FailuresAboveTolerance => "failures = tolerance + 1",
        IncidentKind.Hang => "hang (3x max)",
        IncidentKind.ShortRun => "run at 1/10 runtime",
        IncidentKind.TooOften => "runs 3x too often",
        IncidentKind.SlowCreep => "runtime 2x vs 30 d before",
        IncidentKind.HostDownEach => "host down (each)",
        IncidentKind.HostsDownAtLeast => "2 hosts down (2 of 3)",
        IncidentKind.HostDownAtLeastTolerated => "1 host down (2 of 3, quiet)",
        IncidentKind.Killed => "killed mid-run",
        IncidentKind.Paused => "paused (quiet)",
        IncidentKind.MaintenanceQuiet => "outage in maint. window (quiet)",
        IncidentKind.MaintenanceOverrun => "down past maint. window end",
        _ => kind.ToString(),
    };
}

/// <summary>How a script of the population is run, and what it is expected to do.</summary>
internal sealed class ScriptSpec
{
    public required int Index { get; init; }

    public required string Name { get; init; }

    public required string Zone { get; init; }

    /// <summary>The crontab line the script's hosts run it by; null for a fixed period.</summary>
    public string? Cron { get; init; }

    public TimeSpan? Period { get; init; }

    /// <summary>The period the schedule has on average, for the incidents that need one.</summary>
    public required TimeSpan NominalPeriod { get; init; }

    /// <summary>The expectation set for it; null for the fifth that is learned.</summary>
    public ScriptExpectation? Expectation { get; set; }

    public required string[] Hosts { get; init; }

    public required HostMode Mode { get; init; }

    public required TimeSpan RuntimeMedian { get; init; }

    /// <summary>The change of the runtime over a year, from -0.2 to 0.2.</summary>
    public required double DriftPerYear { get; init; }

    /// <summary>The phase of a fixed period, so that scripts of one period do not all start at once.</summary>
    public TimeSpan Phase { get; init; }

    public CronSchedule? Schedule { get; set; }

    /// <summary>The grace the evaluation gives the script: set, or as the learner derives it from the period.</summary>
    public TimeSpan Grace => Expectation is { Schedule: not null } e
        ? e.Grace
        : Clamp(TimeSpan.FromTicks((long)(0.25 * NominalPeriod.Ticks)), ScriptExpectation.DefaultGrace, TimeSpan.FromDays(366));

    public bool IsLearned => Expectation?.Schedule is null;

    public bool HasRuntimeLimits => Expectation?.MaxRuntime is not null;

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;
}

/// <summary>One injected incident with its ground truth.</summary>
internal sealed class Incident
{
    public required int Id { get; init; }

    public required IncidentKind Kind { get; init; }

    /// <summary>The index of the segment it is injected into.</summary>
    public required int Segment { get; init; }

    public required ScriptSpec Script { get; init; }

    /// <summary>When the incident is injected (the first occurrence at or after it is the one affected).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The hosts it applies to, for host incidents.</summary>
    public string[] Hosts { get; init; } = [];

    /// <summary>How long it lasts, for incidents with a duration.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>When the condition an alert is for began; set as the simulation reaches it.</summary>
    public DateTimeOffset? Start { get; set; }

    /// <summary>When it ended; null while it lasts (to the end of the simulated window).</summary>
    public DateTimeOffset? End { get; set; }

    /// <summary>The allowed detection delay: the script's grace plus one evaluation tick.</summary>
    public TimeSpan Allowed { get; set; }

    /// <summary>Affected occurrences still to come (failures, a missed run); counted down as they are generated.</summary>
    public int Remaining { get; set; }

    public DateTimeOffset? DetectedAt { get; set; }

    public string? DetectedBy { get; set; }

    /// <summary>The maintenance window of a maintenance incident, and when it opens and closes.</summary>
    public Alerts.MaintenanceWindow? Window { get; init; }

    public DateTimeOffset WindowOpen { get; init; }

    public DateTimeOffset WindowClose { get; init; }

    /// <summary>When each host that went down was first due, for host incidents.</summary>
    public Dictionary<string, DateTimeOffset> HostDue { get; } = new(StringComparer.Ordinal);

    /// <summary>Down notifications told for it, per channel.</summary>
    public Dictionary<string, int> Downs { get; } = new(StringComparer.Ordinal);

    /// <summary>Recovery notifications told for it, per channel.</summary>
    public Dictionary<string, int> Recoveries { get; } = new(StringComparer.Ordinal);

    /// <summary>Other notifications told for it (flapping, repeats).</summary>
    public int OtherNotices { get; set; }

    /// <summary>
    /// The earliest an alert is this incident's: its start, less the hosts' clock skew; for a slow creep the start of
    /// its ramp, since a median can cross twice its baseline a little before the runtime without noise does.
    /// </summary>
    public DateTimeOffset? Earliest => Kind == IncidentKind.SlowCreep ? At - Simulator.CreepRamp : Start - TimeSpan.FromSeconds(5);

    public bool IsActive(DateTimeOffset instant) => instant >= At && (End is not { } end || instant < end);
}

/// <summary>An evaluated change of a script into a down state.</summary>
internal sealed record Alert(string Script, DateTimeOffset At, HealthState State, string Reason)
{
    public int Segment { get; init; }
}

/// <summary>A notification the alert loop wrote to its outbox for a channel.</summary>
internal sealed record SimNotification(string Script, string Channel, Alerts.NotificationKind Kind, DateTimeOffset At)
{
    public int Segment { get; init; }
}

/// <summary>A stretch of simulated time on a fresh store: warm-up (not judged), then the judged window.</summary>
internal sealed record Segment(string Name, DateTimeOffset WarmUpFrom, DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>Zones whose clock change this segment is centred on; empty for the full year.</summary>
    public IReadOnlyList<string> Zones { get; init; } = [];

    public DateTimeOffset? Transition { get; init; }
}

internal sealed class SimulationOptions
{
    public int Seed { get; init; } = 15;

    public int Scripts { get; init; } = 1000;

    public int Year { get; init; } = 2028;

    /// <summary>The reduced run: windows centred on each zone's clock changes instead of the whole year.</summary>
    public bool Reduced { get; init; }

    /// <summary>Where the store files go; a temporary directory when null.</summary>
    public string? Directory { get; init; }

    /// <summary>
    /// The connection string (Npgsql keywords) of a PostgreSQL server to simulate on instead of SQLite files: every
    /// shard and segment gets a database of its own there, dropped at its end. Null for SQLite.
    /// </summary>
    public string? PostgreSql { get; init; }

    /// <summary>How often the server's loop evaluates: due instants are rounded up to it.</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How far back runs are kept beyond each script's newest <see cref="Health.ScriptHistory.Depth"/> and its last
    /// successes, which pruning always keeps: the runtime-drift rule reads the successes 30 to 44 days back, so a day
    /// more than that.
    /// </summary>
    public TimeSpan Horizon { get; init; } = TimeSpan.FromDays(45);

    /// <summary>
    /// How often the store is pruned to <see cref="Horizon"/>: the store's prune ranks every run it holds, a scan of
    /// the whole table, so once a simulated week (the store then holds up to 52 days) rather than every hour.
    /// </summary>
    public TimeSpan PruneEvery { get; init; } = TimeSpan.FromDays(7);

    /// <summary>The share of a cron script's runs that start up to a minute early besides the jitter: a host whose cron fires early.</summary>
    public double EarlyShare { get; init; } = 0.05;

    /// <summary>Only this many days of the year (after its warm-up), to measure; null for all of it.</summary>
    public int? Days { get; init; }

    public Action<double, long>? Progress { get; init; }
}

namespace ScriptMonitor.Health;

/// <summary>
/// What a script is expected to do: its schedule, grace, runtime limits, hosts, tolerated failures, pause and tags.
/// A value left unset is learned from the script's history where it can be (the schedule and runtime band).
/// </summary>
/// <param name="ScriptName">The script the expectation is for.</param>
public sealed record ScriptExpectation(string ScriptName)
{
    /// <summary>
    /// The grace when none is given: jobs started at the top of the hour queue behind one another and a few minutes
    /// of delay is normal, not news.
    /// </summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Runs skipped in a row before the script is <see cref="HealthState.Skipped"/> when none is given: one or two
    /// skips are a long run overlapping the next; three mean the holder is stuck.
    /// </summary>
    public const int DefaultSkipsBeforeAlert = 3;

    /// <summary>When the script should run; null to learn its period from its history.</summary>
    public Schedule? Schedule { get; init; }

    /// <summary>How long past its due time a run may start before the script is late.</summary>
    public TimeSpan Grace { get; init; } = DefaultGrace;

    /// <summary>A successful run shorter than this is an anomaly; null to use the learned band.</summary>
    public TimeSpan? MinRuntime { get; init; }

    /// <summary>A run longer than this is an anomaly, and one still running past it is running too long; null to use the learned band.</summary>
    public TimeSpan? MaxRuntime { get; init; }

    /// <summary>
    /// How long a run may stay in progress before it is presumed abandoned where nobody can tell whether its process
    /// still lives (another host, another container); null for the default, the longer of a day and ten times the
    /// maximum runtime (set or learned). Not shorter than <see cref="MaxRuntime"/>.
    /// </summary>
    public TimeSpan? AbandonAfter { get; init; }

    /// <summary>
    /// How many runs in a row may be skipped, because another run still held the script's lock, before the script is
    /// <see cref="HealthState.Skipped"/>; <see cref="DefaultSkipsBeforeAlert"/> by default.
    /// </summary>
    public int SkipsBeforeAlert { get; init; } = DefaultSkipsBeforeAlert;

    /// <summary>The hosts it must run on; any host by default.</summary>
    public HostRequirement Hosts { get; init; } = HostRequirement.Any;

    /// <summary>How many consecutive failed runs are tolerated before the script is failing; 0 by default.</summary>
    public int FailuresTolerated { get; init; }

    /// <summary>Whether alerting is paused: the script is reported paused and nothing else.</summary>
    public bool Paused { get; init; }

    /// <summary>When a pause ends by itself; null for a pause until it is lifted. Only with <see cref="Paused"/>.</summary>
    public DateTimeOffset? PausedUntil { get; init; }

    /// <summary>Labels to select scripts by (team, system); kept sorted, so their order never makes a difference.</summary>
    public IReadOnlyList<string> Tags
    {
        get;

        // A null list is kept as it is, for validation to name it.
        init => field = value is null ? null! : [.. value.Order(StringComparer.Ordinal)];
    } = [];

    /// <summary>Whether the expectation is paused at <paramref name="now"/>.</summary>
    /// <param name="now">The instant to judge at.</param>
    public bool IsPausedAt(DateTimeOffset now) => Paused && (PausedUntil is not { } until || now < until);

    /// <inheritdoc/>
    public bool Equals(ScriptExpectation? other) =>
        other is not null
        && string.Equals(ScriptName, other.ScriptName, StringComparison.Ordinal)
        && Equals(Schedule, other.Schedule)
        && Grace == other.Grace
        && MinRuntime == other.MinRuntime
        && MaxRuntime == other.MaxRuntime
        && AbandonAfter == other.AbandonAfter
        && SkipsBeforeAlert == other.SkipsBeforeAlert
        && Hosts.Equals(other.Hosts)
        && FailuresTolerated == other.FailuresTolerated
        && Paused == other.Paused
        && PausedUntil == other.PausedUntil
        && Tags.SequenceEqual(other.Tags, StringComparer.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ScriptName, Schedule, Grace, MinRuntime, MaxRuntime, Hosts, FailuresTolerated, Paused);
}

namespace ScriptMonitor.Health;

/// <summary>
/// The facts behind a <see cref="HealthReason"/>: which of them a reason has depends on its state (a late script has a
/// due instant and a last success; a runtime anomaly an observed duration and a limit; a failing script a count and a
/// tolerance). Instants are UTC.
/// </summary>
public sealed record HealthFacts
{
    /// <summary>No facts beyond the state.</summary>
    public static HealthFacts None { get; } = new();

    /// <summary>When the run that did not come was due.</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>When the last successful run started.</summary>
    public DateTimeOffset? LastSuccessAt { get; init; }

    /// <summary>When the run the reason is about started (the failed, running, abandoned or anomalous one).</summary>
    public DateTimeOffset? RunStartedAt { get; init; }

    /// <summary>
    /// When the run the reason is about ended: completed, failed, was abandoned, or was presumed abandoned (its start
    /// plus abandon after); for a runtime drift, the newest run counted. Null for a run still in progress.
    /// </summary>
    public DateTimeOffset? RunEndedAt { get; init; }

    /// <summary>A duration observed: a runtime, or how long a run has been running.</summary>
    public TimeSpan? ObservedDuration { get; init; }

    /// <summary>The duration limit it was held against: a maximum or minimum runtime, or a bound.</summary>
    public TimeSpan? LimitDuration { get; init; }

    /// <summary>A count observed: failures, skips or runs in a row or in a window, runs missed, successful runs to learn from, hosts that ran as expected.</summary>
    public long? ObservedCount { get; init; }

    /// <summary>
    /// True when <see cref="ObservedCount"/> is a lower bound (the sentence says "at least"): the history read holds only
    /// the newest runs or skips, and nobody counted further back.
    /// </summary>
    public bool ObservedCountIsLowerBound { get; init; }

    /// <summary>The count it was held against: failures or skips tolerated, runs expected in the window, runs missed before a script is missing, hosts that must run.</summary>
    public long? LimitCount { get; init; }

    /// <summary>The exit code of the run the reason is about, where there is one.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The maintenance window that pauses the script or holds it in maintenance.</summary>
    public string? WindowName { get; init; }

    /// <summary>When the maintenance window in force closes; null for a pause, which lasts until it is removed.</summary>
    public DateTimeOffset? WindowEndsAt { get; init; }
}

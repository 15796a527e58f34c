namespace ScriptMonitor.Health;

/// <summary>Why a script or host has a state, as a sentence a person can act on and as the facts behind it.</summary>
/// <param name="State">The state this reason supports.</param>
/// <param name="Hostname">The host it is about; null when it is about the script on any host.</param>
/// <param name="Message">The sentence, with the numbers and instants that led to it.</param>
public sealed record HealthReason(HealthState State, string? Hostname, string Message)
{
    /// <summary>The facts the sentence states, for machines (metrics, JSON, notification templates) to read.</summary>
    public HealthFacts Facts { get; init; } = HealthFacts.None;
}

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

    /// <summary>A duration observed: a runtime, or how long a run has been running.</summary>
    public TimeSpan? ObservedDuration { get; init; }

    /// <summary>The duration limit it was held against: a maximum or minimum runtime, or a bound.</summary>
    public TimeSpan? LimitDuration { get; init; }

    /// <summary>A count observed: failures, skips or runs in a row or in a window, runs missed.</summary>
    public long? ObservedCount { get; init; }

    /// <summary>The count it was held against: failures or skips tolerated, runs expected in the window.</summary>
    public long? LimitCount { get; init; }

    /// <summary>The exit code of the run the reason is about, where there is one.</summary>
    public int? ExitCode { get; init; }
}

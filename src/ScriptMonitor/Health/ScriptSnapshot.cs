namespace ScriptMonitor.Health;

/// <summary>A script's expectation and history as read together, the input of one evaluation.</summary>
/// <param name="ScriptName">The script.</param>
/// <param name="Expectation">Its expectation; null when none is set and everything is learned.</param>
/// <param name="History">Its recent history.</param>
public sealed record ScriptSnapshot(string ScriptName, ScriptExpectation? Expectation, ScriptHistory History)
{
    /// <summary>
    /// Why the script's stored data could not be read (an expectation that breaks today's rules, say); null when it
    /// was read. Such a script is evaluated as <see cref="HealthState.Unknown"/> with this reason, and the others as usual.
    /// </summary>
    public string? Problem { get; init; }

    /// <summary>
    /// The maintenance windows for the script (its own, and those of its expectation's tags), as the monitor read
    /// them for this evaluation; empty when there are none.
    /// </summary>
    internal IReadOnlyList<Alerts.MaintenanceWindow> MaintenanceWindows { get; init; } = [];

    /// <summary>
    /// The script's runtime a month before, as the monitor read it for this evaluation; null when it was not read
    /// (runtime limits set, too few recent runs, or a store that cannot count it), and the runtime-drift rule is silent.
    /// </summary>
    internal RuntimeBaseline? RuntimeBaseline { get; init; }

    /// <summary>
    /// The reason of the state the alert loop last recorded for the script (its newest flip); null when none was
    /// recorded. The rules that judge a measure against a threshold (too often, too rare, runtime drift) leave their
    /// state at a lower threshold than the one that entered it, so that a measure wandering around the threshold does
    /// not flap.
    /// </summary>
    internal HealthReason? RecordedReason { get; init; }
}

namespace ScriptMonitor.Health;

/// <summary>The evaluation of one script at one instant, read by every surface.</summary>
/// <param name="ScriptName">The script.</param>
/// <param name="State">The worst state that counts for the script.</param>
/// <param name="Reasons">Why, worst first; never empty.</param>
/// <param name="Hosts">One entry per listed host; empty when any host counts.</param>
/// <param name="EvaluatedAt">The instant of the evaluation.</param>
public sealed record ScriptHealth(string ScriptName, HealthState State, IReadOnlyList<HealthReason> Reasons, IReadOnlyList<HostHealth> Hosts, DateTimeOffset EvaluatedAt)
{
    /// <summary>The expectation that was set, if any.</summary>
    public ScriptExpectation? Expectation { get; init; }

    /// <summary>What was learned from the history, if there was enough of it.</summary>
    public LearnedExpectation? Learned { get; init; }

    /// <summary>The latest successful run on any host.</summary>
    public HistoryRun? LastSuccess { get; init; }

    /// <summary>
    /// The newest runs the evaluation read (<see cref="ScriptHistory.RecentRuns"/>), newest start first; empty when the
    /// evaluation was given none. Kept so that a surface can show the recent runtimes without reading the store again.
    /// </summary>
    public IReadOnlyList<HistoryRun> RecentRuns { get; init; } = [];

    /// <summary>
    /// The earliest instant after <see cref="EvaluatedAt"/> at which time alone, with no new run, skip or expectation,
    /// could change this evaluation (a deadline passing, a run outliving its bound, a pause ending); null when only new
    /// data can. Evaluating again then, and whenever the script's data changes, sees every change of its state.
    /// </summary>
    public DateTimeOffset? RecheckAt { get; init; }

    /// <summary>
    /// The first instant after <see cref="EvaluatedAt"/> at which a maintenance window of the script opens or closes
    /// (or a pause window begins), so that whoever evaluates again by the clock knows when; null when none will.
    /// </summary>
    public DateTimeOffset? WindowChangeAt { get; init; }

    /// <summary>
    /// Counts the evaluation could only give as "at least" from the recent runs, for the monitor to ask the store and
    /// evaluate again with the exact numbers.
    /// </summary>
    internal IReadOnlyList<Runs.RunQuery> CountsNeeded { get; init; } = [];

    /// <summary>The first reason's sentence.</summary>
    public string Summary => Reasons[0].Message;
}

using ScriptMonitor.Runs;

namespace ScriptMonitor.Health;

/// <summary>
/// The part of a script's history the health evaluation needs, read in one pass: its newest runs (at least
/// <see cref="Depth"/>, more for a script that tolerates more failures), every run still in progress, and its last
/// success overall and per host. The evaluation is correct with whatever depth it is given: where the newest runs
/// cannot tell a count (a failure streak or a rate window longer than they reach), it asks the store for it.
/// </summary>
/// <param name="RecentRuns">The newest runs of any outcome, newest start first.</param>
/// <param name="IsTruncated">True when the script has older runs than <paramref name="RecentRuns"/> holds.</param>
/// <param name="InProgress">Every run still in progress, however old, newest start first.</param>
/// <param name="LastSuccess">The successful run with the latest start on any host; null if none.</param>
/// <param name="LastSuccessByHost">The latest successful run on each host the store was asked about, or on every host; a host without one is absent.</param>
public sealed record ScriptHistory(
    IReadOnlyList<HistoryRun> RecentRuns,
    bool IsTruncated,
    IReadOnlyList<HistoryRun> InProgress,
    HistoryRun? LastSuccess,
    IReadOnlyDictionary<string, HistoryRun> LastSuccessByHost)
{
    /// <summary>
    /// How many recent runs a store returns per script at least, and how many the learner reads. 24 covers what the
    /// rules look at for most scripts: the learner's sample (at least <see cref="ExpectationLearner.MinimumSuccesses"/>
    /// successes) and a rate window of <see cref="HealthEvaluator.RateWindowOccurrences"/> occurrences with room to see twice
    /// as many; while a read of 10,000 scripts stays a few hundred thousand rows. A script that tolerates more
    /// failures is read to one run more than it tolerates (<see cref="DepthFor"/>).
    /// </summary>
    public const int Depth = 24;

    /// <summary>
    /// The newest runs that were skipped because another run held the script's lock, newest first; at most
    /// <see cref="Depth"/>.
    /// </summary>
    public IReadOnlyList<ScriptSkip> RecentSkips { get; init; } = [];

    /// <summary>The history of a script that has no runs.</summary>
    public static ScriptHistory Empty { get; } = new([], false, [], null, new Dictionary<string, HistoryRun>());

    /// <summary>
    /// How many recent runs a store reads for a script: <see cref="Depth"/>, or one more than the failures its
    /// expectation tolerates, so that the failing rule always sees the run that breaks the tolerance.
    /// </summary>
    /// <param name="expectation">The script's expectation; null for none.</param>
    public static int DepthFor(ScriptExpectation? expectation) => Math.Max(Depth, (expectation?.FailuresTolerated ?? 0) + 1);

    /// <summary>Builds the history from all of a script's runs and skips, as a store would read it.</summary>
    /// <param name="runs">Every run of the script, in any order.</param>
    /// <param name="skips">Every skipped run of the script, in any order; none by default.</param>
    /// <param name="depth">How many recent runs to keep; <see cref="Depth"/> by default.</param>
    /// <remarks>The last success is given for every host, where a store gives it for the hosts it was asked about.</remarks>
    public static ScriptHistory FromRuns(IEnumerable<HistoryRun> runs, IEnumerable<ScriptSkip>? skips = null, int depth = Depth)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        var newestFirst = runs.OrderByDescending(r => r.StartedAt).ToList();
        var assembly = new Stores.HistoryAssembly(newestFirst.Take(depth + 1).ToList(), depth, newestFirst.Select(r => r.Hostname));
        if (assembly.LastSuccessMissing && newestFirst.Find(r => r.Outcome == RunOutcome.Succeeded) is { } last)
        {
            assembly.Found(null, last);
        }

        foreach (var host in assembly.HostsMissing)
        {
            if (newestFirst.Find(r => r.Outcome == RunOutcome.Succeeded && r.Hostname == host) is { } lastOnHost)
            {
                assembly.Found(host, lastOnHost);
            }
        }

        return assembly.Build(
            newestFirst.Where(r => r.Outcome == RunOutcome.Running).ToList(),
            (skips ?? []).OrderByDescending(s => s.SkippedAt).Take(Depth).ToList());
    }
}

using ScriptMonitor.Runs;

namespace ScriptMonitor.Health;

/// <summary>
/// Evaluates scripts against their expectations (set or learned) at the instant its <see cref="TimeProvider"/>
/// gives. The CLI, the Nagios check and every later surface read their answers from here.
/// </summary>
public sealed class HealthMonitor
{
    private readonly IExpectationStore _store;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a monitor over a store.</summary>
    /// <param name="store">Where expectations and runs are kept.</param>
    /// <param name="timeProvider">The clock; the system clock by default.</param>
    public HealthMonitor(IExpectationStore store, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Evaluates every script, or the named ones, or those with a tag, by name.</summary>
    /// <param name="scriptNames">Only these scripts; null for all.</param>
    /// <param name="tag">Only scripts whose expectation has this tag; null for all.</param>
    /// <param name="abandoned">
    /// Runs the store still holds as running that are known never to complete (their runner is gone), found by a
    /// caller that may not mark them in the store: they are evaluated as abandoned. Null or empty for none.
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<ScriptHealth>> EvaluateAsync(IReadOnlyCollection<string>? scriptNames = null, string? tag = null, IReadOnlyCollection<ScriptRun>? abandoned = null, CancellationToken cancellationToken = default)
    {
        var snapshots = await _store.ReadSnapshotsAsync(scriptNames, cancellationToken).ConfigureAwait(false);
        var now = _timeProvider.GetUtcNow();
        var gone = abandoned is { Count: > 0 } ? abandoned.ToLookup(r => r.ScriptName, StringComparer.Ordinal) : null;
        var results = new List<ScriptHealth>(snapshots.Count);
        foreach (var given in snapshots)
        {
            if (tag is null || (given.Expectation?.Tags.Contains(tag, StringComparer.Ordinal) ?? false))
            {
                var snapshot = gone is not null && gone.Contains(given.ScriptName) ? WithAbandoned(given, gone[given.ScriptName], now) : given;
                var health = HealthEvaluator.Evaluate(snapshot, now);
                results.Add(health.CountsNeeded.Count == 0 ? health : await WithExactCountsAsync(snapshot, health, now, cancellationToken).ConfigureAwait(false));
            }
        }

        return results;
    }

    /// <summary>Evaluates one script; a script with neither runs nor an expectation is <see cref="HealthState.NeverRan"/>.</summary>
    /// <param name="scriptName">The script's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<ScriptHealth> EvaluateAsync(string scriptName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scriptName);
        var snapshots = await _store.ReadSnapshotsAsync([scriptName], cancellationToken).ConfigureAwait(false);
        var snapshot = snapshots.Count > 0 ? snapshots[0] : new ScriptSnapshot(scriptName, null, ScriptHistory.Empty);
        var now = _timeProvider.GetUtcNow();
        var health = HealthEvaluator.Evaluate(snapshot, now);
        return health.CountsNeeded.Count == 0 ? health : await WithExactCountsAsync(snapshot, health, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The snapshot with the given runs in progress ended as abandoned at <paramref name="now"/>.</summary>
    private static ScriptSnapshot WithAbandoned(ScriptSnapshot snapshot, IEnumerable<ScriptRun> abandoned, DateTimeOffset now)
    {
        var ended = abandoned.Select(r => (r.Hostname, r.StartedAt)).ToHashSet();
        bool IsEnded(HistoryRun run) => run.Outcome == RunOutcome.Running && ended.Contains((run.Hostname, run.StartedAt));
        HistoryRun End(HistoryRun run) => IsEnded(run) ? run with { Outcome = RunOutcome.Abandoned, CompletedAt = now < run.StartedAt ? run.StartedAt : now } : run;
        var history = snapshot.History;
        return snapshot with
        {
            History = history with
            {
                RecentRuns = history.RecentRuns.Select(End).ToList(),
                InProgress = history.InProgress.Where(r => !IsEnded(r)).ToList(),
            },
        };
    }

    /// <summary>
    /// Where the recent runs gave a count only as "at least" (a streak or a rate that reaches past them), the store
    /// counts exactly and the snapshot is evaluated again with the true numbers. That is rare, so the one pass over
    /// every script stays one read.
    /// </summary>
    private async Task<ScriptHealth> WithExactCountsAsync(ScriptSnapshot snapshot, ScriptHealth health, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<RunQuery, long>();
        foreach (var query in health.CountsNeeded)
        {
            counts[query] = await _store.CountRunsAsync(query, cancellationToken).ConfigureAwait(false);
        }

        return HealthEvaluator.Evaluate(snapshot, now, counts);
    }

    /// <summary>What the script's recent history says about its period and runtime; null while there is too little of it.</summary>
    /// <param name="scriptName">The script's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<LearnedExpectation?> LearnAsync(string scriptName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scriptName);
        var snapshots = await _store.ReadSnapshotsAsync([scriptName], cancellationToken).ConfigureAwait(false);
        return snapshots.Count > 0 ? ExpectationLearner.Learn(snapshots[0].History) : null;
    }
}

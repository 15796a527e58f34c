using ScriptMonitor.Runs;

namespace ScriptMonitor.Health;

/// <summary>
/// Evaluates scripts against their expectations (set or learned) at the instant its <see cref="TimeProvider"/>
/// gives. The CLI, the Nagios check and every later surface read their answers from here.
/// </summary>
public sealed class HealthMonitor
{
    /// <summary>
    /// An evaluation asks for every count it needs at once, so one round of counting answers it; a second is room for
    /// a rule that learns what to count from a first count, and a bound against asking for ever.
    /// </summary>
    private const int MaxCountRounds = 2;

    /// <summary>Up to this many scripts, their recorded reasons are read one indexed read each; more read every script's at once.</summary>
    private const int FlipReadsPerScript = 16;

    private readonly IExpectationStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly Func<RunQuery, CancellationToken, Task<long>> _count;

    /// <summary>Reads the runtime statistics of a window; null for a store that keeps no runs.</summary>
    private readonly Func<string, DateTimeOffset, DateTimeOffset, string?, CancellationToken, Task<RuntimeStatistics>>? _runtimes;

    /// <summary>
    /// Each script's baseline for the day it was read on: its window is whole days a month back, so one indexed read
    /// per script a day serves every evaluation of that day, and evaluating does not cost more as history grows.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, RuntimeBaseline> _baselines = new(StringComparer.Ordinal);

    private readonly double _driftFactor = RuntimeBaseline.DefaultFactor;

    /// <summary>Creates a monitor over a store.</summary>
    /// <param name="store">Where expectations and runs are kept.</param>
    /// <param name="timeProvider">The clock; the system clock by default.</param>
    public HealthMonitor(IExpectationStore store, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _count = store.CountRunsAsync;
        _runtimes = store is IScriptRunStore runs ? runs.GetRuntimeStatisticsAsync : null;
    }

    /// <summary>
    /// How many times its runtime a month before (the median of its successful runs 30 to 44 days back) the median of
    /// a script's recent successful runs must be for the runtime-drift rule to call it
    /// <see cref="HealthState.RuntimeTooLong"/>; 2 by default; 0 turns the rule off. It judges only scripts whose
    /// expectation sets no runtime limit.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Neither 0 nor a finite number above 1.</exception>
    public double RuntimeDriftFactor
    {
        get => _driftFactor;
        init => _driftFactor = value == 0 || (double.IsFinite(value) && value > 1)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(RuntimeDriftFactor), value, "RuntimeDriftFactor must be 0 (off) or a number above 1.");
    }

    /// <summary>
    /// The reason of the state the alert loop last recorded for a script, where the caller keeps it (the loop itself,
    /// in memory); null (the default) reads each script's newest flip from the store. The rules that judge a measure against a
    /// threshold (too often, too rare, runtime drift) leave their state only at a lower threshold than the one that
    /// entered it, so that every surface agrees with the loop and a measure near a threshold does not flap.
    /// </summary>
    public Func<string, HealthReason?>? RecordedReasons { get; init; }

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
        var windows = await _store.ListMaintenanceWindowsAsync(cancellationToken).ConfigureAwait(false);
        var now = _timeProvider.GetUtcNow();
        var recorded = await RecordedReasonsAsync(scriptNames, cancellationToken).ConfigureAwait(false);
        var gone = abandoned is { Count: > 0 } ? abandoned.ToLookup(r => r.ScriptName, StringComparer.Ordinal) : null;
        var results = new List<ScriptHealth>(snapshots.Count);
        foreach (var given in snapshots)
        {
            if (tag is null || (given.Expectation?.Tags.Contains(tag, StringComparer.Ordinal) ?? false))
            {
                var snapshot = WithWindows(gone is not null && gone.Contains(given.ScriptName) ? WithAbandoned(given, gone[given.ScriptName], now) : given, windows) with { RecordedReason = recorded(given.ScriptName) };
                snapshot = await WithBaselineAsync(snapshot, now, cancellationToken).ConfigureAwait(false);
                results.Add(await EvaluateExactlyAsync(snapshot, now, _count, cancellationToken).ConfigureAwait(false));
            }
        }

        return results;
    }

    /// <summary>Evaluates one script; a script with neither runs nor an expectation is <see cref="HealthState.NeverRan"/>.</summary>
    /// <param name="scriptName">The script's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<ScriptHealth> EvaluateAsync(string scriptName, CancellationToken cancellationToken = default)
    {
        RunValidation.ScriptName(scriptName, nameof(scriptName));
        var snapshots = await _store.ReadSnapshotsAsync([scriptName], cancellationToken).ConfigureAwait(false);
        var windows = await _store.ListMaintenanceWindowsAsync(cancellationToken).ConfigureAwait(false);
        var recorded = await RecordedReasonsAsync([scriptName], cancellationToken).ConfigureAwait(false);
        var snapshot = WithWindows(snapshots.Count > 0 ? snapshots[0] : new ScriptSnapshot(scriptName, null, ScriptHistory.Empty), windows) with { RecordedReason = recorded(scriptName) };
        var now = _timeProvider.GetUtcNow();
        snapshot = await WithBaselineAsync(snapshot, now, cancellationToken).ConfigureAwait(false);
        return await EvaluateExactlyAsync(snapshot, now, _count, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The reasons of the states the alert loop last recorded: as given, or each named script's newest flip (one indexed read each),
    /// or for many scripts or all of them the newest flip of every script at once.
    /// </summary>
    private async Task<Func<string, HealthReason?>> RecordedReasonsAsync(IReadOnlyCollection<string>? scriptNames, CancellationToken cancellationToken)
    {
        if (RecordedReasons is { } given)
        {
            return given;
        }

        if (_store is not Alerts.IAlertStore alerts)
        {
            return static _ => null;
        }

        var reasons = new Dictionary<string, HealthReason>(StringComparer.Ordinal);
        if (scriptNames is { Count: <= FlipReadsPerScript })
        {
            foreach (var name in scriptNames)
            {
                var flips = await alerts.ListFlipsAsync(name, null, 1, cancellationToken).ConfigureAwait(false);
                if (flips.Count > 0)
                {
                    reasons[name] = RecordedReason(flips[0]);
                }
            }
        }
        else
        {
            foreach (var flip in await alerts.ReadLatestFlipsAsync(cancellationToken).ConfigureAwait(false))
            {
                reasons[flip.ScriptName] = RecordedReason(flip);
            }
        }

        return reasons.Count == 0 ? static _ => null : name => reasons.TryGetValue(name, out var reason) ? reason : null;
    }

    /// <summary>The reason a flip was recorded with, as the state it recorded (a flip written by hand may disagree).</summary>
    private static HealthReason RecordedReason(Alerts.StateFlip flip) =>
        flip.Reason.State == flip.To ? flip.Reason : new HealthReason(flip.To, flip.Reason.Hostname, flip.Reason.Message);

    /// <summary>
    /// The snapshot with its runtime a month before, where the runtime-drift rule can judge it: no runtime limit set,
    /// and enough recent successes to compare. Read once per script and UTC day.
    /// </summary>
    private async Task<ScriptSnapshot> WithBaselineAsync(ScriptSnapshot snapshot, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_runtimes is null || _driftFactor == 0 || snapshot.Problem is not null
            || snapshot.Expectation is { MinRuntime: not null } or { MaxRuntime: not null }
            || !HasEnoughSuccesses(snapshot.History))
        {
            return snapshot;
        }

        var (from, until) = RuntimeBaseline.WindowAt(now);
        if (!_baselines.TryGetValue(snapshot.ScriptName, out var baseline) || baseline.Until != until)
        {
            var statistics = await _runtimes(snapshot.ScriptName, from, until, null, cancellationToken).ConfigureAwait(false);
            baseline = new RuntimeBaseline(from, until, statistics.Count, statistics.Median, _driftFactor);
            _baselines[snapshot.ScriptName] = baseline;
        }

        return snapshot with { RuntimeBaseline = baseline };
    }

    private static bool HasEnoughSuccesses(ScriptHistory history)
    {
        var successes = 0;
        foreach (var run in history.RecentRuns)
        {
            if (run.Outcome == RunOutcome.Succeeded && ++successes >= RuntimeBaseline.MinimumRuns)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The snapshot with the maintenance windows that are for its script: its own and those of its tags.</summary>
    internal static ScriptSnapshot WithWindows(ScriptSnapshot snapshot, IReadOnlyList<Alerts.MaintenanceWindow> windows)
    {
        if (windows.Count == 0)
        {
            return snapshot;
        }

        var tags = snapshot.Expectation?.Tags ?? [];
        List<Alerts.MaintenanceWindow>? applying = null;
        foreach (var window in windows)
        {
            if (window.AppliesTo(snapshot.ScriptName, tags))
            {
                (applying ??= []).Add(window);
            }
        }

        return applying is null ? snapshot : snapshot with { MaintenanceWindows = applying };
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
    /// Evaluates a snapshot, and where its recent runs gave a count only as "at least" (a failure streak or a rate
    /// window that reaches past them), has the store count exactly and evaluates again with the true numbers, so that
    /// every caller of the monitor (status, check, every later surface) reads exact counts whatever the depth of the
    /// history. That is rare, so the one pass over every script stays one read.
    /// </summary>
    /// <param name="snapshot">The script's expectation and history.</param>
    /// <param name="now">The instant of the evaluation.</param>
    /// <param name="count">Counts the runs a query matches, as <see cref="IExpectationStore.CountRunsAsync"/> does.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    internal static async Task<ScriptHealth> EvaluateExactlyAsync(ScriptSnapshot snapshot, DateTimeOffset now, Func<RunQuery, CancellationToken, Task<long>> count, CancellationToken cancellationToken)
    {
        var health = HealthEvaluator.Evaluate(snapshot, now);
        var counts = new Dictionary<RunQuery, long>();
        for (var round = 0; health.CountsNeeded.Count > 0 && round < MaxCountRounds; round++)
        {
            foreach (var query in health.CountsNeeded)
            {
                if (!counts.ContainsKey(query))
                {
                    counts[query] = await count(query, cancellationToken).ConfigureAwait(false);
                }
            }

            health = HealthEvaluator.Evaluate(snapshot, now, counts);
        }

        return health with { RecentRuns = snapshot.History.RecentRuns };
    }

    /// <summary>What the script's recent history says about its period and runtime; null while there is too little of it.</summary>
    /// <param name="scriptName">The script's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<LearnedExpectation?> LearnAsync(string scriptName, CancellationToken cancellationToken = default)
    {
        RunValidation.ScriptName(scriptName, nameof(scriptName));
        var snapshots = await _store.ReadSnapshotsAsync([scriptName], cancellationToken).ConfigureAwait(false);
        return snapshots.Count > 0 ? ExpectationLearner.Learn(snapshots[0].History) : null;
    }
}

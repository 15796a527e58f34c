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
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<ScriptHealth>> EvaluateAsync(IReadOnlyCollection<string>? scriptNames = null, string? tag = null, CancellationToken cancellationToken = default)
    {
        var snapshots = await _store.ReadSnapshotsAsync(scriptNames, cancellationToken).ConfigureAwait(false);
        var now = _timeProvider.GetUtcNow();
        return snapshots
            .Where(s => tag is null || (s.Expectation?.Tags.Contains(tag, StringComparer.Ordinal) ?? false))
            .Select(s => HealthEvaluator.Evaluate(s, now))
            .ToList();
    }

    /// <summary>Evaluates one script; a script with neither runs nor an expectation is <see cref="HealthState.NeverRan"/>.</summary>
    /// <param name="scriptName">The script's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<ScriptHealth> EvaluateAsync(string scriptName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scriptName);
        var snapshots = await _store.ReadSnapshotsAsync([scriptName], cancellationToken).ConfigureAwait(false);
        var snapshot = snapshots.Count > 0 ? snapshots[0] : new ScriptSnapshot(scriptName, null, ScriptHistory.Empty);
        return HealthEvaluator.Evaluate(snapshot, _timeProvider.GetUtcNow());
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

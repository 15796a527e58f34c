namespace ScriptMonitor.Runs;

/// <summary>
/// A store of script runs: the spec's <see cref="IScriptActivitySet"/> plus starts, failures and queries.
/// Every implementation keeps the same contract; all instants are stored in UTC, exact to the microsecond.
/// </summary>
/// <remarks>
/// Any call may throw <see cref="StoreUnavailableException"/> when the database cannot be reached or written for a
/// reason outside the call (server down, disk full, file locked); a caller that must not lose a run spools it.
/// A bad argument is an <see cref="ArgumentException"/>, thrown before anything is written.
/// </remarks>
public interface IScriptRunStore : IScriptActivitySet, IDisposable, IAsyncDisposable
{
    /// <summary>What this store is and where its data lives, for people to read (never contains a password).</summary>
    string Description { get; }

    /// <summary>Records that a run started. It stays <see cref="RunOutcome.Running"/> until <see cref="CompleteRunAsync"/>.</summary>
    /// <param name="name">The script's name.</param>
    /// <param name="startedAt">When the run started.</param>
    /// <param name="hostname">The host it runs on; null for this machine's host name.</param>
    /// <param name="runId">The run's id; null for a new one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="InvalidOperationException">A run with <paramref name="runId"/> is already recorded; it is left as it is.</exception>
    Task<ScriptRun> RecordStartAsync(string name, DateTimeOffset startedAt, string? hostname = null, Guid? runId = null, CancellationToken cancellationToken = default);

    /// <summary>Completes a started run as succeeded or failed.</summary>
    /// <param name="runId">The id <see cref="RecordStartAsync"/> returned.</param>
    /// <param name="completedAt">When it completed; not before its start.</param>
    /// <param name="outcome"><see cref="RunOutcome.Succeeded"/> or <see cref="RunOutcome.Failed"/>.</param>
    /// <param name="exitCode">The exit status, where there is one.</param>
    /// <param name="output">Output or a message; only its last <see cref="ScriptRun.MaxOutputLength"/> characters are kept.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="KeyNotFoundException">No run has that id.</exception>
    /// <exception cref="InvalidOperationException">The run has already completed.</exception>
    Task<ScriptRun> CompleteRunAsync(Guid runId, DateTimeOffset completedAt, RunOutcome outcome, int? exitCode = null, string? output = null, CancellationToken cancellationToken = default);

    /// <summary>Records one failed run in one step.</summary>
    /// <param name="name">The script's name.</param>
    /// <param name="startedAt">When the run started.</param>
    /// <param name="completedAt">When it failed; not before its start.</param>
    /// <param name="exitCode">The exit status, where there is one.</param>
    /// <param name="message">What went wrong; only its last <see cref="ScriptRun.MaxOutputLength"/> characters are kept.</param>
    /// <param name="hostname">The host it ran on; null for this machine's host name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ScriptRun> RecordFailureAsync(string name, DateTimeOffset startedAt, DateTimeOffset completedAt, int? exitCode = null, string? message = null, string? hostname = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a run as given, keyed by its <see cref="ScriptRun.RunId"/>: a new run is inserted, a running one is
    /// completed, and one already stored completed is left as it is. Delivering the same run twice stores it once.
    /// </summary>
    /// <param name="run">The run to store.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when the store changed; false when the run was already there.</returns>
    Task<bool> ImportRunAsync(ScriptRun run, CancellationToken cancellationToken = default);

    /// <summary>Lists a script's runs in a window, newest start first, one page.</summary>
    /// <param name="query">Which runs.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ScriptRun>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default);

    /// <summary>Lists every script the store knows, by name, with its last success and last failure.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ScriptSummary>> ListScriptsAsync(CancellationToken cancellationToken = default);

    /// <summary>Runtime statistics of a script's successful runs that started in [<paramref name="since"/>, <paramref name="until"/>).</summary>
    /// <param name="name">The script's name.</param>
    /// <param name="since">The window's inclusive start.</param>
    /// <param name="until">The window's exclusive end; not before <paramref name="since"/>.</param>
    /// <param name="hostname">Only runs on this host; null for every host.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<RuntimeStatistics> GetRuntimeStatisticsAsync(string name, DateTimeOffset since, DateTimeOffset until, string? hostname = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes completed runs that started before <paramref name="olderThan"/>, but keeps the newest
    /// <paramref name="keepLast"/> runs of every script and every script's last success. Works in small batches so
    /// that writers are never held up for long.
    /// </summary>
    /// <param name="olderThan">Runs that started before this instant may go.</param>
    /// <param name="keepLast">How many of each script's newest runs always stay; not negative.</param>
    /// <param name="cancellationToken">Cancels the call between batches.</param>
    /// <returns>How many runs were deleted.</returns>
    Task<long> PruneAsync(DateTimeOffset olderThan, int keepLast = 0, CancellationToken cancellationToken = default);

    /// <summary>What the store is, its schema version and its size.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<StoreInfo> GetInfoAsync(CancellationToken cancellationToken = default);
}

namespace ScriptMonitor.Runs;

/// <summary>
/// A store of script runs: the spec's <see cref="IScriptActivitySet"/> plus starts, failures and queries, and the
/// expectations and history reads of <see cref="Health.IExpectationStore"/>, and the API keys and audit list of
/// <see cref="Access.IKeyStore"/>, and what the alert loop keeps (<see cref="Alerts.IAlertStore"/>), and the ping identities of peers' protocols (<see cref="Access.IPingIdentityStore"/>). Every store implements all of it, with the same contract; all instants are stored in
/// UTC, exact to the microsecond.
/// </summary>
/// <remarks>
/// Any call may throw <see cref="StoreUnavailableException"/> when the database cannot be reached or written for a
/// reason outside the call (server down, disk full, file locked); a caller that must not lose a run spools it.
/// A bad argument is an <see cref="ArgumentException"/>, thrown before anything is written.
/// </remarks>
public interface IScriptRunStore : IScriptActivitySet, Health.IExpectationStore, Access.IKeyStore, Alerts.IAlertStore, Access.IPingIdentityStore, IDisposable, IAsyncDisposable
{
    /// <summary>What this store is and where its data lives, for people to read (never contains a password).</summary>
    string Description { get; }

    /// <summary>Records that a run started. It stays <see cref="RunOutcome.Running"/> until <see cref="CompleteRunAsync"/>.</summary>
    /// <param name="name">The script's name.</param>
    /// <param name="startedAt">When the run started.</param>
    /// <param name="hostname">The host it runs on; null for this machine's host name.</param>
    /// <param name="runId">The run's id; null for a new one.</param>
    /// <param name="runner">The process that runs it and will record its end, so that a run whose process died can be
    /// told from one still running; null when unknown.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="InvalidOperationException">A run with <paramref name="runId"/> is already recorded; it is left as it is.</exception>
    Task<ScriptRun> RecordStartAsync(string name, DateTimeOffset startedAt, string? hostname = null, Guid? runId = null, RunnerProcess? runner = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes a started run as succeeded, failed or abandoned. A run marked <see cref="RunOutcome.Abandoned"/> can
    /// still be completed: a completion that arrives late tells the truth the abandonment only guessed.
    /// </summary>
    /// <param name="runId">The id <see cref="RecordStartAsync"/> returned.</param>
    /// <param name="completedAt">When it completed; not before its start.</param>
    /// <param name="outcome"><see cref="RunOutcome.Succeeded"/>, <see cref="RunOutcome.Failed"/> or <see cref="RunOutcome.Abandoned"/>.</param>
    /// <param name="exitCode">The exit status, where there is one.</param>
    /// <param name="output">Output or a message; only its last <see cref="ScriptRun.MaxOutputLength"/> characters are kept.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="KeyNotFoundException">No run has that id.</exception>
    /// <exception cref="InvalidOperationException">The run has already completed (succeeded or failed).</exception>
    Task<ScriptRun> CompleteRunAsync(Guid runId, DateTimeOffset completedAt, RunOutcome outcome, int? exitCode = null, string? output = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks a run that is still running as <see cref="RunOutcome.Abandoned"/>: its process is known to be gone, or it
    /// outlived every bound. A run that completed meanwhile is left as it is.
    /// </summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="abandonedAt">When it was found abandoned; recorded as its end. Not before its start.</param>
    /// <param name="reason">Why, kept as the run's output after whatever output it had.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when the run was marked; false when it was no longer running.</returns>
    /// <exception cref="KeyNotFoundException">No run has that id.</exception>
    Task<bool> AbandonRunAsync(Guid runId, DateTimeOffset abandonedAt, string reason, CancellationToken cancellationToken = default);

    /// <summary>Lists every run still in progress, of every script, oldest start first, with its runner where known.</summary>
    /// <param name="hostname">Only runs on this host; null for every host.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ScriptRun>> ListRunningAsync(string? hostname = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that a run of a script was skipped because another run held its lock. Keyed by
    /// <see cref="ScriptSkip.EventId"/>: recording the same event twice stores it once.
    /// </summary>
    /// <param name="skip">The event.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when the store changed; false when the event was already there.</returns>
    Task<bool> RecordSkipAsync(ScriptSkip skip, CancellationToken cancellationToken = default);

    /// <summary>A script's skip events in a window, newest first, at most <paramref name="limit"/>.</summary>
    /// <param name="name">The script's name.</param>
    /// <param name="since">Only events at or after this instant; null for all.</param>
    /// <param name="limit">How many events at most (1 to <see cref="RunQuery.MaxLimit"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ScriptSkip>> ListSkipsAsync(string name, DateTimeOffset? since = null, int limit = RunQuery.DefaultLimit, CancellationToken cancellationToken = default);

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

    /// <summary>
    /// Stores a batch of runs given whole in one transaction, each as <see cref="ImportRunAsync"/> would, and says per
    /// run what happened, in the batch's order. A run that breaks a rule (<see cref="RunImportStatus.Invalid"/>) or
    /// disagrees with the stored run of its id (<see cref="RunImportStatus.Conflict"/>) is not written; the others
    /// still are. A delivery with a receipt time keeps it, with its delivery kind and a clock-skew flag (see <see cref="RunArrival"/>).
    /// </summary>
    /// <param name="deliveries">The runs, with how they arrived; may be empty.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result per delivery, in order.</returns>
    Task<IReadOnlyList<RunImportResult>> ImportRunsAsync(IReadOnlyList<RunDelivery> deliveries, CancellationToken cancellationToken = default);

    /// <summary>One run by its id, of any script and outcome, with the tail of its output.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run; null when no run has that id.</returns>
    Task<ScriptRun?> GetRunAsync(Guid runId, CancellationToken cancellationToken = default);

    /// <summary>Lists a script's runs in a window, newest start first, one page.</summary>
    /// <param name="query">Which runs.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ScriptRun>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default);

    /// <summary>Lists every script the store knows, by name, with its last success and last failure.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ScriptSummary>> ListScriptsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The overview of every script the store knows, by name: last success and failure, recent runs, median runtime.
    /// Read in a bounded number of queries however many scripts there are.
    /// </summary>
    /// <param name="query">The windows.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ScriptOverview>> ReadOverviewAsync(OverviewQuery query, CancellationToken cancellationToken = default);

    /// <summary>Runtime statistics of a script's successful runs that started in [<paramref name="since"/>, <paramref name="until"/>).</summary>
    /// <param name="name">The script's name.</param>
    /// <param name="since">The window's inclusive start.</param>
    /// <param name="until">The window's exclusive end; not before <paramref name="since"/>.</param>
    /// <param name="hostname">Only runs on this host; null for every host.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<RuntimeStatistics> GetRuntimeStatisticsAsync(string name, DateTimeOffset since, DateTimeOffset until, string? hostname = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes completed (and abandoned) runs that started before <paramref name="olderThan"/>, and skip events
    /// before it, but keeps the newest
    /// <paramref name="keepLast"/> runs of every script and every script's last success. Works in small batches so
    /// that writers are never held up for long.
    /// </summary>
    /// <param name="olderThan">Runs that started before this instant may go.</param>
    /// <param name="keepLast">How many of each script's newest runs always stay; not negative.</param>
    /// <param name="cancellationToken">Cancels the call between batches.</param>
    /// <returns>How many runs were deleted.</returns>
    Task<long> PruneAsync(DateTimeOffset olderThan, int keepLast = 0, CancellationToken cancellationToken = default);

    /// <summary>
    /// Clears the output of completed (and abandoned) runs that started before <paramref name="olderThan"/>; the runs
    /// themselves stay. Output is most of a run's size and is read far less once a run is old, so it may be kept for
    /// less time than the run. Works in small batches so that writers are never held up for long.
    /// </summary>
    /// <param name="olderThan">Runs that started before this instant lose their output.</param>
    /// <param name="cancellationToken">Cancels the call between batches.</param>
    /// <returns>How many runs had their output cleared.</returns>
    Task<long> PruneOutputAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default);

    /// <summary>What the store is, its schema version and its size.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<StoreInfo> GetInfoAsync(CancellationToken cancellationToken = default);
}

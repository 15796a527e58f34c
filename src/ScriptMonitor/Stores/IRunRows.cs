using ScriptMonitor.Runs;

namespace ScriptMonitor.Stores;

/// <summary>
/// A backend's SQL for runs and skip events. Arguments arrive checked by <see cref="ScriptRunStoreBase"/>; the rules
/// of a run's life are <see cref="RunLifecycle"/>'s. Every failure of the database to be reached or written is a
/// <see cref="StoreUnavailableException"/>.
/// </summary>
public interface IRunRows
{
    /// <summary>Inserts a new run (and lists its script), synchronously, for the spec's synchronous calls.</summary>
    /// <param name="run">The run, checked.</param>
    /// <returns>True when it was inserted; false when its id is taken, and nothing was written.</returns>
    bool Insert(ScriptRun run);

    /// <inheritdoc cref="Insert"/>
    /// <param name="run">The run, checked.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<bool> InsertAsync(ScriptRun run, CancellationToken cancellationToken);

    /// <summary>Completes a started run as <see cref="RunLifecycle.Complete"/> decides, and returns it as stored.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="completion">How it ended, checked.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ScriptRun> CompleteAsync(Guid runId, RunCompletion completion, CancellationToken cancellationToken);

    /// <summary>
    /// Stores runs given whole in one transaction, each as <see cref="RunLifecycle.Judge"/> decides against the stored
    /// run of its id (and against the runs before it in the batch): inserted when new, replacing the stored one where
    /// it is stored, and left alone otherwise. A run the backend itself refuses (an instant ahead of a database
    /// server's clock) is <see cref="RunImportStatus.Invalid"/>; the others are still written. Safe against other
    /// writers of the same runs at the same time.
    /// </summary>
    /// <param name="runs">The runs, checked and normalized, with their arrival where they have one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One result per run, in order.</returns>
    Task<IReadOnlyList<RunImportResult>> ImportAsync(IReadOnlyList<ScriptRun> runs, CancellationToken cancellationToken);

    /// <summary>Marks a run abandoned as <see cref="RunLifecycle.Abandon"/> decides.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="abandonedAt">When, checked.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when the run was marked.</returns>
    Task<bool> AbandonAsync(Guid runId, DateTimeOffset abandonedAt, string reason, CancellationToken cancellationToken);

    /// <summary>The script's run with this outcome that started last, synchronously; null if none.</summary>
    /// <param name="scriptName">The script.</param>
    /// <param name="outcome">The outcome.</param>
    ScriptRun? LastRun(string scriptName, RunOutcome outcome);

    /// <inheritdoc cref="LastRun"/>
    /// <param name="scriptName">The script.</param>
    /// <param name="outcome">The outcome.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ScriptRun?> LastRunAsync(string scriptName, RunOutcome outcome, CancellationToken cancellationToken);

    /// <summary>The run with this id; null if none.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ScriptRun?> GetAsync(Guid runId, CancellationToken cancellationToken);

    /// <summary>One page of a script's runs, newest start first.</summary>
    /// <param name="query">Which runs, checked.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ScriptRun>> ListAsync(RunQuery query, CancellationToken cancellationToken);

    /// <summary>How many runs match a query, its page ignored.</summary>
    /// <param name="query">Which runs, checked.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<long> CountAsync(RunQuery query, CancellationToken cancellationToken);

    /// <summary>Every run in progress, oldest start first.</summary>
    /// <param name="hostname">Only on this host, checked; null for every host.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ScriptRun>> ListRunningAsync(string? hostname, CancellationToken cancellationToken);

    /// <summary>Inserts a skip event (and lists its script) unless its id is there.</summary>
    /// <param name="skip">The event, checked.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when it was inserted.</returns>
    Task<bool> InsertSkipAsync(ScriptSkip skip, CancellationToken cancellationToken);

    /// <summary>A script's skip events, newest first.</summary>
    /// <param name="scriptName">The script, checked.</param>
    /// <param name="since">Only at or after this instant; null for all.</param>
    /// <param name="limit">How many at most, checked.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ScriptSkip>> ListSkipsAsync(string scriptName, DateTimeOffset? since, int limit, CancellationToken cancellationToken);

    /// <summary>The runtimes of a script's successful runs that started in a window, in any order.</summary>
    /// <param name="scriptName">The script, checked.</param>
    /// <param name="since">The window's inclusive start.</param>
    /// <param name="until">The window's exclusive end.</param>
    /// <param name="hostname">Only on this host, checked; null for every host.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<TimeSpan>> RuntimesAsync(string scriptName, DateTimeOffset since, DateTimeOffset until, string? hostname, CancellationToken cancellationToken);

    /// <summary>Deletes old completed runs and skip events as <see cref="IScriptRunStore.PruneAsync"/> describes.</summary>
    /// <param name="olderThan">Runs that started before this may go.</param>
    /// <param name="keepLast">How many of each script's newest runs stay, checked.</param>
    /// <param name="cancellationToken">Cancels the call between batches.</param>
    /// <returns>How many runs were deleted.</returns>
    Task<long> PruneAsync(DateTimeOffset olderThan, int keepLast, CancellationToken cancellationToken);

    /// <summary>Clears the output of old completed runs as <see cref="IScriptRunStore.PruneOutputAsync"/> describes.</summary>
    /// <param name="olderThan">Runs that started before this lose their output.</param>
    /// <param name="cancellationToken">Cancels the call between batches.</param>
    /// <returns>How many runs had their output cleared.</returns>
    Task<long> PruneOutputAsync(DateTimeOffset olderThan, CancellationToken cancellationToken);
}

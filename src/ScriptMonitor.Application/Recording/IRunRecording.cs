using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Recording;

/// <summary>
/// Where a run's record goes: a store on this host or reached over the network, or a server. The <see cref="RunRecorder"/>
/// writes through it, with bounded waits and the spool around it; a client of a server implements it over HTTP. Every
/// write is keyed by an id (a run's, a skip's), so delivering the same record twice stores it once and a caller may
/// retry freely.
/// </summary>
/// <remarks>
/// A failure that is the record's own (it breaks a rule) is an <see cref="ArgumentException"/>, and retrying cannot
/// help. Any other failure (<see cref="StoreUnavailableException"/>, <see cref="StoreIncompatibleException"/>, a
/// network error) means the record cannot be written now; the recorder spools it.
/// </remarks>
public interface IRunRecording : IDisposable
{
    /// <summary>Where records go, for people to read (never with a password or a key).</summary>
    string Description { get; }

    /// <summary>Records that a run started; it stays running until <see cref="CompleteRunAsync"/>.</summary>
    /// <param name="run">The run: its id, script, host and start; its outcome is <see cref="RunOutcome.Running"/>.</param>
    /// <param name="runner">The process that will record its end, so that its death can be told later; null where unknown.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task RecordStartAsync(ScriptRun run, RunnerProcess? runner, CancellationToken cancellationToken = default);

    /// <summary>Records how a started run ended.</summary>
    /// <param name="run">The whole run, as it ended.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task CompleteRunAsync(ScriptRun run, CancellationToken cancellationToken = default);

    /// <summary>Records a whole run in one step, keyed by its id: a run already stored is left as it is.</summary>
    /// <param name="run">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when the record changed; false when it was already there.</returns>
    Task<bool> ImportRunAsync(ScriptRun run, CancellationToken cancellationToken = default);

    /// <summary>
    /// Tells where the runs go how many runs and skips this host's spool holds, when a delivery of the spool begins and
    /// when it ends, so that a host that is catching up after an outage can be seen. Nothing by default: a store has
    /// nobody to tell, and the spool's own log says it.
    /// </summary>
    /// <param name="hostname">The host whose spool it is.</param>
    /// <param name="waiting">Entries in the spool not yet delivered.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task ReportSpoolBacklogAsync(string hostname, int waiting, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>Records that a run was skipped because another run held the lock, keyed by the event's id.</summary>
    /// <param name="skip">The event.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when the record changed; false when it was already there.</returns>
    Task<bool> RecordSkipAsync(ScriptSkip skip, CancellationToken cancellationToken = default);

    /// <summary>The runs still in progress on one host, with their runners: only that host can tell whether they live.</summary>
    /// <param name="hostname">The host.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ScriptRun>> ListRunningAsync(string hostname, CancellationToken cancellationToken = default);

    /// <summary>Marks a run still in progress as abandoned; one that ended meanwhile is left as it is.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="abandonedAt">When it was found abandoned.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when the run was marked.</returns>
    Task<bool> AbandonRunAsync(Guid runId, DateTimeOffset abandonedAt, string reason, CancellationToken cancellationToken = default);
}

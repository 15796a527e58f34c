using ScriptMonitor.Application.Views;

namespace ScriptMonitor.Application.History;

/// <summary>
/// The runs a store holds: the last success, a script's runs and its runtime statistics, a run recorded after the
/// fact, a run left running closed, old runs pruned. <c>scriptmon last</c>, <c>runs</c>, <c>stats</c>, <c>record</c>,
/// <c>close</c> and <c>prune</c> ask this; a client of a server answers it over HTTP.
/// </summary>
/// <remarks>
/// A query about a script the store has no run of is refused (path <c>script</c>, rule <see cref="KnownScript.Rule"/>):
/// a typo in a name must not read as "never ran".
/// </remarks>
public interface IRunHistory
{
    /// <summary>The script's successful run with the latest start, on any host or on one.</summary>
    /// <param name="script">The script's name.</param>
    /// <param name="host">Only runs on this host; null for any.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run; null when the script never succeeded (there).</returns>
    /// <exception cref="Runs.ValidationException">A name breaks a rule, or the script is unknown.</exception>
    Task<RunView?> LastSuccessAsync(string script, string? host = null, CancellationToken cancellationToken = default);

    /// <summary>One run by its id, of any script, with the tail of its output.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run; null when no run has that id.</returns>
    Task<RunView?> GetRunAsync(Guid runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// A script's runs in a window, newest first, one page: <see cref="RunsView.Next"/> is the cursor of the next,
    /// strictly older page (<see cref="RunListRequest.Before"/>), null on the last.
    /// </summary>
    /// <param name="request">Which runs.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Runs.ValidationException">The request breaks a rule, or the script is unknown.</exception>
    Task<RunsView> ListAsync(RunListRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// A script's events that are not runs (Healthchecks' <c>/log</c>), newest first, one page; none for a store that
    /// keeps no events or a script that has none.
    /// </summary>
    /// <param name="script">The script's name.</param>
    /// <param name="limit">The most events of the page, 1 to <see cref="Runs.RunQuery.MaxLimit"/>.</param>
    /// <param name="offset">How many newer events to skip: the previous page's <see cref="EventsView.NextOffset"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Runs.ValidationException">The name or the limit breaks a rule.</exception>
    Task<EventsView> EventsAsync(string script, int limit = Runs.RunQuery.DefaultLimit, int offset = 0, CancellationToken cancellationToken = default);

    /// <summary>Runtime statistics of a script's successful runs in a window, with their durations and spread.</summary>
    /// <param name="request">Which runs.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Runs.ValidationException">The request breaks a rule, or the script is unknown.</exception>
    Task<StatsView> StatisticsAsync(StatsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Records a run that already happened, a success or a failure, and returns it as stored.</summary>
    /// <param name="request">The run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Runs.ValidationException">The run breaks a rule (a time far ahead, a completion before the start).</exception>
    Task<RunView> RecordAsync(RecordRequest request, CancellationToken cancellationToken = default);

    /// <summary>Closes a run left running that will never complete as abandoned; a run that ended is left as it is.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="reason">Why, kept with the run.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<RunClosedView> CloseAsync(Guid runId, string reason, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes completed and abandoned runs (and skips) that started before <paramref name="olderThan"/>, keeping each
    /// script's newest <paramref name="keepLast"/> runs and its last success; runs that will never complete are closed
    /// as abandoned first. A store that does not exist yet is left so.
    /// </summary>
    /// <param name="olderThan">Runs that started before this instant may go.</param>
    /// <param name="keepLast">How many of each script's newest runs always stay.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<PruneView> PruneAsync(DateTimeOffset olderThan, int keepLast, CancellationToken cancellationToken = default);
}

/// <summary>Which runs of a script to list.</summary>
/// <param name="Script">The script's name.</param>
/// <param name="Host">Only runs on this host; null for any.</param>
/// <param name="Since">Only runs that started at or after this instant; null for no bound.</param>
/// <param name="Until">Only runs that started before this instant; null for no bound.</param>
/// <param name="Limit">How many runs at most (1 to 10,000).</param>
public sealed record RunListRequest(string Script, string? Host = null, DateTimeOffset? Since = null, DateTimeOffset? Until = null, int Limit = Runs.RunQuery.DefaultLimit)
{
    /// <summary>
    /// Only runs after this cursor in the listing's order (newest first): the <see cref="RunsView.Next"/> of the
    /// previous page; null for the first page.
    /// </summary>
    public string? Before { get; init; }
}

/// <summary>Which successful runs of a script the statistics cover.</summary>
/// <param name="Script">The script's name.</param>
/// <param name="Since">The window's inclusive start.</param>
/// <param name="Until">The window's exclusive end.</param>
/// <param name="Host">Only runs on this host; null for any.</param>
public sealed record StatsRequest(string Script, DateTimeOffset Since, DateTimeOffset Until, string? Host = null);

/// <summary>A run that already happened.</summary>
/// <param name="Script">The script's name.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="CompletedAt">When it ended; not before the start.</param>
/// <param name="Host">The host it ran on; null for this machine's host name.</param>
/// <param name="Failed">True for a failed run, false for a success.</param>
/// <param name="ExitCode">A failed run's exit status.</param>
/// <param name="Message">What went wrong in a failed run.</param>
public sealed record RecordRequest(string Script, DateTimeOffset StartedAt, DateTimeOffset CompletedAt, string? Host = null, bool Failed = false, int? ExitCode = null, string? Message = null);

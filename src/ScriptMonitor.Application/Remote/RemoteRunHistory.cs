using ScriptMonitor.Application.History;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Configuration;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Remote;

/// <summary>
/// The runs kept by a server, read through its API. Recording after the fact, closing and pruning change the store
/// on its host and have no route: they are refused with a message that says where to run them.
/// </summary>
internal sealed class RemoteRunHistory(ServerConnection server) : IRunHistory
{
    public async Task<RunView?> LastSuccessAsync(string script, string? host = null, CancellationToken cancellationToken = default)
    {
        try
        {
            var path = ServerPaths.WithQuery(ServerPaths.Script(script, "last"), ("host", host));
            return (await server.GetJsonAsync(path, ViewJsonContext.Default.RunView, cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (KeyNotFoundException)
        {
            return null;
        }
    }

    public async Task<RunView?> GetRunAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await server.GetJsonAsync($"{ServerPaths.Api}runs/{runId}", ViewJsonContext.Default.RunView, cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (KeyNotFoundException)
        {
            return null;
        }
    }

    public async Task<EventsView> EventsAsync(string script, int limit = RunQuery.DefaultLimit, int offset = 0, CancellationToken cancellationToken = default)
    {
        RunValidation.ScriptName(script, StoreRunHistory.ScriptPath);
        StoreRunHistory.CheckPage(limit, offset);
        var path = ServerPaths.WithQuery(
            ServerPaths.Script(script, "events"),
            ("limit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("offset", offset == 0 ? null : offset.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return (await server.GetJsonAsync(path, ViewJsonContext.Default.EventsView, cancellationToken).ConfigureAwait(false)).Value!;
    }

    public async Task<RunsView> ListAsync(RunListRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckLocally(request.Script, request.Host, request.Since, request.Until);
        StoreRunHistory.CheckLimit(request.Limit);
        if (request.Before is { } before)
        {
            RunCursor.Parse(before, "request.Before");
        }

        var path = ServerPaths.WithQuery(
            ServerPaths.Script(request.Script, "runs"),
            ("since", ServerPaths.Instant(request.Since)),
            ("until", ServerPaths.Instant(request.Until)),
            ("host", request.Host),
            ("limit", ServerPaths.Number(request.Limit)),
            ("before", request.Before));
        return (await server.GetJsonAsync(path, ViewJsonContext.Default.RunsView, cancellationToken).ConfigureAwait(false)).Value;
    }

    public async Task<StatsView> StatisticsAsync(StatsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckLocally(request.Script, request.Host, request.Since, request.Until);
        var path = ServerPaths.WithQuery(
            ServerPaths.Script(request.Script, "stats"),
            ("since", ServerPaths.Instant(request.Since)),
            ("until", ServerPaths.Instant(request.Until)),
            ("host", request.Host));
        return (await server.GetJsonAsync(path, ViewJsonContext.Default.StatsView, cancellationToken).ConfigureAwait(false)).Value;
    }

    public Task<RunView> RecordAsync(RecordRequest request, CancellationToken cancellationToken = default) =>
        throw NotThroughServer("record");

    public Task<RunClosedView> CloseAsync(Guid runId, string reason, CancellationToken cancellationToken = default) =>
        throw NotThroughServer("close");

    public Task<PruneView> PruneAsync(DateTimeOffset olderThan, int keepLast, CancellationToken cancellationToken = default) =>
        throw NotThroughServer("prune");

    /// <summary>
    /// The rules a store's history checks before it opens the store, checked the same way here, so that a broken
    /// request is refused in the same words (naming the command's options) without a round trip.
    /// </summary>
    private static void CheckLocally(string script, string? host, DateTimeOffset? since, DateTimeOffset? until)
    {
        RunValidation.ScriptName(script, "request.Script");
        if (host is not null)
        {
            RunValidation.Hostname(host, "request.Host");
        }

        RunValidation.Window(since, until, "request.Until", "request.Since");
    }

    private ConfigurationException NotThroughServer(string command) => new(
        $"scriptmon {command} changes the store itself, which {server.Description} does not offer over its API; run it on the server's host against its store ({StoreLocator.DatabaseVariable} or --database).");
}

using ScriptMonitor.Application.Status;
using ScriptMonitor.Application.Views;

namespace ScriptMonitor.Application.Remote;

/// <summary>The status overview read from a server: the rows its <c>GET /api/v1/status</c> answers, from the same query.</summary>
internal sealed class RemoteStatusQuery(ServerConnection server) : IStatusQuery
{
    public async Task<StatusView> ReadAsync(CancellationToken cancellationToken = default) =>
        (await server.GetJsonAsync(ServerPaths.Api + "status", ViewJsonContext.Default.StatusView, cancellationToken).ConfigureAwait(false)).Value;
}

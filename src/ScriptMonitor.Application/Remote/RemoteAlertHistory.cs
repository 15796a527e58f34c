using ScriptMonitor.Application.Alerts;
using ScriptMonitor.Application.Views;

namespace ScriptMonitor.Application.Remote;

/// <summary>Flips and notifications read from a server's API (<c>GET /api/v1/scripts/{name}/flips</c>, <c>GET /api/v1/notifications</c>).</summary>
internal sealed class RemoteAlertHistory(ServerConnection server) : IAlertHistory
{
    public async Task<FlipsView> FlipsAsync(string script, int limit, CancellationToken cancellationToken = default)
    {
        StoreAlertHistory.Check(script, null, limit);
        var path = ServerPaths.WithQuery(ServerPaths.Script(script, "flips"), ("limit", ServerPaths.Number(limit)));
        return (await server.GetJsonAsync(path, ViewJsonContext.Default.FlipsView, cancellationToken).ConfigureAwait(false)).Value;
    }

    public async Task<NotificationsView> NotificationsAsync(string? script, string? channel, int limit, CancellationToken cancellationToken = default)
    {
        StoreAlertHistory.Check(script, channel, limit);
        var path = ServerPaths.WithQuery(ServerPaths.Api + "notifications", ("script", script), ("channel", channel), ("limit", ServerPaths.Number(limit)));
        return (await server.GetJsonAsync(path, ViewJsonContext.Default.NotificationsView, cancellationToken).ConfigureAwait(false)).Value;
    }
}

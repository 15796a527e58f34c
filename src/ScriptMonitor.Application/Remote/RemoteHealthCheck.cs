using ScriptMonitor.Application.Checks;
using ScriptMonitor.Application.Views;

namespace ScriptMonitor.Application.Remote;

/// <summary>The monitoring checks answered by a server (<c>GET /api/v1/check</c>), from the same check as against a store.</summary>
internal sealed class RemoteHealthCheck(ServerConnection server) : IHealthCheck
{
    public async Task<CheckView> CheckHealthAsync(HealthCheckRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parameters = request.Scripts.Select(script => ("script", (string?)script)).Append(("tag", request.Tag)).Append(("map", request.Map));
        return await CheckAsync(ServerPaths.WithQuery(ServerPaths.Api + "check", [.. parameters]), cancellationToken).ConfigureAwait(false);
    }

    public async Task<CheckView> CheckWindowAsync(WindowCheckRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parameters = request.Pairs.Select(pair => ("pair", (string?)pair)).Prepend(("window", request.Minutes));
        return await CheckAsync(ServerPaths.WithQuery(ServerPaths.Api + "check", [.. parameters]), cancellationToken).ConfigureAwait(false);
    }

    private async Task<CheckView> CheckAsync(string path, CancellationToken cancellationToken) =>
        (await server.GetJsonAsync(path, ViewJsonContext.Default.CheckView, cancellationToken).ConfigureAwait(false)).Value;
}

using ScriptMonitor.Runs;
using ScriptMonitor.Server.Hosting;

namespace ScriptMonitor.Server.Health;

/// <summary>Liveness and readiness, for a load balancer, an orchestrator or systemd's watchdog.</summary>
internal static class HealthEndpoints
{
    // Any valid script name does: the probe is an index seek that proves the store answers a read.
    private const string ProbeScriptName = "scriptmon-readiness-probe";

    private const string RetryAfterSeconds = "5";

    public static void MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(RoutePrefixes.Live, () => Results.Text("ok\n"));
        routes.MapGet(RoutePrefixes.Ready, ReadyAsync);
    }

    private static async Task<IResult> ReadyAsync(ServerStore store, HttpContext http, HttpResponse response, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await store.Runs.GetLastActivityAsync(ProbeScriptName, cancellationToken).ConfigureAwait(false);
            if (Alerts.AlertServices.NotReadyReason(http.RequestServices, time.GetUtcNow()) is { } lagging)
            {
                response.Headers.RetryAfter = RetryAfterSeconds;
                return Results.Text(lagging + "\n", statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            return Results.Text("ready\n");
        }
        catch (StoreUnavailableException)
        {
            response.Headers.RetryAfter = RetryAfterSeconds;
            return Results.Text("store unavailable\n", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}

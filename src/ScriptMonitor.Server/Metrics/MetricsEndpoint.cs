using ScriptMonitor.Application.Services;
using ScriptMonitor.Access;
using ScriptMonitor.Server.Access;
using ScriptMonitor.Server.Alerts;
using ScriptMonitor.Application.Alerts;
using ScriptMonitor.Server.Hosting;

namespace ScriptMonitor.Server.Metrics;

/// <summary>Prometheus' scrape endpoint: a read key, or anonymous when anonymous reading is on.</summary>
internal static class MetricsEndpoint
{
    /// <summary>Prometheus' text exposition format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private const int BytesPerScript = 1536;

    public static void MapMetricsEndpoint(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(RoutePrefixes.Metrics, ScrapeAsync)
            .RequireScope(KeyScope.Read)
            .ExcludeFromDescription();
    }

    private static async Task ScrapeAsync(MonitorServices services, HttpContext http, CancellationToken cancellationToken)
    {
        // A scrape that cannot read the store fails as a whole (503, StoreUnavailableProblems): Prometheus marks the
        // target down rather than keeping half a picture.
        var status = await services.Status.ReadAsync(cancellationToken).ConfigureAwait(false);

        // Kestrel writes asynchronously only: the page is built in memory (about 1.5 KB per script), then sent.
        using var page = new StringWriter(new System.Text.StringBuilder(status.Scripts.Count * BytesPerScript), System.Globalization.CultureInfo.InvariantCulture);
        ScriptMetricsWriter.Write(status, page);
        http.RequestServices.GetRequiredService<InstanceMetrics>().Write(page);
        var alerts = http.RequestServices;
        var depth = await alerts.GetRequiredService<ServerStore>().Runs.GetOutboxDepthAsync(cancellationToken).ConfigureAwait(false);
        AlertMetrics.Write(page, alerts.GetRequiredService<AlertEngine>(), alerts.GetRequiredService<AlertDispatcher>(), depth, alerts.GetRequiredService<TimeProvider>().GetUtcNow());
        http.Response.ContentType = ContentType;
        await http.Response.WriteAsync(page.ToString(), cancellationToken).ConfigureAwait(false);
    }
}

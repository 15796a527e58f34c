using Microsoft.AspNetCore.Http.Metadata;

namespace ScriptMonitor.Server.Metrics;

/// <summary>Times every request that reached a route, by the route's pattern, and counts ingest requests by status.</summary>
internal static class RequestMetrics
{
    /// <summary>The tag the ingest routes carry (<c>WithTags</c>), which marks a request as one that records runs.</summary>
    public const string IngestTag = "Ingest";

    public static IApplicationBuilder UseRequestMetrics(this IApplicationBuilder app)
    {
        var metrics = app.ApplicationServices.GetRequiredService<InstanceMetrics>();
        var time = app.ApplicationServices.GetRequiredService<TimeProvider>();
        return app.Use(async (http, next) =>
        {
            var started = time.GetTimestamp();
            try
            {
                await next(http).ConfigureAwait(false);
            }
            finally
            {
                // Only matched routes: a path per unknown URL would let any client add series.
                if (http.GetEndpoint() is RouteEndpoint endpoint)
                {
                    metrics.RequestServed(endpoint.RoutePattern.RawText ?? "unnamed", time.GetElapsedTime(started));
                    if (endpoint.Metadata.GetMetadata<ITagsMetadata>()?.Tags.Contains(IngestTag) == true)
                    {
                        metrics.IngestRequest(http.Response.StatusCode);
                    }
                }
            }
        });
    }
}

using ScriptMonitor.Runs;

namespace ScriptMonitor.Server.Api;

/// <summary>
/// One place turns a store that does not answer into 503 with <c>Retry-After</c>, as a problem, for every call of a
/// branch of the pipeline (the native API, the metrics), so no endpoint catches it for itself.
/// </summary>
internal static class StoreUnavailableProblems
{
    public static IApplicationBuilder UseStoreUnavailableProblems(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            try
            {
                await next(http).ConfigureAwait(false);
            }
            catch (StoreUnavailableException e) when (!http.Response.HasStarted)
            {
                await ApiProblems.StoreUnavailable(http, e.Message).ExecuteAsync(http).ConfigureAwait(false);
            }
        });
}

using ScriptMonitor.Server.Access;
using ScriptMonitor.Server.Alerts;
using ScriptMonitor.Server.Dashboard;
using ScriptMonitor.Server.Hosting;
using ScriptMonitor.Server.Ingest;

namespace ScriptMonitor.Server.Api;

/// <summary>The native JSON API under <see cref="RoutePrefixes.Api"/>, one route group per feature.</summary>
internal static class NativeApi
{
    /// <summary>Where the OpenAPI document of the native API is served.</summary>
    public const string OpenApiDocumentPath = RoutePrefixes.Api + "/openapi.json";

    public static void MapNativeApi(this WebApplication app)
    {
        // A body the framework refuses before an endpoint runs (JSON that does not parse) gets the API's problem
        // format too; only under the API's prefix, so no other protocol's errors take this shape.
        app.UseWhen(http => http.Request.Path.StartsWithSegments(RoutePrefixes.Api), api => api.UseStatusCodePages().UseStoreUnavailableProblems());
        app.UseWhen(http => http.Request.Path.StartsWithSegments(RoutePrefixes.Metrics), metrics => metrics.UseStoreUnavailableProblems());

        // After those two, so a key that cannot be looked up (the store down) is a 503 like any other store call.
        app.UseScopeCheck();
        var routes = app;
        var api = routes.MapGroup(RoutePrefixes.Api);
        api.MapStatusEndpoints();
        api.MapIngestEndpoints();
        api.MapSkipEndpoints();
        api.MapSpoolBacklogEndpoints();
        api.MapScriptEndpoints();
        api.MapCheckEndpoints();
        api.MapExpectationEndpoints();
        api.MapMaintenanceEndpoints();
        api.MapKeyEndpoints();
        api.MapAlertEndpoints();
        api.MapChannelEndpoints();
        api.MapWhoAmIEndpoints();
        api.MapOverviewEndpoints();
        api.MapScriptPageEndpoints();

        // The API's description holds no data, so it needs no key.
        routes.MapOpenApi(OpenApiDocumentPath);

        // Under the API's prefix, an unknown path is the API's own 404, in its own error format.
        api.MapFallback((HttpContext http) => ApiProblems.NotFound($"no endpoint {http.Request.Method} {http.Request.Path}"));
    }
}

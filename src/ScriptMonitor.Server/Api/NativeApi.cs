using ScriptMonitor.Server.Hosting;

namespace ScriptMonitor.Server.Api;

/// <summary>The native JSON API under <see cref="RoutePrefixes.Api"/>, one route group per feature.</summary>
internal static class NativeApi
{
    public static void MapNativeApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup(RoutePrefixes.Api);
        api.MapStatusEndpoints();

        // Under the API's prefix, an unknown path is the API's own 404, in its own error format.
        api.MapFallback((HttpContext http) => ApiProblems.NotFound($"no endpoint {http.Request.Method} {http.Request.Path}"));
    }
}

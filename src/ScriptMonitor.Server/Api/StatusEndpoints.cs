using ScriptMonitor.Application.Services;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Access;

namespace ScriptMonitor.Server.Api;

/// <summary>The status overview: the rows of <c>scriptmon status --json</c>, from the same query.</summary>
internal static class StatusEndpoints
{
    public static void MapStatusEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/status", ReadAsync).RequireScope(ApiScope.Read);
    }

    private static async Task<IResult> ReadAsync(MonitorServices services, HttpContext http, CancellationToken cancellationToken)
    {
        try
        {
            return Results.Ok(await services.Status.ReadAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (StoreUnavailableException e)
        {
            return ApiProblems.StoreUnavailable(http, e.Message);
        }
    }
}

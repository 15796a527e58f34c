using Microsoft.AspNetCore.Http.HttpResults;
using ScriptMonitor.Application.Services;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Runs;
using ScriptMonitor.Access;
using ScriptMonitor.Server.Access;

namespace ScriptMonitor.Server.Api;

/// <summary>The status overview: the rows of <c>scriptmon status --json</c>, from the same query.</summary>
internal static class StatusEndpoints
{
    public static void MapStatusEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/status", ReadAsync)
            .RequireScope(KeyScope.Read)
            .WithTags("Status")
            .WithName("GetStatus")
            .WithSummary("The status overview: one row per script, as scriptmon status --json prints it.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
    }

    private static async Task<Results<Ok<StatusView>, ProblemHttpResult>> ReadAsync(MonitorServices services, HttpContext http, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await services.Status.ReadAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (StoreUnavailableException e)
        {
            return ApiProblems.StoreUnavailable(http, e.Message);
        }
    }
}

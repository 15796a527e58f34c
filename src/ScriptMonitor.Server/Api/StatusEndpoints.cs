using Microsoft.AspNetCore.Http.HttpResults;
using ScriptMonitor.Application.Services;
using ScriptMonitor.Application.Views;
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
            .WithSummary("The status overview: one row per script, as scriptmon status --json prints it.");
    }

    private static async Task<Ok<StatusView>> ReadAsync(MonitorServices services, CancellationToken cancellationToken) =>
        TypedResults.Ok(await services.Status.ReadAsync(cancellationToken).ConfigureAwait(false));
}

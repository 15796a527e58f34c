using Microsoft.AspNetCore.Http.HttpResults;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Services;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Access;
using ScriptMonitor.Server.Api;

namespace ScriptMonitor.Server.Alerts;

/// <summary>What the alert loop recorded: a script's flips, and the notifications with their delivery (read scope).</summary>
internal static class AlertEndpoints
{
    public static void MapAlertEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/scripts/{name}/flips", FlipsAsync)
            .RequireScope(KeyScope.Read)
            .WithTags("Alerts")
            .WithName("ListFlips")
            .WithSummary("A script's changes of state, newest first, with their reasons and whether they were told.")
            .Produces<FlipsView>()
            .ProducesReadProblems();
        api.MapGet("/notifications", NotificationsAsync)
            .RequireScope(KeyScope.Read)
            .WithTags("Alerts")
            .WithName("ListNotifications")
            .WithSummary("Notifications newest first, of one script or channel or all, with their attempts, last error and status.")
            .Produces<NotificationsView>()
            .ProducesReadProblems();
    }

    private static async Task<Results<Ok<FlipsView>, ProblemHttpResult>> FlipsAsync(string name, string? limit, MonitorServices services, CancellationToken cancellationToken)
    {
        var query = new QueryValues();
        var script = query.Name(ScriptEndpoints.RouteName(name), "name", RunValidation.ScriptName);
        var pageSize = query.Limit(limit, "limit", RunQuery.DefaultLimit, RunQuery.MaxLimit);
        if (query.Refused)
        {
            return query.BadRequest();
        }

        return TypedResults.Ok(await services.AlertHistory.FlipsAsync(script!, pageSize, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<NotificationsView>, ProblemHttpResult>> NotificationsAsync(string? script, string? channel, string? limit, MonitorServices services, CancellationToken cancellationToken)
    {
        var query = new QueryValues();
        var scriptName = query.Name(script, "script", RunValidation.ScriptName);
        var channelName = query.Name(channel, "channel", RunValidation.ScriptName);
        var pageSize = query.Limit(limit, "limit", RunQuery.DefaultLimit, RunQuery.MaxLimit);
        if (query.Refused)
        {
            return query.BadRequest();
        }

        return TypedResults.Ok(await services.AlertHistory.NotificationsAsync(scriptName, channelName, pageSize, cancellationToken).ConfigureAwait(false));
    }
}

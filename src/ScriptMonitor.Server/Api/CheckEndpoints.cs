using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Checks;
using ScriptMonitor.Application.Services;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Access;

namespace ScriptMonitor.Server.Api;

/// <summary>
/// The monitoring check's data, so that <c>scriptmon check</c> runs against a server: the same status, exit code and
/// text as against the store. A check is answered 200 whatever its status; only a malformed request is refused.
/// </summary>
internal static class CheckEndpoints
{
    private static readonly ApiFields Fields = new(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["scripts"] = "script",
        ["tag"] = "tag",
        ["map"] = "map",
        ["MINUTES"] = "window",
        ["HOST:SCRIPT"] = "pair",
    });

    public static void MapCheckEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/check", CheckAsync)
            .RequireScope(KeyScope.Read)
            .WithTags("Checks")
            .WithName("Check")
            .WithSummary("The Nagios check: every script, the named ones (script=, repeated) or those with a tag, with an optional state map; or window=MINUTES with pair=HOST:SCRIPT.")
            .Produces<CheckView>()
            .ProducesReadProblems();
    }

    private static async Task<Results<Ok<CheckView>, ProblemHttpResult>> CheckAsync(
        [FromQuery] string[]? script, string? tag, string? map, string? window, [FromQuery] string[]? pair, MonitorServices services, CancellationToken cancellationToken)
    {
        try
        {
            if (window is not null)
            {
                if (tag is not null || map is not null || script is { Length: > 0 })
                {
                    var message = "window checks HOST:SCRIPT pairs only: give pair=, not script=, tag= or map=";
                    return ApiProblems.BadRequest(message, [new FieldProblem("window", "exclusive", message)]);
                }

                return TypedResults.Ok(await services.Checks.CheckWindowAsync(new WindowCheckRequest(window, pair ?? []), cancellationToken).ConfigureAwait(false));
            }

            return TypedResults.Ok(await services.Checks.CheckHealthAsync(new HealthCheckRequest(script ?? [], tag, map), cancellationToken).ConfigureAwait(false));
        }
        catch (ValidationException e)
        {
            return Fields.Refused(e);
        }
    }
}

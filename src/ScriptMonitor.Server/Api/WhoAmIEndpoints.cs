using Microsoft.AspNetCore.Http.HttpResults;
using ScriptMonitor.Access;
using ScriptMonitor.Server.Access;

namespace ScriptMonitor.Server.Api;

/// <summary>
/// Who the caller is to this server: the key's name and scope. The dashboard asks it to learn which controls to show
/// (pause and resume only for an admin key) without trying a change to find out.
/// </summary>
internal static class WhoAmIEndpoints
{
    public static void MapWhoAmIEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/whoami", Read)
            .RequireScope(KeyScope.Read)
            .WithTags("Keys")
            .WithName("WhoAmI")
            .WithSummary("The key presented: its name and scope; anonymous (read) when the server allows reading without a key.")
            .Produces<WhoAmIView>()
            .ProducesReadProblems();
    }

    private static Ok<WhoAmIView> Read(HttpContext http)
    {
        var caller = ScopeFilter.CallerOf(http);
        var scope = caller.Key?.Scope ?? KeyScope.Read;
        return TypedResults.Ok(new WhoAmIView(caller.Name, scope.ToString().ToLowerInvariant(), caller.Key is null));
    }
}

/// <summary>The caller of a request.</summary>
/// <param name="Name">The key's name; <c>anonymous</c> without a key.</param>
/// <param name="Scope"><c>read</c>, <c>ingest</c> or <c>admin</c>; <c>read</c> for an anonymous caller.</param>
/// <param name="Anonymous">Whether no key was presented (the server allows anonymous reading).</param>
internal sealed record WhoAmIView(string Name, string Scope, bool Anonymous);

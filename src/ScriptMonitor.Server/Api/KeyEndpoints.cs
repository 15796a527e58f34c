using Microsoft.AspNetCore.Http.HttpResults;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Access;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Access;
using ScriptMonitor.Server.Hosting;
using ScriptMonitor.Server.Ingest;

namespace ScriptMonitor.Server.Api;

/// <summary>
/// API keys and the audit list over HTTP, for an admin key: what <c>scriptmon key</c> does on the store's host, with
/// the admin key's name as the actor of every change.
/// </summary>
internal static class KeyEndpoints
{
    private static readonly ApiFields Fields = new(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["key.Name"] = "name",
        ["key.ScriptPatterns"] = "scripts",
        ["key.Scope"] = "scope",
        [StoreKeys.NameOrIdPath] = "nameOrId",
        ["nameOrId"] = "nameOrId",
    });

    public static void MapKeyEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/keys", ListAsync)
            .RequireScope(KeyScope.Admin)
            .WithTags("Keys")
            .WithName("ListKeys")
            .WithSummary("Every key, revoked ones too, oldest first; never a secret.")
            .Produces<KeyListView>()
            .ProducesReadProblems();
        api.MapPost("/keys", CreateAsync)
            .RequireScope(KeyScope.Admin)
            .WithTags("Keys")
            .WithName("CreateKey")
            .WithSummary("Creates a key; the answer holds its secret, this once.")
            .Documents<KeyCreateRequest>()
            .Produces<KeyCreatedView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesReadProblems();
        api.MapDelete("/keys/{nameOrId}", RevokeAsync)
            .RequireScope(KeyScope.Admin)
            .WithTags("Keys")
            .WithName("RevokeKey")
            .WithSummary("Revokes the active key with this id or name; every server instance refuses it within 5 seconds.")
            .Produces<KeyRevokedView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesReadProblems();
        api.MapGet("/audit", AuditAsync)
            .RequireScope(KeyScope.Admin)
            .WithTags("Keys")
            .WithName("ListAudit")
            .WithSummary("The audit list, newest first: every change made with an admin key or the command line, who made it and when.")
            .Produces<AuditListView>()
            .ProducesReadProblems();
    }

    private static async Task<Ok<KeyListView>> ListAsync(KeyService keys, ServerStore store, CancellationToken cancellationToken)
    {
        var list = await keys.ListAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new KeyListView(store.Location.ToString(), [.. list.Select(KeyView.From)]));
    }

    private static async Task<Results<Created<KeyCreatedView>, ProblemHttpResult>> CreateAsync(HttpContext http, KeyService keys, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync(http, ServerJsonContext.Default.KeyCreateRequest, optional: false, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var query = new QueryValues();
        if (body!.Name is null)
        {
            query.Add("name", FieldRules.Required, "name is required");
        }

        KeyScope scope = default;
        if (body.Scope is null)
        {
            query.Add("scope", FieldRules.Required, "scope is required: ingest, read or admin");
        }
        else if (!Enum.TryParse(body.Scope, ignoreCase: true, out scope) || !Enum.IsDefined(scope) || body.Scope.Any(char.IsDigit))
        {
            query.Add("scope", FieldRules.Scope, $"scope ('{body.Scope}') must be ingest, read or admin");
        }

        if (query.Refused)
        {
            return query.BadRequest();
        }

        try
        {
            var created = await keys.CreateAsync(body.Name!, scope, body.Scripts ?? [], ScopeFilter.CallerOf(http).Name, cancellationToken).ConfigureAwait(false);
            var view = new KeyCreatedView(KeyView.From(created.Key), created.Secret);
            return TypedResults.Created($"{RoutePrefixes.Api}/keys/{view.Key.Id}", view);
        }
        catch (ValidationException e)
        {
            return Fields.Refused(e);
        }
        catch (InvalidOperationException e)
        {
            return ApiProblems.Conflict(e.Message);
        }
    }

    private static async Task<Results<Ok<KeyRevokedView>, ProblemHttpResult>> RevokeAsync(string nameOrId, HttpContext http, KeyService keys, CancellationToken cancellationToken)
    {
        var query = new QueryValues();
        query.Name(nameOrId, "nameOrId", RunValidation.ScriptName);
        if (query.Refused)
        {
            return query.BadRequest();
        }

        return await keys.RevokeAsync(nameOrId, ScopeFilter.CallerOf(http).Name, cancellationToken).ConfigureAwait(false)
            ? TypedResults.Ok(new KeyRevokedView(nameOrId, true))
            : ApiProblems.NotFound($"no active key has the name or id '{nameOrId}'");
    }

    private static async Task<Results<Ok<AuditListView>, ProblemHttpResult>> AuditAsync(string? before, string? limit, ServerStore store, CancellationToken cancellationToken)
    {
        var query = new QueryValues();
        var end = query.Instant(before, "before");
        var pageSize = query.Limit(limit, "limit", RunQuery.DefaultLimit, RunQuery.MaxLimit);
        if (query.Refused)
        {
            return query.BadRequest();
        }

        var entries = await store.Runs.ListAuditAsync(end, pageSize, cancellationToken).ConfigureAwait(false);
        var views = entries.Select(e => new AuditEntryView(Timestamps.FormatIso(e.At), e.Actor, e.Action, e.Target, e.Detail)).ToList();
        return TypedResults.Ok(new AuditListView(views, entries.Count == pageSize ? views[^1].At : null));
    }
}

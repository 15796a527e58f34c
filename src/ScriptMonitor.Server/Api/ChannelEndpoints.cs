using Microsoft.AspNetCore.Http.HttpResults;
using ScriptMonitor.Access;
using ScriptMonitor.Alerts;
using ScriptMonitor.Application.Alerts;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Access;
using ScriptMonitor.Server.Hosting;

namespace ScriptMonitor.Server.Api;

/// <summary>
/// The channels notifications go to, for an admin key: what <c>scriptmon channel</c> does on the store's host, except
/// command channels, which run a program on the server's host and are added there only. Secrets are written, never
/// returned: every answer lists them by name.
/// </summary>
internal static class ChannelEndpoints
{
    private const string PutAction = "channel.put";
    private const string DeleteAction = "channel.delete";

    private static readonly ApiFields Fields = new(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["repeatEvery"] = "repeatEverySeconds",
    });

    public static void MapChannelEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/channels", ListAsync)
            .RequireScope(KeyScope.Admin)
            .WithTags("Channels")
            .WithName("ListChannels")
            .WithSummary("Every channel by name: kind, settings, routing, whether it is broken; secrets by name only.")
            .Produces<ChannelListView>()
            .ProducesReadProblems();
        api.MapGet("/channels/{name}", GetAsync)
            .RequireScope(KeyScope.Admin)
            .WithTags("Channels")
            .WithName("GetChannel")
            .WithSummary("One channel; secrets by name only.")
            .Produces<ChannelView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesReadProblems();
        api.MapPut("/channels/{name}", PutAsync)
            .RequireScope(KeyScope.Admin)
            .WithTags("Channels")
            .WithName("PutChannel")
            .WithSummary("Adds a channel (201), or with replace=true replaces the one of its name (200); checked by its kind's rules first, nothing saved when one is broken. Kind command is refused.")
            .Documents<ChannelRequest>()
            .Produces<ChannelSavedView>(StatusCodes.Status201Created)
            .Produces<ChannelSavedView>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesReadProblems();
        api.MapDelete("/channels/{name}", DeleteAsync)
            .RequireScope(KeyScope.Admin)
            .WithTags("Channels")
            .WithName("DeleteChannel")
            .WithSummary("Removes a channel; its notifications stay listed and pending ones fail.")
            .Produces<ChannelRemovedView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesReadProblems();
        api.MapPost("/channels/{name}/test", TestAsync)
            .RequireScope(KeyScope.Admin)
            .WithTags("Channels")
            .WithName("TestChannel")
            .WithSummary("Sends a test notification now, directly (not through the outbox), and answers whether the channel took it (200 either way).")
            .Produces<ChannelTestView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesReadProblems();
    }

    private static async Task<Results<Ok<ChannelListView>, ProblemHttpResult>> ListAsync(ChannelService channels, ServerStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ChannelListView(store.Location.ToString(), await channels.ListAsync(cancellationToken).ConfigureAwait(false)));

    private static async Task<Results<Ok<ChannelView>, ProblemHttpResult>> GetAsync(string name, ChannelService channels, CancellationToken cancellationToken)
    {
        if (NameProblem(name) is { } problem)
        {
            return problem;
        }

        return await channels.GetAsync(name, cancellationToken).ConfigureAwait(false) is { } channel
            ? TypedResults.Ok(channel)
            : ApiProblems.NotFound($"no channel is named '{name}'");
    }

    private static async Task<Results<Created<ChannelSavedView>, Ok<ChannelSavedView>, ProblemHttpResult>> PutAsync(string name, string? replace, HttpContext http, ChannelService channels, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync(http, ChannelJsonContext.Default.ChannelRequest, optional: false, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var query = new QueryValues();
        if (replace is not (null or "true" or "false"))
        {
            query.Add("replace", ChannelValidation.OneOfRule, $"replace must be true or false (got '{replace}')");
        }

        var kind = ChannelSettings.ParseKind(body!.Kind);
        if (body.Kind is null)
        {
            query.Add("kind", FieldRules.Required, "kind is required: webhook, slack or email");
        }
        else if (kind is null)
        {
            query.Add("kind", ChannelValidation.OneOfRule, $"kind must be webhook, slack or email (got '{body.Kind}')");
        }
        else if (kind == ChannelKind.Command)
        {
            query.Add("kind", ChannelValidation.OneOfRule,
                "kind command is not accepted over the API: a command channel runs a program on the server's host, so it is added there with 'scriptmon channel add' on the server's store");
        }

        if (body.RepeatEverySeconds is { } seconds && (double.IsNaN(seconds) || seconds <= 0 || seconds > ScriptMonitor.Health.DurationText.Maximum.TotalSeconds))
        {
            query.Add("repeatEverySeconds", FieldRules.Range, $"repeatEverySeconds must be a positive number of seconds (got {seconds})");
        }

        if (query.Refused)
        {
            return query.BadRequest();
        }

        var channel = new AlertChannel(name, kind!.Value)
        {
            Settings = body.Settings ?? new Dictionary<string, string>(),
            Secrets = body.Secrets ?? new Dictionary<string, string>(),
            Tags = body.Tags ?? [],
            ScriptNames = body.Scripts ?? [],
            RepeatEvery = body.RepeatEverySeconds is { } every ? TimeSpan.FromSeconds(every) : null,
        };
        try
        {
            var saved = await channels.SaveAsync(channel, replace == "true", cancellationToken).ConfigureAwait(false);
            await AdminAudit.RecordAsync(http, PutAction, saved.Channel.Name, $"{saved.Status} a {saved.Channel.Kind} channel", cancellationToken).ConfigureAwait(false);
            return saved.Status == "created"
                ? TypedResults.Created($"{RoutePrefixes.Api}/channels/{Uri.EscapeDataString(saved.Channel.Name)}", saved)
                : TypedResults.Ok(saved);
        }
        catch (ValidationException e)
        {
            return Fields.Refused(e);
        }
        catch (InvalidOperationException e)
        {
            return ApiProblems.Conflict(e.Message.TrimEnd('.') + " (PUT it with ?replace=true to replace it)");
        }
    }

    private static async Task<Results<Ok<ChannelRemovedView>, ProblemHttpResult>> DeleteAsync(string name, HttpContext http, ChannelService channels, CancellationToken cancellationToken)
    {
        if (NameProblem(name) is { } problem)
        {
            return problem;
        }

        if (!await channels.RemoveAsync(name, cancellationToken).ConfigureAwait(false))
        {
            return ApiProblems.NotFound($"no channel is named '{name}'");
        }

        await AdminAudit.RecordAsync(http, DeleteAction, name, null, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new ChannelRemovedView(name, true));
    }

    private static async Task<Results<Ok<ChannelTestView>, ProblemHttpResult>> TestAsync(string name, ChannelService channels, CancellationToken cancellationToken)
    {
        if (NameProblem(name) is { } problem)
        {
            return problem;
        }

        var kind = await channels.KindOfAsync(name, cancellationToken).ConfigureAwait(false);
        if (kind is null)
        {
            return ApiProblems.NotFound($"no channel is named '{name}'");
        }

        if (kind == ChannelKind.Command)
        {
            const string Message = "kind: a command channel is tested on the server's host ('scriptmon channel test' on the server's store), never over the API";
            return ApiProblems.BadRequest(Message, [new FieldProblem("kind", ChannelValidation.OneOfRule, Message)]);
        }

        var result = await channels.TestAsync(name, cancellationToken).ConfigureAwait(false);
        return result is null ? ApiProblems.NotFound($"no channel is named '{name}'") : TypedResults.Ok(result);
    }

    private static ProblemHttpResult? NameProblem(string name)
    {
        var query = new QueryValues();
        query.Name(name, "name", RunValidation.ScriptName);
        return query.Refused ? query.BadRequest() : null;
    }
}

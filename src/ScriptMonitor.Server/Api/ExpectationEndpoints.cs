using Microsoft.AspNetCore.Http.HttpResults;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Expectations;
using ScriptMonitor.Application.Services;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Access;
using ScriptMonitor.Server.Ingest;

namespace ScriptMonitor.Server.Api;

/// <summary>
/// What scripts are expected to do, as <c>scriptmon expect</c> shows and sets it, and pausing a script's alerting.
/// Reading needs the read scope; every change needs admin and is recorded in the audit list.
/// </summary>
internal static class ExpectationEndpoints
{
    /// <summary>The patch's fields (and the expectation's, and the schedule's) as the request's JSON names them.</summary>
    internal static readonly ApiFields Fields = new(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["script"] = "name",
        ["patch.Every"] = "everySeconds",
        ["period"] = "everySeconds",
        ["patch.Cron"] = "cron",
        ["expression"] = "cron",
        ["patch.TimeZone"] = "timeZone",
        ["patch.Grace"] = "graceSeconds",
        ["expectation.Grace"] = "graceSeconds",
        ["patch.MinRuntime"] = "minRuntimeSeconds",
        ["expectation.MinRuntime"] = "minRuntimeSeconds",
        ["patch.MaxRuntime"] = "maxRuntimeSeconds",
        ["expectation.MaxRuntime"] = "maxRuntimeSeconds",
        ["patch.Hosts"] = "hosts",
        ["expectation.Hosts"] = "hosts",
        ["patch.AtLeast"] = "atLeast",
        ["patch.FailuresTolerated"] = "failuresTolerated",
        ["expectation.FailuresTolerated"] = "failuresTolerated",
        ["patch.AbandonAfter"] = "abandonAfterSeconds",
        ["expectation.AbandonAfter"] = "abandonAfterSeconds",
        ["patch.SkipsBeforeAlert"] = "skipsBeforeAlert",
        ["expectation.SkipsBeforeAlert"] = "skipsBeforeAlert",
        ["patch.Pause"] = "pause",
        ["expectation.Paused"] = "pause",
        ["patch.Until"] = "until",
        ["expectation.PausedUntil"] = "until",
        ["patch.Resume"] = "resume",
        ["patch.Tags"] = "tags",
        ["expectation.Tags"] = "tags",
        ["expectation.Schedule"] = "everySeconds",
        ["expectation.Schedule.Period"] = "everySeconds",
        ["expectation.Schedule.Expression"] = "cron",
        ["expectation.Schedule.TimeZone"] = "timeZone",
        ["expectation.Hosts.MinimumCount"] = "atLeast",
        ["expectation.ScriptName"] = "name",
    });

    // A duration beyond this is no schedule or runtime of a script (and beyond TimeSpan's range soon after).

    public static void MapExpectationEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/expectations", ListAsync)
            .RequireScope(KeyScope.Read)
            .WithTags("Expectations")
            .WithName("ListExpectations")
            .WithSummary("Every expectation, by script name.")
            .Produces<ExpectationListView>()
            .ProducesReadProblems();
        api.MapGet("/scripts/{name}/expectation", GetAsync)
            .RequireScope(KeyScope.Read)
            .WithTags("Expectations")
            .WithName("GetExpectation")
            .WithSummary("A script's expectation; 404 when none is set.")
            .Produces<ExpectationView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesReadProblems();
        api.MapPut("/scripts/{name}/expectation", PutAsync)
            .RequireScope(KeyScope.Admin)
            .WithTags("Expectations")
            .WithName("PutExpectation")
            .WithSummary("Changes a script's expectation: each field given replaces that field; fields left out keep their value.")
            .Documents<ExpectationPatchRequest>()
            .Produces<ExpectationView>()
            .ProducesReadProblems();
        api.MapDelete("/scripts/{name}/expectation", DeleteAsync)
            .RequireScope(KeyScope.Admin)
            .WithTags("Expectations")
            .WithName("DeleteExpectation")
            .WithSummary("Removes a script's expectation; its runs stay.")
            .Produces<ExpectationRemovedView>()
            .ProducesReadProblems();
        api.MapPost("/scripts/{name}/expectation/learn", LearnAsync)
            .RequireScope(KeyScope.Admin)
            .WithTags("Expectations")
            .WithName("LearnExpectation")
            .WithSummary("What the script's history says about its period and runtime; with save=true, made its expectation. 404 while there is too little history.")
            .Produces<LearnedView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesReadProblems();
        api.MapPost("/scripts/{name}/pause", PauseAsync)
            .RequireScope(KeyScope.Admin)
            .WithTags("Expectations")
            .WithName("PauseScript")
            .WithSummary("Pauses a script's alerting, until it is resumed or until the instant given.")
            .Documents<PauseRequest>(optional: true)
            .Produces<ExpectationView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesReadProblems();
        api.MapPost("/scripts/{name}/resume", ResumeAsync)
            .RequireScope(KeyScope.Admin)
            .WithTags("Expectations")
            .WithName("ResumeScript")
            .WithSummary("Lifts a pause of a script's alerting.")
            .Produces<ExpectationView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesReadProblems();
    }

    private static async Task<Ok<ExpectationListView>> ListAsync(MonitorServices services, CancellationToken cancellationToken) =>
        TypedResults.Ok(await services.Expectations.ListAsync(cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<ExpectationView>, ProblemHttpResult>> GetAsync(string name, MonitorServices services, CancellationToken cancellationToken)
    {
        name = ScriptEndpoints.RouteName(name);
        try
        {
            return await services.Expectations.GetAsync(name, cancellationToken).ConfigureAwait(false) is { } expectation
                ? TypedResults.Ok(expectation)
                : ApiProblems.NotFound($"'{name}' has no expectation set");
        }
        catch (ValidationException e)
        {
            return Fields.Refused(e);
        }
    }

    private static async Task<Results<Ok<ExpectationView>, ProblemHttpResult>> PutAsync(string name, HttpContext http, MonitorServices services, CancellationToken cancellationToken)
    {
        name = ScriptEndpoints.RouteName(name);
        var (body, problem) = await JsonBody.ReadAsync(http, ServerJsonContext.Default.ExpectationPatchRequest, optional: false, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var query = new QueryValues();
        var patch = PatchOf(body!, query);
        if (query.Refused)
        {
            return query.BadRequest();
        }

        if (patch.IsEmpty)
        {
            const string message = "the patch changes nothing: give at least one field";
            return ApiProblems.BadRequest(message, [new FieldProblem(string.Empty, FieldRules.Required, message)]);
        }

        return await ChangeAsync(http, name, patch, AdminAudit.ExpectationPut, services, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Results<Ok<ExpectationRemovedView>, ProblemHttpResult>> DeleteAsync(string name, HttpContext http, MonitorServices services, CancellationToken cancellationToken)
    {
        name = ScriptEndpoints.RouteName(name);
        try
        {
            var removed = await services.Expectations.RemoveAsync(name, cancellationToken).ConfigureAwait(false);
            if (removed.Removed)
            {
                await AdminAudit.RecordAsync(http, AdminAudit.ExpectationDelete, removed.Script, null, cancellationToken).ConfigureAwait(false);
            }

            return TypedResults.Ok(removed);
        }
        catch (ValidationException e)
        {
            return Fields.Refused(e);
        }
    }

    private static async Task<Results<Ok<LearnedView>, ProblemHttpResult>> LearnAsync(string name, string? save, HttpContext http, MonitorServices services, CancellationToken cancellationToken)
    {
        name = ScriptEndpoints.RouteName(name);
        var query = new QueryValues();
        var saving = query.Flag(save, "save");
        if (query.Refused)
        {
            return query.BadRequest();
        }

        try
        {
            if (await services.Expectations.LearnAsync(name, saving, cancellationToken).ConfigureAwait(false) is not { } learned)
            {
                return ApiProblems.NotFound($"'{name}' has too few successful runs to learn from yet");
            }

            if (learned.Saved)
            {
                await AdminAudit.RecordAsync(http, AdminAudit.ExpectationLearn, learned.Script, $"learned from {learned.SampleCount} runs: every {learned.PeriodSeconds} s, grace {learned.GraceSeconds} s, runtime {learned.RuntimeLowSeconds}–{learned.RuntimeHighSeconds} s", cancellationToken).ConfigureAwait(false);
            }

            return TypedResults.Ok(learned);
        }
        catch (ValidationException e)
        {
            return Fields.Refused(e);
        }
    }

    private static async Task<Results<Ok<ExpectationView>, ProblemHttpResult>> PauseAsync(string name, HttpContext http, MonitorServices services, CancellationToken cancellationToken)
    {
        name = ScriptEndpoints.RouteName(name);
        var (body, problem) = await JsonBody.ReadAsync(http, ServerJsonContext.Default.PauseRequest, optional: true, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (await KnownScriptAsync(name, services, cancellationToken).ConfigureAwait(false) is { } unknown)
        {
            return unknown;
        }

        return await ChangeAsync(http, name, new ExpectationPatch(Pause: true, Until: body?.Until), AdminAudit.ScriptPause, services, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Results<Ok<ExpectationView>, ProblemHttpResult>> ResumeAsync(string name, HttpContext http, MonitorServices services, CancellationToken cancellationToken)
    {
        name = ScriptEndpoints.RouteName(name);
        if (await KnownScriptAsync(name, services, cancellationToken).ConfigureAwait(false) is { } unknown)
        {
            return unknown;
        }

        return await ChangeAsync(http, name, new ExpectationPatch(Resume: true), AdminAudit.ScriptResume, services, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Pausing a name no run and no expectation has is a typo, not a new script: 404.</summary>
    private static async Task<ProblemHttpResult?> KnownScriptAsync(string name, MonitorServices services, CancellationToken cancellationToken)
    {
        try
        {
            if (await services.Expectations.GetAsync(name, cancellationToken).ConfigureAwait(false) is not null)
            {
                return null;
            }

            await services.History.LastSuccessAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (ValidationException e)
        {
            return Fields.Refused(e);
        }
    }

    private static async Task<Results<Ok<ExpectationView>, ProblemHttpResult>> ChangeAsync(
        HttpContext http, string name, ExpectationPatch patch, string action, MonitorServices services, CancellationToken cancellationToken)
    {
        try
        {
            var view = await services.Expectations.SetAsync(name, patch, cancellationToken).ConfigureAwait(false);
            if (view.Change != "unchanged")
            {
                var detail = action == AdminAudit.ScriptPause && view.PausedUntil is { } until ? $"until {until}" : view.Change;
                await AdminAudit.RecordAsync(http, action, view.Script, detail, cancellationToken).ConfigureAwait(false);
            }

            return TypedResults.Ok(view);
        }
        catch (ValidationException e)
        {
            return Fields.Refused(e);
        }
    }

    private static ExpectationPatch PatchOf(ExpectationPatchRequest body, QueryValues problems)
    {
        return new ExpectationPatch(
            Every: problems.Seconds(body.EverySeconds, "everySeconds"),
            Cron: body.Cron,
            TimeZone: body.TimeZone,
            Grace: problems.Seconds(body.GraceSeconds, "graceSeconds"),
            MinRuntime: problems.Seconds(body.MinRuntimeSeconds, "minRuntimeSeconds"),
            MaxRuntime: problems.Seconds(body.MaxRuntimeSeconds, "maxRuntimeSeconds"),
            Hosts: body.Hosts,
            AtLeast: body.AtLeast,
            FailuresTolerated: body.FailuresTolerated,
            AbandonAfter: problems.Seconds(body.AbandonAfterSeconds, "abandonAfterSeconds"),
            SkipsBeforeAlert: body.SkipsBeforeAlert,
            Pause: body.Pause ?? false,
            Until: body.Until,
            Resume: body.Resume ?? false,
            Tags: body.Tags);
    }
}

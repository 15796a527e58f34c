using Microsoft.AspNetCore.Http.HttpResults;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Access;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Access;
using ScriptMonitor.Server.Api;
using ScriptMonitor.Server.Hosting;

namespace ScriptMonitor.Server.Ingest;

/// <summary>
/// Recording runs over HTTP. Idempotent by run id, so a client may retry any request: delivered twice, stored once.
/// A 2xx is sent only after the run is committed (SQLite <c>synchronous=FULL</c>, a PostgreSQL commit).
/// </summary>
internal static class IngestEndpoints
{
    // The library's names of a run's fields → the request's.
    private static readonly Dictionary<string, string> FieldNames = new(StringComparer.Ordinal)
    {
        ["run.RunId"] = "id",
        ["run.ScriptName"] = "script",
        ["run.Hostname"] = "host",
        ["run.StartedAt"] = "startedAt",
        ["run.CompletedAt"] = "completedAt",
        ["run.Outcome"] = "outcome",
        ["run.ExitCode"] = "exitCode",
        ["run.Output"] = "output",
    };

    public static void MapIngestEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/runs", RecordAsync)
            .RequireScope(KeyScope.Ingest)
            .WithTags("Ingest")
            .WithName("RecordRun")
            .WithSummary("Records a run: a start (outcome running, no completedAt) or a finished run, which completes its start. Idempotent by id: sending it again stores it once (200 instead of 201).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<Results<Created<RunReceipt>, Ok<RunReceipt>, ProblemHttpResult>> RecordAsync(
        RunRecord record, ServerStore store, HttpContext http, CancellationToken cancellationToken)
    {
        if (Missing(record) is { Count: > 0 } missing)
        {
            return ApiProblems.BadRequest("the run lacks required fields", missing);
        }

        var caller = ScopeFilter.CallerOf(http);
        if (caller.Key is { Scope: KeyScope.Ingest } key && !KeyService.AllowsScript(key, record.Script!))
        {
            return ApiProblems.Forbidden($"the key '{caller.Name}' may not record runs of '{record.Script}'");
        }

        var run = new ScriptRun(record.Id!.Value, record.Script!, record.Host!, record.StartedAt!.Value, record.CompletedAt, OutcomeOf(record.Outcome!), record.ExitCode, record.Output);
        try
        {
            var stored = await store.Runs.ImportRunAsync(run, cancellationToken).ConfigureAwait(false);
            var receipt = new RunReceipt(run.RunId, stored);
            return stored ? TypedResults.Created($"{RoutePrefixes.Api}/runs/{run.RunId}", receipt) : TypedResults.Ok(receipt);
        }
        catch (ValidationException e)
        {
            return ApiProblems.BadRequest("the run breaks a rule", [.. e.Errors.Select(error => new FieldProblem(NameOf(error.Path), error.Rule, error.Describe(NameOf)))]);
        }
    }

    // A run that started and has not ended: recorded as it starts, and completed by the same run sent again whole.
    private const string Running = "running";

    private static List<FieldProblem> Missing(RunRecord record)
    {
        var missing = new List<FieldProblem>();
        void Require(bool present, string path)
        {
            if (!present)
            {
                missing.Add(new FieldProblem(path, FieldRules.Required, $"{path} is required"));
            }
        }

        Require(record.Id is { } id && id != Guid.Empty, "id");
        Require(record.Script is not null, "script");
        Require(record.Host is not null, "host");
        Require(record.StartedAt is not null, "startedAt");
        Require(record.CompletedAt is not null || record.Outcome == Running, "completedAt");
        Require(record.Outcome is not null, "outcome");
        if (record.Outcome is { } outcome && outcome is not ("succeeded" or "failed" or Running))
        {
            missing.Add(new FieldProblem("outcome", FieldRules.Outcome, "outcome must be succeeded, failed or running"));
        }

        return missing;
    }

    private static RunOutcome OutcomeOf(string outcome) => outcome switch
    {
        "succeeded" => RunOutcome.Succeeded,
        "failed" => RunOutcome.Failed,
        _ => RunOutcome.Running,
    };

    private static string NameOf(string libraryPath) => FieldNames.GetValueOrDefault(libraryPath, libraryPath);
}

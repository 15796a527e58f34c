using Microsoft.AspNetCore.Http.HttpResults;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Access;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Access;
using ScriptMonitor.Server.Api;
using ScriptMonitor.Server.Hosting;
using ScriptMonitor.Server.Metrics;

namespace ScriptMonitor.Server.Ingest;

/// <summary>
/// Recording runs over HTTP: a finished run whole, or a start and later its completion. Idempotent by run id, so a
/// client may retry any request: delivered twice, stored once. Every write goes through the group commit
/// (<see cref="IngestQueue"/>), and a 2xx is sent only after it is committed (SQLite <c>synchronous=FULL</c>, a
/// PostgreSQL commit).
/// </summary>
internal static class IngestEndpoints
{
    private const string Running = "running";
    private const string Succeeded = "succeeded";
    private const string Failed = "failed";

    /// <summary>The most runs one batch request may hold: one commit's worth several times over, a body of a few MB.</summary>
    private const int MaxBatchRuns = 1_000;

    /// <summary>The rule key of a delivery that is neither <c>live</c> nor <c>spool</c>.</summary>
    private const string DeliveryRule = "delivery";

    // The library's names of a run's fields → the request's.
    private static readonly ApiFields Fields = new(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["run.RunId"] = "id",
        ["run.ScriptName"] = "script",
        ["run.Hostname"] = "host",
        ["run.StartedAt"] = "startedAt",
        ["run.CompletedAt"] = "completedAt",
        ["run.Outcome"] = "outcome",
        ["run.ExitCode"] = "exitCode",
        ["run.Output"] = "output",
    });

    public static void MapIngestEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/runs", RecordAsync)
            .RequireScope(KeyScope.Ingest)
            .WithTags("Ingest")
            .WithName("RecordRun")
            .WithSummary("Records a run, finished or only started (outcome running). Idempotent by id: sending it again stores it once (200 instead of 201).")
            .Documents<RunRecord>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/runs/batch", RecordBatchAsync)
            .RequireScope(KeyScope.Ingest)
            .WithTags("Ingest")
            .WithName("RecordRuns")
            .WithSummary("Records many runs, each as POST /api/v1/runs would, and answers with a result per run in the request's order; a refused run does not hold back the others.")
            .Documents<RunRecord[]>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        api.MapPost("/runs/start", StartAsync)
            .RequireScope(KeyScope.Ingest)
            .WithTags("Ingest")
            .WithName("StartRun")
            .WithSummary("Records that a run started; the server makes its id when none is given. With an id, sending it again stores it once (200 instead of 201).")
            .Documents<RunStartRecord>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/runs/{id:guid}/complete", CompleteAsync)
            .RequireScope(KeyScope.Ingest)
            .WithTags("Ingest")
            .WithName("CompleteRun")
            .WithSummary("Records how a started run ended. Sending the same completion again is 200 with stored false; another completion is 409.")
            .Documents<RunCompletionRecord>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Results<Created<RunReceipt>, Ok<RunReceipt>, ProblemHttpResult>> RecordAsync(
        IngestQueue queue, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var (record, problem) = await JsonBody.ReadAsync(http, ServerJsonContext.Default.RunRecord, optional: false, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return problem!;
        }

        if (Missing(record) is { Count: > 0 } missing)
        {
            return ApiProblems.BadRequest("the run lacks required fields or has fields it may not have", missing);
        }

        if (Forbidden(http, record.Script!) is { } forbidden)
        {
            return forbidden;
        }

        var outcome = OutcomeOf(record.Outcome!);
        var run = new ScriptRun(record.Id!.Value, record.Script!, record.Host!, record.StartedAt!.Value, record.CompletedAt, outcome, record.ExitCode, record.Output);
        var delivery = record.Delivery == "spool" ? RunDeliveryKind.Spool : RunDeliveryKind.Live;
        var result = await queue.SubmitAsync(new RunDelivery(run, clock.GetUtcNow(), delivery), cancellationToken).ConfigureAwait(false);
        return Answer(result);
    }

    private static async Task<Results<Ok<RunBatchItem[]>, ProblemHttpResult>> RecordBatchAsync(
        IngestQueue queue, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var (records, problem) = await JsonBody.ReadAsync(http, ServerJsonContext.Default.RunRecordArray, optional: false, cancellationToken).ConfigureAwait(false);
        if (records is null)
        {
            return problem!;
        }

        if (records.Length is 0 or > MaxBatchRuns)
        {
            return ApiProblems.BadRequest(
                "the batch must hold runs",
                [new FieldProblem("$", FieldRules.Count, $"the batch must hold 1 to {MaxBatchRuns} runs (it holds {records.Length})")]);
        }

        var receivedAt = clock.GetUtcNow();
        var items = new RunBatchItem[records.Length];
        var submitted = new List<(int Index, ValueTask<RunImportResult> Result)>(records.Length);
        for (var i = 0; i < records.Length; i++)
        {
            var record = records[i];
            if (record is null || Missing(record) is { Count: > 0 })
            {
                items[i] = new RunBatchItem(record?.Id, "invalid", Errors: record is null ? [new FieldProblem($"[{i}]", FieldRules.Required, "the run is null")] : [.. Missing(record)]);
            }
            else if (RefusedScript(http, record.Script!) is { } refusal)
            {
                items[i] = new RunBatchItem(record.Id, "forbidden", refusal);
            }
            else
            {
                var run = new ScriptRun(record.Id!.Value, record.Script!, record.Host!, record.StartedAt!.Value, record.CompletedAt, OutcomeOf(record.Outcome!), record.ExitCode, record.Output);
                var delivery = record.Delivery == "spool" ? RunDeliveryKind.Spool : RunDeliveryKind.Live;
                submitted.Add((i, queue.SubmitAsync(new RunDelivery(run, receivedAt, delivery), cancellationToken)));
            }
        }

        foreach (var (index, pending) in submitted)
        {
            var result = await pending.ConfigureAwait(false);
            items[index] = result.Status switch
            {
                RunImportStatus.Stored => new RunBatchItem(result.RunId, "stored"),
                RunImportStatus.AlreadyStored => new RunBatchItem(result.RunId, "already-stored"),
                RunImportStatus.Conflict => new RunBatchItem(result.RunId, "conflict", result.Detail),
                _ => new RunBatchItem(result.RunId, "invalid", Errors: [.. result.Errors.Select(error => new FieldProblem(Fields.NameOf(error.Path), error.Rule, error.Describe(Fields.NameOf)))]),
            };
        }

        return TypedResults.Ok(items);
    }

    private static async Task<Results<Created<RunReceipt>, Ok<RunReceipt>, ProblemHttpResult>> StartAsync(
        IngestQueue queue, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var (record, problem) = await JsonBody.ReadAsync(http, ServerJsonContext.Default.RunStartRecord, optional: false, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return problem!;
        }

        var missing = new List<FieldProblem>();
        Require(missing, record.Id is null || record.Id != Guid.Empty, "id", "id must not be the empty UUID; leave it out for the server to make one");
        Require(missing, record.Script is not null, "script");
        Require(missing, record.Host is not null, "host");
        Require(missing, record.StartedAt is not null, "startedAt");
        if (missing.Count > 0)
        {
            return ApiProblems.BadRequest("the start lacks required fields", missing);
        }

        if (Forbidden(http, record.Script!) is { } forbidden)
        {
            return forbidden;
        }

        var run = new ScriptRun(record.Id ?? ScriptRun.NewId(clock.GetUtcNow()), record.Script!, record.Host!, record.StartedAt!.Value, null, RunOutcome.Running, null, null);
        var result = await queue.SubmitAsync(new RunDelivery(run, clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        return Answer(result);
    }

    private static async Task<Results<Ok<RunReceipt>, ProblemHttpResult>> CompleteAsync(
        Guid id, ServerStore store, IngestQueue queue, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        var (record, problem) = await JsonBody.ReadAsync(http, ServerJsonContext.Default.RunCompletionRecord, optional: false, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return problem!;
        }

        var missing = new List<FieldProblem>();
        Require(missing, record.CompletedAt is not null, "completedAt");
        Require(missing, record.Outcome is not null, "outcome");
        if (record.Outcome is { } given && given is not (Succeeded or Failed))
        {
            missing.Add(new FieldProblem("outcome", FieldRules.Outcome, "outcome must be succeeded or failed"));
        }

        if (missing.Count > 0)
        {
            return ApiProblems.BadRequest("the completion lacks required fields", missing);
        }

        // The run's script decides whether the key may complete it, so it is read before anything is written.
        if (await store.Runs.GetRunAsync(id, cancellationToken).ConfigureAwait(false) is not { } started)
        {
            return ApiProblems.NotFound($"no run has the id {id}; record its start first, or send the finished run to POST /api/v1/runs");
        }

        if (Forbidden(http, started.ScriptName) is { } forbidden)
        {
            return forbidden;
        }

        var run = started with { CompletedAt = record.CompletedAt, Outcome = OutcomeOf(record.Outcome!), ExitCode = record.ExitCode, Output = record.Output };
        var result = await queue.SubmitAsync(new RunDelivery(run, clock.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        return result.Status switch
        {
            RunImportStatus.Stored => TypedResults.Ok(new RunReceipt(result.RunId, Stored: true)),
            RunImportStatus.AlreadyStored => TypedResults.Ok(new RunReceipt(result.RunId, Stored: false)),
            _ => Refusal(result),
        };
    }

    /// <summary>201 with the receipt for a run stored now, 200 for one stored already, else the refusal.</summary>
    private static Results<Created<RunReceipt>, Ok<RunReceipt>, ProblemHttpResult> Answer(RunImportResult result) => result.Status switch
    {
        RunImportStatus.Stored => TypedResults.Created($"{RoutePrefixes.Api}/runs/{result.RunId}", new RunReceipt(result.RunId, Stored: true)),
        RunImportStatus.AlreadyStored => TypedResults.Ok(new RunReceipt(result.RunId, Stored: false)),
        _ => Refusal(result),
    };

    /// <summary>409 naming what differs from the stored run, or 400 naming each broken rule.</summary>
    private static ProblemHttpResult Refusal(RunImportResult result) => result.Status == RunImportStatus.Conflict
        ? TypedResults.Problem(
            detail: $"{result.Detail}; nothing was changed (a different run needs an id of its own)",
            statusCode: StatusCodes.Status409Conflict,
            title: "Conflict")
        : ApiProblems.BadRequest("the run breaks a rule", [.. result.Errors.Select(error => new FieldProblem(Fields.NameOf(error.Path), error.Rule, error.Describe(Fields.NameOf)))]);

    /// <summary>403 when the caller's ingest key may not record runs of the script; null when it may.</summary>
    internal static ProblemHttpResult? Forbidden(HttpContext http, string script) =>
        RefusedScript(http, script) is { } refusal ? ApiProblems.Forbidden(refusal) : null;

    /// <summary>Why the caller's key may not record runs of the script; null when it may.</summary>
    private static string? RefusedScript(HttpContext http, string script)
    {
        var caller = ScopeFilter.CallerOf(http);
        return caller.Key is { Scope: KeyScope.Ingest } key && !KeyService.AllowsScript(key, script)
            ? $"the key '{caller.Name}' may not record runs of '{script}'"
            : null;
    }

    private static List<FieldProblem> Missing(RunRecord record)
    {
        var missing = new List<FieldProblem>();
        Require(missing, record.Id is { } id && id != Guid.Empty, "id");
        Require(missing, record.Script is not null, "script");
        Require(missing, record.Host is not null, "host");
        Require(missing, record.StartedAt is not null, "startedAt");
        var running = record.Outcome == Running;
        if (running && record.CompletedAt is not null)
        {
            missing.Add(new FieldProblem("completedAt", FieldRules.MatchesOutcome, "completedAt must be left out when outcome is running"));
        }

        Require(missing, running || record.CompletedAt is not null, "completedAt");
        Require(missing, record.Outcome is not null, "outcome");
        if (record.Outcome is { } outcome && outcome is not (Running or Succeeded or Failed))
        {
            missing.Add(new FieldProblem("outcome", FieldRules.Outcome, "outcome must be succeeded, failed or running"));
        }

        if (record.Delivery is { } delivery && delivery is not ("live" or "spool"))
        {
            missing.Add(new FieldProblem("delivery", DeliveryRule, "delivery must be live or spool"));
        }

        return missing;
    }

    /// <summary>Adds the required-field problem for <paramref name="path"/> when it is not <paramref name="present"/>.</summary>
    internal static void Require(List<FieldProblem> problems, bool present, string path, string? message = null)
    {
        if (!present)
        {
            problems.Add(new FieldProblem(path, FieldRules.Required, message ?? $"{path} is required"));
        }
    }

    private static RunOutcome OutcomeOf(string outcome) => outcome switch
    {
        Succeeded => RunOutcome.Succeeded,
        Failed => RunOutcome.Failed,
        _ => RunOutcome.Running,
    };
}

using Microsoft.AspNetCore.Http.HttpResults;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Access;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Access;
using ScriptMonitor.Server.Api;
using ScriptMonitor.Server.Hosting;

namespace ScriptMonitor.Server.Ingest;

/// <summary>
/// Recording runs skipped because another run held the script's lock (<c>scriptmon exec --lock</c>, the base class),
/// idempotent by the event's id like runs.
/// </summary>
internal static class SkipEndpoints
{
    private static readonly ApiFields Fields = new(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["skip.EventId"] = "id",
        ["skip.ScriptName"] = "script",
        ["skip.Hostname"] = "host",
        ["skip.SkippedAt"] = "skippedAt",
        ["skip.Holder"] = "holder",
    });

    public static void MapSkipEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/skips", RecordAsync)
            .RequireScope(KeyScope.Ingest)
            .WithTags("Ingest")
            .WithName("RecordSkip")
            .WithSummary("Records a run skipped because another run held the lock. Idempotent by id (200 instead of 201 when sent again).")
            .Documents<SkipRecord>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
    }

    private static async Task<Results<Created<RunReceipt>, Ok<RunReceipt>, ProblemHttpResult>> RecordAsync(
        ServerStore store, HttpContext http, CancellationToken cancellationToken)
    {
        var (record, problem) = await JsonBody.ReadAsync(http, ServerJsonContext.Default.SkipRecord, optional: false, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return problem!;
        }

        var missing = new List<FieldProblem>();
        IngestEndpoints.Require(missing, record.Id is { } id && id != Guid.Empty, "id");
        IngestEndpoints.Require(missing, record.Script is not null, "script");
        IngestEndpoints.Require(missing, record.Host is not null, "host");
        IngestEndpoints.Require(missing, record.SkippedAt is not null, "skippedAt");
        IngestEndpoints.Require(missing, record.Holder is not null, "holder");
        if (missing.Count > 0)
        {
            return ApiProblems.BadRequest("the skipped run lacks required fields", missing);
        }

        if (IngestEndpoints.Forbidden(http, record.Script!) is { } forbidden)
        {
            return forbidden;
        }

        try
        {
            var stored = await store.Runs.RecordSkipAsync(new ScriptSkip(record.Id!.Value, record.Script!, record.Host!, record.SkippedAt!.Value, record.Holder!), cancellationToken).ConfigureAwait(false);
            var receipt = new RunReceipt(record.Id!.Value, stored);
            return stored ? TypedResults.Created($"{RoutePrefixes.Api}/skips/{record.Id}", receipt) : TypedResults.Ok(receipt);
        }
        catch (ValidationException e)
        {
            return ApiProblems.BadRequest("the skipped run breaks a rule", [.. e.Errors.Select(error => new FieldProblem(Fields.NameOf(error.Path), error.Rule, error.Describe(Fields.NameOf)))]);
        }
    }
}

/// <summary>A skipped run as a client sends it; every field nullable so a missing one is reported by name.</summary>
/// <param name="Id">The event's id, chosen by the client: sending it again stores it once.</param>
/// <param name="Script">The script's name.</param>
/// <param name="Host">The host it was skipped on.</param>
/// <param name="SkippedAt">When, ISO 8601 with offset.</param>
/// <param name="Holder">Who held the lock, as far as is known.</param>
internal sealed record SkipRecord(Guid? Id, string? Script, string? Host, DateTimeOffset? SkippedAt, string? Holder);

using Microsoft.AspNetCore.Http.HttpResults;
using ScriptMonitor.Access;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Access;
using ScriptMonitor.Server.Api;
using ScriptMonitor.Server.Metrics;

namespace ScriptMonitor.Server.Ingest;

/// <summary>
/// Where a host says how much its spool still holds when it delivers it (<c>scriptmon</c> does so by itself), so that a
/// host catching up after an outage shows in <c>/metrics</c> (<c>scriptmon_host_spool_backlog</c>).
/// </summary>
internal static class SpoolBacklogEndpoints
{
    public static void MapSpoolBacklogEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/spool-backlog", Report)
            .RequireScope(KeyScope.Ingest)
            .WithTags("Ingest")
            .WithName("ReportSpoolBacklog")
            .WithSummary("A host reports how many entries its spool still holds, during and after a delivery of it.")
            .Documents<SpoolBacklogRecord>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
    }

    private static async Task<Results<Ok<SpoolBacklogRecord>, ProblemHttpResult>> Report(HttpContext http, CancellationToken cancellationToken)
    {
        var (record, problem) = await JsonBody.ReadAsync(http, ServerJsonContext.Default.SpoolBacklogRecord, optional: false, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return problem!;
        }

        var problems = new List<FieldProblem>();
        IngestEndpoints.Require(problems, record.Host is not null, "host");
        IngestEndpoints.Require(problems, record.Waiting is not null, "waiting");
        if (record.Host is not null)
        {
            try
            {
                RunValidation.Hostname(record.Host, "host");
            }
            catch (ValidationException e)
            {
                problems.AddRange(e.Errors.Select(error => new FieldProblem("host", error.Rule, error.Describe(path => path))));
            }
        }

        if (record.Waiting is < 0)
        {
            problems.Add(new FieldProblem("waiting", "range", "waiting must not be negative"));
        }

        if (problems.Count > 0)
        {
            return ApiProblems.BadRequest("the spool backlog report breaks a rule", problems);
        }

        if (!InstanceMetrics.Of(http).SpoolBacklogReported(record.Host!, record.Waiting!.Value))
        {
            return ApiProblems.BadRequest("the spool backlog report breaks a rule", [new FieldProblem("host", "range", "this instance already keeps the backlog of as many hosts as it keeps")]);
        }

        return TypedResults.Ok(record);
    }
}

/// <summary>How many entries a host's spool still holds.</summary>
/// <param name="Host">The host.</param>
/// <param name="Waiting">Entries not yet delivered; 0 once it is empty.</param>
internal sealed record SpoolBacklogRecord(string? Host, int? Waiting);

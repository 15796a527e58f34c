using Microsoft.AspNetCore.Http.HttpResults;
using ScriptMonitor.Access;
using ScriptMonitor.Application.History;
using ScriptMonitor.Application.Services;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Access;

namespace ScriptMonitor.Server.Api;

/// <summary>
/// The scripts and their runs: each route answers the view <c>scriptmon</c>'s <c>--json</c> prints for the same
/// question, from the same use case (<c>status</c>, <c>runs</c>, <c>last</c>, <c>stats</c>).
/// </summary>
internal static class ScriptEndpoints
{
    /// <summary>How far back statistics look when the request gives no window: as <c>scriptmon stats</c> does.</summary>
    public static readonly TimeSpan DefaultStatsWindow = TimeSpan.FromDays(30);

    internal static readonly ApiFields RunFields = new(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["request.Script"] = "name",
        ["request.Host"] = "host",
        ["request.Since"] = "since",
        ["request.Until"] = "until",
        ["request.Before"] = "before",
        ["query.Limit"] = "limit",
        ["script"] = "name",
        ["host"] = "host",
    });

    public static void MapScriptEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/scripts", ListAsync)
            .RequireScope(KeyScope.Read)
            .WithTags("Scripts")
            .WithName("ListScripts")
            .WithSummary("Every script with its health (the status overview's rows), filtered by tag, host and state, in pages by name.")
            .Produces<ScriptListView>()
            .ProducesReadProblems();
        api.MapGet("/scripts/{name}", GetAsync)
            .RequireScope(KeyScope.Read)
            .WithTags("Scripts")
            .WithName("GetScript")
            .WithSummary("One script: its row of the status overview and its expectation.")
            .Produces<ScriptView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesReadProblems();
        api.MapGet("/scripts/{name}/runs", RunsAsync)
            .RequireScope(KeyScope.Read)
            .WithTags("Scripts")
            .WithName("ListRuns")
            .WithSummary("A script's runs, newest first, in pages: give the answer's next as before for the next, older page.")
            .Produces<RunsView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesReadProblems();
        api.MapGet("/scripts/{name}/events", EventsAsync)
            .RequireScope(KeyScope.Read)
            .WithTags("Scripts")
            .WithName("ListEvents")
            .WithSummary("A script's events that are not runs (Healthchecks' /log pings), newest first, in pages: give the answer's nextOffset as offset for the next, older page.")
            .Produces<EventsView>()
            .ProducesReadProblems();
        api.MapGet("/scripts/{name}/last", LastAsync)
            .RequireScope(KeyScope.Read)
            .WithTags("Scripts")
            .WithName("GetLastSuccess")
            .WithSummary("A script's last successful run, on any host or on one; 404 when it never succeeded.")
            .Produces<RunView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesReadProblems();
        api.MapGet("/scripts/{name}/stats", StatsAsync)
            .RequireScope(KeyScope.Read)
            .WithTags("Scripts")
            .WithName("GetStatistics")
            .WithSummary("Runtime statistics of a script's successful runs in a window (the last 30 days by default).")
            .Produces<StatsView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesReadProblems();
        api.MapGet("/runs/{id:guid}", RunAsync)
            .RequireScope(KeyScope.Read)
            .WithTags("Scripts")
            .WithName("GetRun")
            .WithSummary("One run with the tail of its output.")
            .Produces<RunView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesReadProblems();
    }

    /// <summary>The problems every read may answer besides its own and the key check's (<see cref="Access.ScopeFilter.RequireScope{TBuilder}"/>).</summary>
    internal static RouteHandlerBuilder ProducesReadProblems(this RouteHandlerBuilder route) => route
        .ProducesProblem(StatusCodes.Status400BadRequest);

    /// <summary>
    /// A script's name from the path: a name may hold a '/', which a client sends as %2F and routing leaves encoded.
    /// </summary>
    internal static string RouteName(string name) => name.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(name) : name;

    private static async Task<Results<Ok<ScriptListView>, ProblemHttpResult>> ListAsync(
        string? tag, string? host, string? state, string? limit, string? after, MonitorServices services, CancellationToken cancellationToken)
    {
        var query = new QueryValues();
        var pageSize = query.Limit(limit, "limit", RunQuery.DefaultLimit, RunQuery.MaxLimit);
        var hostname = query.Name(host, "host", RunValidation.Hostname);
        string? wanted = null;
        if (state is not null)
        {
            wanted = Enum.GetNames<HealthState>().FirstOrDefault(known => string.Equals(known, state.Replace("_", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
            if (wanted is null)
            {
                query.Add("state", "one-of", $"state ('{state}') must be one of: {string.Join(", ", Enum.GetNames<HealthState>())}");
            }
        }

        if (query.Refused)
        {
            return query.BadRequest();
        }

        var status = await services.Status.ReadAsync(cancellationToken).ConfigureAwait(false);
        Dictionary<string, ExpectationView>? expectations = null;
        if (tag is not null || hostname is not null)
        {
            var list = await services.Expectations.ListAsync(cancellationToken).ConfigureAwait(false);
            expectations = list.Expectations.ToDictionary(e => e.Script, StringComparer.Ordinal);
        }

        ExpectationView? ExpectationOf(string script) => expectations!.GetValueOrDefault(script);
        var rows = status.Scripts
            .Where(row => after is null || string.CompareOrdinal(row.Name, after) > 0)
            .Where(row => wanted is null || string.Equals(row.Health, wanted, StringComparison.Ordinal))
            .Where(row => tag is null || (ExpectationOf(row.Name)?.Tags.Contains(tag, StringComparer.Ordinal) ?? false))
            .Where(row => hostname is null
                || row.LastSuccess?.Host == hostname
                || row.LastFailure?.Host == hostname
                || (ExpectationOf(row.Name)?.Hosts.Contains(hostname, StringComparer.Ordinal) ?? false))
            .Take(pageSize + 1)
            .ToList();
        var more = rows.Count > pageSize;
        var page = more ? rows[..pageSize] : rows;
        return TypedResults.Ok(new ScriptListView(status.Store, status.GeneratedAt, page, more ? page[^1].Name : null));
    }

    private static async Task<Results<Ok<ScriptView>, ProblemHttpResult>> GetAsync(string name, MonitorServices services, CancellationToken cancellationToken)
    {
        name = RouteName(name);
        var query = new QueryValues();
        var script = query.Name(name, "name", RunValidation.ScriptName);
        if (query.Refused)
        {
            return query.BadRequest();
        }

        var status = await services.Status.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (status.Scripts.FirstOrDefault(row => row.Name == script) is not { } row)
        {
            return UnknownScript(script!, status.Store);
        }

        var expectation = await services.Expectations.GetAsync(script!, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new ScriptView(status.GeneratedAt, row, expectation));
    }

    private static async Task<Results<Ok<RunsView>, ProblemHttpResult>> RunsAsync(
        string name, string? since, string? until, string? host, string? limit, string? before, MonitorServices services, CancellationToken cancellationToken)
    {
        var query = new QueryValues();
        var from = query.Instant(since, "since");
        var to = query.Instant(until, "until");
        var pageSize = query.Limit(limit, "limit", RunQuery.DefaultLimit, RunQuery.MaxLimit);
        if (query.Refused)
        {
            return query.BadRequest();
        }

        try
        {
            var request = new RunListRequest(RouteName(name), host, from, to, pageSize) { Before = before };
            return TypedResults.Ok(await services.History.ListAsync(request, cancellationToken).ConfigureAwait(false));
        }
        catch (ValidationException e)
        {
            return RunFields.Refused(e);
        }
    }

    private static async Task<Results<Ok<EventsView>, ProblemHttpResult>> EventsAsync(
        string name, string? limit, string? offset, MonitorServices services, CancellationToken cancellationToken)
    {
        var query = new QueryValues();
        var pageSize = query.Limit(limit, "limit", RunQuery.DefaultLimit, RunQuery.MaxLimit);
        var skip = 0;
        if (offset is not null && (!int.TryParse(offset, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out skip) || skip < 0))
        {
            query.Add("offset", FieldRules.Range, $"offset ('{offset}') must be a whole number, 0 or more");
        }

        if (query.Refused)
        {
            return query.BadRequest();
        }

        try
        {
            return TypedResults.Ok(await services.History.EventsAsync(RouteName(name), pageSize, skip, cancellationToken).ConfigureAwait(false));
        }
        catch (ValidationException e)
        {
            return RunFields.Refused(e);
        }
    }

    private static async Task<Results<Ok<RunView>, ProblemHttpResult>> LastAsync(string name, string? host, MonitorServices services, CancellationToken cancellationToken)
    {
        name = RouteName(name);
        try
        {
            return await services.History.LastSuccessAsync(name, host, cancellationToken).ConfigureAwait(false) is { } run
                ? TypedResults.Ok(run)
                : ApiProblems.NotFound(host is null ? $"'{name}' has no successful run" : $"'{name}' has no successful run on {host}");
        }
        catch (ValidationException e)
        {
            return RunFields.Refused(e);
        }
    }

    private static async Task<Results<Ok<StatsView>, ProblemHttpResult>> StatsAsync(
        string name, string? since, string? until, string? host, MonitorServices services, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var query = new QueryValues();
        var from = query.Instant(since, "since");
        var to = query.Instant(until, "until");
        if (query.Refused)
        {
            return query.BadRequest();
        }

        var end = to ?? timeProvider.GetUtcNow();
        try
        {
            var request = new StatsRequest(RouteName(name), from ?? end - DefaultStatsWindow, end, host);
            return TypedResults.Ok(await services.History.StatisticsAsync(request, cancellationToken).ConfigureAwait(false));
        }
        catch (ValidationException e)
        {
            return RunFields.Refused(e);
        }
    }

    private static async Task<Results<Ok<RunView>, ProblemHttpResult>> RunAsync(Guid id, MonitorServices services, CancellationToken cancellationToken) =>
        await services.History.GetRunAsync(id, cancellationToken).ConfigureAwait(false) is { } run
            ? TypedResults.Ok(run)
            : ApiProblems.NotFound($"no run has the id {id}");

    internal static ProblemHttpResult UnknownScript(string name, string store)
    {
        var message = $"name: no script named '{name}' is known to {store}";
        return ApiProblems.NotFound(message, [new FieldProblem("name", KnownScript.Rule, message)]);
    }
}

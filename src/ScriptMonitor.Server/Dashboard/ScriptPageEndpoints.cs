using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using ScriptMonitor.Access;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Access;
using ScriptMonitor.Server.Api;
using ScriptMonitor.Server.Hosting;

namespace ScriptMonitor.Server.Dashboard;

/// <summary>
/// What a script's page draws besides its runs: the due times of its schedule (cron included, computed here so the
/// browser never reimplements cron), its runtimes as compact parallel arrays for a chart of 10,000 runs, and for an
/// admin key the addresses other monitors' clients ping it at.
/// </summary>
internal static class ScriptPageEndpoints
{
    /// <summary>The most due times one answer gives.</summary>
    public const int MaxDueTimes = 2000;

    /// <summary>The most runs one runtimes answer gives, newest first; the chart reads no more.</summary>
    public const int MaxRuntimes = 20_000;

    public static void MapScriptPageEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/scripts/{name}/due", DueAsync)
            .RequireScope(KeyScope.Read)
            .WithTags("Scripts")
            .WithName("GetDueTimes")
            .WithSummary("The instants a script's schedule (cron or interval) makes it due within a range, earliest first, at most 2,000.")
            .Produces<DueTimesView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesReadProblems();
        api.MapGet("/scripts/{name}/runtimes", RuntimesAsync)
            .RequireScope(KeyScope.Read)
            .WithTags("Scripts")
            .WithName("GetRuntimes")
            .WithSummary("A script's runs in a range as parallel arrays (start in epoch seconds, duration in seconds, outcome code), oldest first, at most 20,000: for charts.")
            .Produces<RuntimesView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesReadProblems();
        api.MapGet("/scripts/{name}/ping-identity", PingIdentityAsync)
            .RequireScope(KeyScope.Admin)
            .WithTags("Scripts")
            .WithName("GetPingIdentity")
            .WithSummary("The script's Healthchecks ping URLs and Uptime Kuma push token, made when it has none yet; admin keys only.")
            .Produces<PingIdentityView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesReadProblems();
    }

    private static async Task<Results<Ok<DueTimesView>, ProblemHttpResult>> DueAsync(
        string name, string? from, string? to, string? limit, ServerStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var query = new QueryValues();
        var script = query.Name(ScriptEndpoints.RouteName(name), "name", RunValidation.ScriptName);
        var now = time.GetUtcNow();
        var start = query.Instant(from, "from") ?? now;
        var end = query.Instant(to, "to") ?? start.AddDays(7);
        var cap = query.Limit(limit, "limit", MaxDueTimes, MaxDueTimes);
        if (!query.Refused && end < start)
        {
            query.Add("to", FieldRules.Range, $"to ({Timestamps.FormatIso(end)}) must not be before from ({Timestamps.FormatIso(start)})");
        }

        if (query.Refused)
        {
            return query.BadRequest();
        }

        var snapshots = await store.Runs.ReadSnapshotsAsync([script!], cancellationToken).ConfigureAwait(false);
        if (snapshots.Count == 0)
        {
            return ScriptEndpoints.UnknownScript(script!, store.Location.ToString());
        }

        var snapshot = snapshots[0];
        var due = new List<string>();
        var truncated = false;
        string? kind = null;
        string? zone = null;
        switch (snapshot.Expectation?.Schedule)
        {
            case CronSchedule cron:
                kind = "cron";
                zone = cron.TimeZone;
                // Next() is after its argument: one tick before the start keeps an occurrence at the start itself.
                for (var at = cron.Next(start.AddTicks(-1)); at is { } t && t <= end; at = cron.Next(t))
                {
                    if (due.Count == cap)
                    {
                        truncated = true;
                        break;
                    }

                    due.Add(Timestamps.FormatIso(t));
                }

                break;
            case PeriodSchedule period:
                kind = "period";
                // An interval counts from the last start; before any run there is nothing to count from.
                var anchor = snapshot.History.RecentRuns.Count > 0 ? snapshot.History.RecentRuns[0].StartedAt : snapshot.History.LastSuccess?.StartedAt;
                if (anchor is { } a)
                {
                    var step = period.Period.Ticks;
                    var first = a.UtcTicks + (long)Math.Ceiling((start.UtcTicks - a.UtcTicks) / (double)step) * step;
                    for (var t = first; t <= end.UtcTicks; t += step)
                    {
                        if (due.Count == cap)
                        {
                            truncated = true;
                            break;
                        }

                        due.Add(Timestamps.FormatIso(new DateTimeOffset(t, TimeSpan.Zero)));
                    }
                }

                break;
        }

        return TypedResults.Ok(new DueTimesView(script!, kind, zone, Timestamps.FormatIso(start), Timestamps.FormatIso(end), due, truncated));
    }

    private static async Task<Results<Ok<RuntimesView>, ProblemHttpResult>> RuntimesAsync(
        string name, string? from, string? to, ServerStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var query = new QueryValues();
        var script = query.Name(ScriptEndpoints.RouteName(name), "name", RunValidation.ScriptName);
        var now = time.GetUtcNow();
        var end = query.Instant(to, "to") ?? now;
        var start = query.Instant(from, "from") ?? end.AddDays(-7);
        if (!query.Refused && end < start)
        {
            query.Add("to", FieldRules.Range, $"to ({Timestamps.FormatIso(end)}) must not be before from ({Timestamps.FormatIso(start)})");
        }

        if (query.Refused)
        {
            return query.BadRequest();
        }

        var runs = new List<ScriptRun>();
        var truncated = false;
        while (true)
        {
            var page = await store.Runs.ListRunsAsync(
                new RunQuery(script!) { Since = start, Until = end, Limit = RunQuery.MaxLimit, Offset = runs.Count }, cancellationToken).ConfigureAwait(false);
            runs.AddRange(page);
            if (page.Count < RunQuery.MaxLimit)
            {
                break;
            }

            if (runs.Count >= MaxRuntimes)
            {
                truncated = true;
                runs.RemoveRange(MaxRuntimes, runs.Count - MaxRuntimes);
                break;
            }
        }

        if (runs.Count == 0 && (await store.Runs.ReadSnapshotsAsync([script!], cancellationToken).ConfigureAwait(false)).Count == 0)
        {
            return ScriptEndpoints.UnknownScript(script!, store.Location.ToString());
        }

        runs.Sort(static (a, b) => a.StartedAt.CompareTo(b.StartedAt));
        var startedAt = new long[runs.Count];
        var durations = new double?[runs.Count];
        var outcomes = new int[runs.Count];
        for (var i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            startedAt[i] = run.StartedAt.ToUnixTimeSeconds();
            // Null while running, or where the duration is not known.
            durations[i] = run.CompletedAt is { } completed && completed >= run.StartedAt ? Math.Round((completed - run.StartedAt).TotalSeconds, 3) : null;
            outcomes[i] = OutcomeCode(run.Outcome);
        }

        return TypedResults.Ok(new RuntimesView(script!, Timestamps.FormatIso(start), Timestamps.FormatIso(end), startedAt, durations, outcomes, truncated));
    }

    /// <summary>The outcome as <see cref="RuntimesView.Outcome"/> codes it.</summary>
    private static int OutcomeCode(RunOutcome outcome) => outcome switch
    {
        RunOutcome.Succeeded => 0,
        RunOutcome.Failed => 1,
        RunOutcome.Running => 2,
        _ => 3,
    };

    private static async Task<Results<Ok<PingIdentityView>, ProblemHttpResult>> PingIdentityAsync(
        string name, HttpContext http, ServerStore store, CancellationToken cancellationToken)
    {
        var query = new QueryValues();
        var script = query.Name(ScriptEndpoints.RouteName(name), "name", RunValidation.ScriptName);
        if (query.Refused)
        {
            return query.BadRequest();
        }

        if (store.Runs is not IPingIdentityStore identities)
        {
            return ApiProblems.NotFound("this store keeps no ping identities");
        }

        // A ping identity is made on first use; an unknown name is refused rather than given one.
        if ((await store.Runs.ReadSnapshotsAsync([script!], cancellationToken).ConfigureAwait(false)).Count == 0)
        {
            return ScriptEndpoints.UnknownScript(script!, store.Location.ToString());
        }

        var identity = await identities.EnsurePingIdentityAsync(script!, cancellationToken).ConfigureAwait(false);
        var pingKey = await identities.EnsurePingKeyAsync(cancellationToken).ConfigureAwait(false);
        var site = $"{http.Request.Scheme}://{http.Request.Host}";
        var token = identity.PingId.ToString("N", CultureInfo.InvariantCulture);
        return TypedResults.Ok(new PingIdentityView(
            identity.ScriptName,
            identity.PingId.ToString("D", CultureInfo.InvariantCulture),
            identity.Slug,
            $"{site}{RoutePrefixes.Healthchecks}/ping/{identity.PingId:D}",
            $"{site}{RoutePrefixes.Healthchecks}/ping/{pingKey}/{identity.Slug}",
            token,
            $"{site}{RoutePrefixes.UptimeKuma}/api/push/{token}"));
    }
}

/// <summary>A schedule's due times in a range.</summary>
/// <param name="Script">The script.</param>
/// <param name="Schedule"><c>cron</c>, <c>period</c>, or null when no schedule is set (nothing is due).</param>
/// <param name="TimeZone">A cron schedule's zone; null otherwise.</param>
/// <param name="From">The range's start.</param>
/// <param name="To">The range's end.</param>
/// <param name="Due">The instants, earliest first, in UTC.</param>
/// <param name="Truncated">True when the range holds more than were given.</param>
internal sealed record DueTimesView(string Script, string? Schedule, string? TimeZone, string From, string To, IReadOnlyList<string> Due, bool Truncated);

/// <summary>A script's runs in a range as parallel arrays, oldest first: entry i of each array is one run.</summary>
/// <param name="Script">The script.</param>
/// <param name="From">The range's start.</param>
/// <param name="To">The range's end.</param>
/// <param name="StartedAt">Each run's start, in seconds since 1970-01-01T00:00:00Z.</param>
/// <param name="Duration">Each run's duration in seconds; null while it runs or where it is not known.</param>
/// <param name="Outcome">Each run's outcome: 0 succeeded, 1 failed, 2 running, 3 abandoned.</param>
/// <param name="Truncated">True when the range held more runs than were given (the newest are given).</param>
internal sealed record RuntimesView(string Script, string From, string To, IReadOnlyList<long> StartedAt, IReadOnlyList<double?> Duration, IReadOnlyList<int> Outcome, bool Truncated);

/// <summary>Where other monitors' clients report a script's runs.</summary>
/// <param name="Script">The script.</param>
/// <param name="PingId">Its ping UUID.</param>
/// <param name="Slug">Its slug.</param>
/// <param name="PingUrl">The Healthchecks ping URL by UUID.</param>
/// <param name="SlugPingUrl">The Healthchecks ping URL by the installation's ping key and the slug.</param>
/// <param name="KumaToken">The Uptime Kuma push token.</param>
/// <param name="KumaPushUrl">The Uptime Kuma push URL.</param>
internal sealed record PingIdentityView(string Script, string PingId, string Slug, string PingUrl, string SlugPingUrl, string KumaToken, string KumaPushUrl);

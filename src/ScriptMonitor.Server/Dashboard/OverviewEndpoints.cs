using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Alerts;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Access;
using ScriptMonitor.Server.Api;
using ScriptMonitor.Server.Hosting;

namespace ScriptMonitor.Server.Dashboard;

/// <summary>
/// The dashboard's overview: every script's state, first reason, last success and its age, next due time, hosts, tags
/// and recent runtimes, problems first, filtered and paged on the server so that a page of 10,000 scripts is a few
/// kilobytes. Read from the states the evaluation loop keeps where this instance leads; evaluated afresh (at most
/// once a second) where it does not.
/// </summary>
internal static class OverviewEndpoints
{
    /// <summary>The largest page; without <c>limit</c> every matching row is given.</summary>
    public const int MaxLimit = 1000;

    public static void MapOverviewEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/overview", ReadAsync)
            .RequireScope(KeyScope.Read)
            .WithTags("Status")
            .WithName("GetOverview")
            .WithSummary("Every script in brief for the dashboard, problems first, filtered by state, tag, host, part of the name or the name, in pages; with the count of scripts per state.")
            .Produces<OverviewView>()
            .ProducesReadProblems();
    }

    private static async Task<Results<Ok<OverviewView>, ProblemHttpResult>> ReadAsync(
        string? state, string? tag, string? host, string? q, string? name, string? limit, string? offset,
        OverviewSnapshot snapshot, TimeProvider time, CancellationToken cancellationToken)
    {
        var query = new QueryValues();
        HealthState? wanted = null;
        if (state is not null)
        {
            if (Enum.GetNames<HealthState>().FirstOrDefault(known => string.Equals(known, state, StringComparison.OrdinalIgnoreCase)) is { } known)
            {
                wanted = Enum.Parse<HealthState>(known);
            }
            else
            {
                query.Add("state", "one-of", $"state ('{state}') must be one of: {string.Join(", ", Enum.GetNames<HealthState>())}");
            }
        }

        int? pageSize = limit is null ? null : query.Limit(limit, "limit", MaxLimit, MaxLimit);
        var skip = 0;
        if (offset is not null && !(int.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out skip) && skip >= 0))
        {
            query.Add("offset", FieldRules.Range, $"offset ('{offset}') must be a whole number, 0 or more");
        }

        if (query.Refused)
        {
            return query.BadRequest();
        }

        var overview = await snapshot.GetAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var search = string.IsNullOrEmpty(q) ? null : q;
        var page = new List<OverviewRow>(Math.Min(pageSize ?? 100, 100));
        var matched = 0;
        foreach (var entry in overview.Entries)
        {
            if ((wanted is { } s && entry.Health.State != s)
                || (name is not null && !string.Equals(entry.Name, name, StringComparison.Ordinal))
                || (tag is not null && !entry.Tags.Contains(tag, StringComparer.Ordinal))
                || (host is not null && !entry.Hosts.Contains(host, StringComparer.Ordinal))
                || (search is not null && !entry.Name.Contains(search, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            if (matched >= skip && (pageSize is not { } size || page.Count < size))
            {
                page.Add(entry.Row(now));
            }

            matched++;
        }

        return TypedResults.Ok(new OverviewView(
            Timestamps.FormatIso(overview.EvaluatedAt),
            overview.Source,
            overview.Entries.Count,
            matched,
            skip,
            overview.Counts,
            overview.Tags,
            overview.Hosts,
            page));
    }
}

/// <summary>
/// Every script's newest evaluation, problems first. Where this instance's evaluation loop leads and is current, the
/// states it keeps (no read of the store; rebuilt only when one changes); otherwise one evaluation of every script,
/// made at most once a second whoever asks: each open dashboard polls every few seconds, and an evaluation of 10,000
/// scripts costs a few hundred milliseconds of the store's time.
/// </summary>
internal sealed class OverviewSnapshot(ServerStore store, AlertEngine engine, TimeProvider timeProvider)
{
    /// <summary>How old an evaluation may be given again; a dashboard polling every 3 s still shows a change within 5 s.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    /// <summary>The kept states are used while the loop completed a pass this recently: a change still shows within 5 s.</summary>
    public static readonly TimeSpan MaxLoopLag = TimeSpan.FromSeconds(4);

    /// <summary>Said in <see cref="OverviewView.Source"/> when the rows are the evaluation loop's kept states.</summary>
    public const string FromLoop = "evaluation-loop";

    /// <summary>Said in <see cref="OverviewView.Source"/> when the rows were evaluated for the overview.</summary>
    public const string Evaluated = "evaluated";

    private readonly Lock _lock = new();
    private Task<Overview>? _evaluated;
    private DateTimeOffset _evaluatedStartedAt;
    private (IReadOnlyList<ScriptHealth> States, Overview Overview)? _kept;

    public Task<Overview> GetAsync()
    {
        var now = timeProvider.GetUtcNow();
        if (engine.Lease is not null && engine.States.CompleteAt is { } complete && now - complete <= MaxLoopLag)
        {
            var states = engine.States.Read();
            lock (_lock)
            {
                if (_kept is not { } kept || !ReferenceEquals(kept.States, states))
                {
                    _kept = kept = (states, Overview.Build(states, FromLoop, complete));
                }

                return Task.FromResult(kept.Overview with { EvaluatedAt = engine.States.CompleteAt ?? complete });
            }
        }

        lock (_lock)
        {
            // A failed read is not kept: the next caller tries the store again.
            if (_evaluated is null || (_evaluated.IsCompleted && (!_evaluated.IsCompletedSuccessfully || now - _evaluatedStartedAt > MaxAge)))
            {
                _evaluatedStartedAt = now;
                // Not the first caller's token: the others wait for the same read.
                _evaluated = EvaluateAsync(now);
            }

            return _evaluated;
        }
    }

    private async Task<Overview> EvaluateAsync(DateTimeOffset now)
    {
        var monitor = new HealthMonitor(store.Runs, new FixedTime(now));
        var states = await monitor.EvaluateAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
        return Overview.Build(states, Evaluated, now);
    }

    /// <summary>One instant for a whole evaluation, so that every script is judged at the same time.</summary>
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

/// <summary>Every script, ordered for the overview, with the counts and the lists its filters offer.</summary>
internal sealed record Overview(IReadOnlyList<OverviewEntry> Entries, IReadOnlyList<StateCount> Counts, IReadOnlyList<string> Tags, IReadOnlyList<string> Hosts, string Source, DateTimeOffset EvaluatedAt)
{
    public static Overview Build(IReadOnlyList<ScriptHealth> states, string source, DateTimeOffset evaluatedAt)
    {
        var entries = new List<OverviewEntry>(states.Count);
        var counts = new Dictionary<HealthState, int>();
        var tags = new SortedSet<string>(StringComparer.Ordinal);
        var hosts = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var health in states)
        {
            var entry = OverviewEntry.From(health);
            entries.Add(entry);
            counts[health.State] = counts.GetValueOrDefault(health.State) + 1;
            tags.UnionWith(entry.Tags);
            hosts.UnionWith(entry.Hosts);
        }

        entries.Sort(static (a, b) => a.Rank != b.Rank ? a.Rank.CompareTo(b.Rank) : string.CompareOrdinal(a.Name, b.Name));
        var ordered = counts
            .OrderBy(c => OverviewEntry.RankOf(c.Key))
            .ThenBy(c => c.Key.ToString(), StringComparer.Ordinal)
            .Select(c => new StateCount(c.Key.ToString(), c.Value))
            .ToList();
        return new Overview(entries, ordered, [.. tags], [.. hosts], source, evaluatedAt);
    }
}

/// <summary>One script's row, made once per evaluation; its ages and due time are taken at each request.</summary>
internal sealed record OverviewEntry(string Name, ScriptHealth Health, int Rank, IReadOnlyList<string> Hosts, IReadOnlyList<string> Tags, IReadOnlyList<double> Runtimes, DateTimeOffset? LastStart)
{
    /// <summary>How many recent runtimes a row carries for its sparkline.</summary>
    public const int RuntimeCount = 20;

    /// <summary>Problems first, then warnings, then what a person chose (paused, maintenance) or waits on (learning), then up.</summary>
    public static int RankOf(HealthState state) => state switch
    {
        HealthState.Failing or HealthState.Missing or HealthState.Late or HealthState.Abandoned or HealthState.RunningTooLong
            or HealthState.Skipped or HealthState.Unknown => 0,
        HealthState.TooOften or HealthState.TooRare or HealthState.RuntimeTooShort or HealthState.RuntimeTooLong
            or HealthState.NeverRan or HealthState.FutureRun => 1,
        HealthState.Paused or HealthState.Maintenance or HealthState.Learning => 2,
        _ => 3,
    };

    public static OverviewEntry From(ScriptHealth health)
    {
        var hosts = new SortedSet<string>(health.Expectation?.Hosts.Hosts ?? [], StringComparer.Ordinal);
        if (health.LastSuccess is { } success)
        {
            hosts.Add(success.Hostname);
        }

        var runtimes = new List<double>(RuntimeCount);
        foreach (var run in health.RecentRuns)
        {
            hosts.Add(run.Hostname);
            // A run in progress, or one whose duration is not known, has no runtime to draw.
            if (runtimes.Count < RuntimeCount && run.Outcome is RunOutcome.Succeeded or RunOutcome.Failed && run.Duration is { } duration && duration >= TimeSpan.Zero)
            {
                runtimes.Add(Math.Round(duration.TotalSeconds, 3));
            }
        }

        runtimes.Reverse();
        var lastStart = health.RecentRuns.Count > 0 ? health.RecentRuns[0].StartedAt : health.LastSuccess?.StartedAt;
        return new OverviewEntry(health.ScriptName, health, RankOf(health.State), [.. hosts], health.Expectation?.Tags ?? [], runtimes, lastStart);
    }

    /// <summary>
    /// When the script is next due at <paramref name="now"/>: a cron schedule's next occurrence, or an interval after
    /// the last start (in the past when it is overdue); none while paused or without a schedule set or learned.
    /// </summary>
    public DateTimeOffset? NextDue(DateTimeOffset now)
    {
        if (Health.Expectation?.IsPausedAt(now) ?? false)
        {
            return null;
        }

        return Health.Expectation?.Schedule switch
        {
            CronSchedule cron => cron.Next(now),
            PeriodSchedule period => LastStart + period.Period,
            null when Health.Learned is { } learned => LastStart + learned.Period,
            _ => null,
        };
    }

    public OverviewRow Row(DateTimeOffset now)
    {
        var success = Health.LastSuccess;
        var successAt = success is null ? (DateTimeOffset?)null : success.CompletedAt ?? success.StartedAt;
        return new OverviewRow(
            Name,
            Health.State.ToString(),
            Health.Summary,
            successAt is { } at ? Timestamps.FormatIso(at) : null,
            successAt is { } since ? Math.Round((now - since).TotalSeconds, 3) : null,
            NextDue(now) is { } due ? Timestamps.FormatIso(due) : null,
            Hosts,
            Tags,
            Runtimes,
            Health.Learned is { } learned
                ? new LearnedRuntimeView(Seconds(learned.RuntimeMedian), Seconds(learned.RuntimeLow), Seconds(learned.RuntimeHigh))
                : null);
    }

    private static double Seconds(TimeSpan value) => Math.Round(value.TotalSeconds, 3);
}

/// <summary>Scripts of the given page of the overview, with what the header and the filters need.</summary>
/// <param name="GeneratedAt">The instant the states are from.</param>
/// <param name="Source"><c>evaluation-loop</c> (the states the alert loop keeps) or <c>evaluated</c> (evaluated for this answer).</param>
/// <param name="Total">How many scripts there are.</param>
/// <param name="Matched">How many match the filters.</param>
/// <param name="Offset">How many matching rows come before this page.</param>
/// <param name="Counts">Scripts per state, problems first, over all scripts.</param>
/// <param name="Tags">Every tag the scripts' expectations carry, for the tag filter.</param>
/// <param name="Hosts">Every host a script names or ran on recently, for the host filter.</param>
/// <param name="Scripts">The page's rows, problems first, then by name.</param>
internal sealed record OverviewView(string GeneratedAt, string Source, int Total, int Matched, int Offset, IReadOnlyList<StateCount> Counts, IReadOnlyList<string> Tags, IReadOnlyList<string> Hosts, IReadOnlyList<OverviewRow> Scripts);

/// <summary>How many scripts are in a state.</summary>
/// <param name="State">The state.</param>
/// <param name="Count">How many.</param>
internal sealed record StateCount(string State, int Count);

/// <summary>One script in brief.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Health">Its state (<c>Up</c>, <c>Late</c>, <c>Failing</c>…).</param>
/// <param name="Reason">The first reason for the state.</param>
/// <param name="LastSuccessAt">When its last successful run completed; null if none.</param>
/// <param name="LastSuccessAgeSeconds">How long ago that was, at the request.</param>
/// <param name="NextDueAt">When it is next due (in the past when overdue); null while paused or without a schedule.</param>
/// <param name="Hosts">The hosts its expectation names and its recent runs ran on.</param>
/// <param name="Tags">Its expectation's tags.</param>
/// <param name="Runtimes">The runtimes in seconds of its newest completed runs (up to 20), oldest first: the sparkline.</param>
/// <param name="Learned">The runtime band learned from its history, where there was enough of it; null otherwise.</param>
internal sealed record OverviewRow(string Name, string Health, string Reason, string? LastSuccessAt, double? LastSuccessAgeSeconds, string? NextDueAt, IReadOnlyList<string> Hosts, IReadOnlyList<string> Tags, IReadOnlyList<double> Runtimes, LearnedRuntimeView? Learned);

/// <summary>The runtime band the health evaluation learned from a script's history.</summary>
/// <param name="MedianSeconds">The median runtime.</param>
/// <param name="LowSeconds">The shortest runtime that is normal.</param>
/// <param name="HighSeconds">The longest runtime that is normal.</param>
internal sealed record LearnedRuntimeView(double MedianSeconds, double LowSeconds, double HighSeconds);

using ScriptMonitor.Health;
using ScriptMonitor.Runs;
using static ScriptMonitor.Tests.Health.History;

namespace ScriptMonitor.Tests.Health;

/// <summary>
/// The evaluation is the same whatever depth of history a store reads: where the newest runs cannot tell a count, the
/// store's exact count is asked for. Each case is evaluated as the monitor does, with a history cut at several depths
/// and the counts answered from every run.
/// </summary>
public sealed class HistoryDepthTests
{
    private static readonly int[] Depths = [ScriptHistory.Depth, ExpectationValidation.MaxFailuresTolerated + 1, 10_000];

    private static readonly string[] Fleet = [.. Enumerable.Range(1, 30).Select(i => $"web{i:D2}")];

    public static TheoryData<string, ScriptExpectation, HistoryRun[], HealthState, string> Cases => new()
    {
        {
            "a hundred failures tolerated", Hourly with { FailuresTolerated = 100, Schedule = null }, Streak(100),
            HealthState.Learning, "0 of the newest 24 runs of nightly-backup succeeded"
        },
        {
            "a hundred and one failures where a hundred are tolerated", Hourly with { FailuresTolerated = 100, Schedule = null }, Streak(101),
            HealthState.Failing, "the last 101 runs failed, the latest started 2026-03-02 11:00:00+00:00 with exit code 2; 100 consecutive failures are tolerated"
        },
        {
            "three hundred runs where six are expected", Hourly, [.. Every(TimeSpan.FromSeconds(70), Now.AddSeconds(-70), 300)],
            HealthState.TooOften, "300 runs on db1 started between 2026-03-02 06:00:00+00:00 and 2026-03-02 12:00:00+00:00, but every 1h means 6"
        },
        {
            "a fleet of thirty hosts, each hourly", Hourly, FleetRuns(busy: null),
            HealthState.Up, "last successful run on web01 started 2026-03-02 11:30:00+00:00"
        },
        {
            "a fleet of thirty hosts, one every ten minutes", Hourly, FleetRuns(busy: "web07"),
            HealthState.TooOften, "36 runs on web07 started between 2026-03-02 06:00:00+00:00 and 2026-03-02 12:00:00+00:00, but every 1h means 6"
        },
        {
            "each of thirty hosts, one every ten minutes", Hourly with { Hosts = HostRequirement.Each(Fleet) }, FleetRuns(busy: "web07"),
            HealthState.TooOften, "36 runs on web07 started between 2026-03-02 06:00:00+00:00 and 2026-03-02 12:00:00+00:00, but every 1h means 6"
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_depth_of_history_gives_the_same_state_and_exact_counts(string situation, ScriptExpectation expectation, HistoryRun[] runs, HealthState state, string reason)
    {
        foreach (var depth in Depths)
        {
            var health = await EvaluateAtDepthAsync(expectation, runs, depth);

            Assert.True(state == health.State, $"{situation} at depth {depth}: expected {state}, got {health.State}: {health.Summary}");
            Assert.True(health.Reasons[0].Message.StartsWith(reason, StringComparison.Ordinal), $"{situation} at depth {depth}: {health.Summary}");
            Assert.False(health.Reasons.Any(r => r.Facts.ObservedCountIsLowerBound), $"{situation} at depth {depth}: a count is not exact");
        }
    }

    [Fact]
    public void Without_the_store_s_count_a_streak_longer_than_the_history_is_a_lower_bound_and_asked_for()
    {
        var expectation = Hourly with { FailuresTolerated = 10, Schedule = null };
        var snapshot = new ScriptSnapshot(Script, expectation, ScriptHistory.FromRuns(Streak(30), depth: ScriptHistory.Depth));

        var health = HealthEvaluator.Evaluate(snapshot, Now);

        Assert.StartsWith("the last at least 24 runs failed", health.Summary, StringComparison.Ordinal);
        Assert.Equal((24L, true), (health.Reasons[0].Facts.ObservedCount!.Value, health.Reasons[0].Facts.ObservedCountIsLowerBound));
        Assert.Equal([RunOutcome.Failed, RunOutcome.Abandoned], health.CountsNeeded.Select(q => q.Outcome!.Value));
    }

    [Fact]
    public void A_history_read_one_run_deeper_than_the_tolerance_holds_a_tolerated_streak_whole_and_needs_no_count()
    {
        var expectation = new ScriptExpectation(Script) { FailuresTolerated = 100 };
        var runs = Streak(100).Concat(Every(Hour, Now.AddHours(-102), 50));
        var snapshot = new ScriptSnapshot(Script, expectation, ScriptHistory.FromRuns(runs, depth: ScriptHistory.DepthFor(expectation)));

        var health = HealthEvaluator.Evaluate(snapshot, Now);

        Assert.True(snapshot.History.IsTruncated);
        Assert.DoesNotContain(health.Reasons, r => r.State == HealthState.Failing);
        Assert.Empty(health.CountsNeeded);
    }

    [Fact]
    public void A_history_that_reaches_past_the_rate_window_needs_no_count()
    {
        var snapshot = new ScriptSnapshot(Script, Hourly, ScriptHistory.FromRuns(FleetRuns(busy: null), depth: 200));

        Assert.Empty(HealthEvaluator.Evaluate(snapshot, Now).CountsNeeded);
    }

    [Theory]
    [InlineData(0, 24)]
    [InlineData(23, 24)]
    [InlineData(24, 25)]
    [InlineData(100, 101)]
    public void A_store_reads_one_run_more_than_the_failures_tolerated_and_never_fewer_than_the_default(int tolerated, int depth)
    {
        Assert.Equal(depth, ScriptHistory.DepthFor(new ScriptExpectation(Script) { FailuresTolerated = tolerated }));
        Assert.Equal(ScriptHistory.Depth, ScriptHistory.DepthFor(null));
    }

    /// <summary>One success, then <paramref name="failures"/> failures an hour apart, the newest an hour ago.</summary>
    private static HistoryRun[] Streak(int failures) =>
        [.. Enumerable.Range(1, failures).Select(i => Failed(Now.AddHours(-i))), Ok(Now.AddHours(-failures - 1))];

    /// <summary>Thirty hosts running hourly at half past for eight hours; the busy one every ten minutes instead.</summary>
    private static HistoryRun[] FleetRuns(string? busy) =>
    [
        .. Fleet.SelectMany(host => host == busy
            ? Every(TimeSpan.FromMinutes(10), Now.AddMinutes(-5), 48, host: host)
            : Every(Hour, Now.AddMinutes(-30), 8, host: host)),
    ];

    /// <summary>Evaluates as the monitor does, with the history read to <paramref name="depth"/> runs and every count answered from all of them.</summary>
    private static Task<ScriptHealth> EvaluateAtDepthAsync(ScriptExpectation expectation, HistoryRun[] runs, int depth)
    {
        var snapshot = new ScriptSnapshot(Script, expectation, ScriptHistory.FromRuns(runs, depth: depth));
        return HealthMonitor.EvaluateExactlyAsync(snapshot, Now, (query, _) => Task.FromResult(CountOf(runs, query)), CancellationToken.None);
    }

    private static long CountOf(IEnumerable<HistoryRun> runs, RunQuery query) => runs.LongCount(r =>
        (query.Hostname is null || r.Hostname == query.Hostname)
        && (query.Since is not { } since || r.StartedAt >= since)
        && (query.Until is not { } until || r.StartedAt < until)
        && (query.Outcome is not { } outcome || r.Outcome == outcome));
}

using ScriptMonitor.Health;
using ScriptMonitor.Runs;
using static ScriptMonitor.Tests.Health.History;

namespace ScriptMonitor.Tests.Health;

/// <summary>
/// Successes whose start is unknown (a Healthchecks ping without /start): they count for availability, never for
/// runtime: not in the learned band, not against a runtime limit.
/// </summary>
public sealed class UnknownDurationTests
{
    private static HistoryRun Pinged(DateTimeOffset at) => new("db1", at, at, RunOutcome.Succeeded) { DurationUnknown = true };

    [Fact]
    public void Hourly_pings_without_starts_learn_the_period_and_no_runtime_band()
    {
        var runs = Enumerable.Range(0, 10).Select(i => Pinged(Now - (Hour * i) - TimeSpan.FromMinutes(5)));

        var learned = ExpectationLearner.Learn(ScriptHistory.FromRuns(runs));
        var health = Evaluate(null, runs, Now);

        Assert.NotNull(learned);
        Assert.Equal(TimeSpan.FromHours(1), learned.Period);
        Assert.True(learned.RuntimeUnknown);
        Assert.Null(learned.ToExpectation(Script).MinRuntime);
        Assert.Contains("runtime unknown", learned.Describe(), StringComparison.Ordinal);
        Assert.Equal(HealthState.Up, health.State);
        Assert.Contains("duration unknown", health.Reasons[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_durations_among_known_ones_leave_the_band_to_the_known_ones()
    {
        // Ten-minute runs with real starts, and pings between them: the band is about ten minutes, not pulled to 0 s.
        var known = Enumerable.Range(0, 8).Select(i => Ok(Now - (Hour * 2 * i) - Hour, TimeSpan.FromMinutes(10)));
        var pinged = Enumerable.Range(0, 8).Select(i => Pinged(Now - (Hour * 2 * i) - (Hour * 2) + TimeSpan.FromMinutes(10)));

        var learned = ExpectationLearner.Learn(ScriptHistory.FromRuns(known.Concat(pinged)));

        Assert.NotNull(learned);
        Assert.False(learned.RuntimeUnknown);
        Assert.Equal(TimeSpan.FromMinutes(10), learned.RuntimeMedian);
        Assert.True(learned.RuntimeLow > TimeSpan.Zero, learned.Describe());
    }

    [Fact]
    public void A_ping_without_a_start_is_never_too_short_but_still_counts_as_the_last_success()
    {
        var expectation = Hourly with { MinRuntime = TimeSpan.FromMinutes(5) };
        var runs = new[] { Pinged(Now - TimeSpan.FromMinutes(20)), Ok(Now - TimeSpan.FromMinutes(80), TimeSpan.FromMinutes(6)) };

        var health = Evaluate(expectation, runs, Now);

        Assert.Equal(HealthState.Up, health.State);
        Assert.Equal(Now - TimeSpan.FromMinutes(20), health.LastSuccess?.StartedAt);
    }

    [Fact]
    public void A_ping_with_an_unknown_duration_is_a_run_that_is_left_out_of_runtime_statistics_of_the_view()
    {
        var run = new ScriptRun(Guid.NewGuid(), Script, "db1", Now, Now, RunOutcome.Succeeded, null, null) { DurationUnknown = true };

        Assert.Null(run.Duration);
        Assert.Null(HistoryRun.From(run).Duration);
        Assert.True(HistoryRun.From(run).DurationUnknown);
        Assert.Null(ScriptMonitor.Application.Views.RunView.From(run).DurationSeconds);
        Assert.True(ScriptMonitor.Application.Views.RunView.From(run).DurationUnknown);
    }
}

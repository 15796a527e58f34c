using ScriptMonitor.Health;
using static ScriptMonitor.Tests.Health.History;

namespace ScriptMonitor.Tests.Health;

/// <summary>
/// The rules that hold a measure against a threshold leave their state at a lower threshold than the one that entered
/// it, by the state the alert loop last recorded (<see cref="ScriptSnapshot.RecordedReason"/>): a burst's edges and a
/// median wandering around a slow creep crossed the threshold back and forth, and every crossing was a new alert.
/// </summary>
public sealed class ThresholdHysteresisTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private static readonly ScriptExpectation EveryHour = new(Script) { Schedule = Schedule.Every(Hour), Grace = TimeSpan.FromMinutes(10) };

    [Theory]
    [InlineData(13, null, HealthState.TooOften)]
    [InlineData(12, null, HealthState.Up)]
    [InlineData(12, HealthState.TooOften, HealthState.TooOften)]
    [InlineData(10, HealthState.TooOften, HealthState.TooOften)]
    [InlineData(9, HealthState.TooOften, HealthState.Up)]
    [InlineData(10, HealthState.Failing, HealthState.Up)]
    public void Too_often_is_entered_above_twice_the_schedule_and_left_at_one_and_a_half_times(int runsInWindow, HealthState? recorded, HealthState expected)
    {
        // Runs spread evenly over the last six hours, and one older run so that the history reaches back past the window.
        var step = TimeSpan.FromTicks(TimeSpan.FromHours(6).Ticks / runsInWindow);
        var runs = Enumerable.Range(0, runsInWindow).Select(i => Ok(Now.AddMinutes(-1) - (step * i))).Append(Ok(Now.AddHours(-7))).ToList();

        var health = Evaluate(EveryHour, runs, recorded);

        Assert.Equal(expected, health.State);
    }

    [Fact]
    public void A_script_held_too_often_says_why_it_still_is()
    {
        var runs = Enumerable.Range(0, 10).Select(i => Ok(Now.AddMinutes(-1) - TimeSpan.FromMinutes(36 * i))).Append(Ok(Now.AddHours(-7))).ToList();

        var health = Evaluate(EveryHour, runs, HealthState.TooOften);

        Assert.Equal(
            "10 runs on db1 started between 2026-03-02 06:00:00+00:00 and 2026-03-02 12:00:00+00:00, but every 1h means 6; it was found running too often, and is until no more than 1.5 times that run in such a window",
            health.Summary);
        Assert.Equal(10, health.Reasons[0].Facts.ObservedCount);
    }

    [Theory]
    [InlineData(2, null, HealthState.TooRare)]
    [InlineData(3, null, HealthState.Up)]
    [InlineData(3, HealthState.TooRare, HealthState.TooRare)]
    [InlineData(4, HealthState.TooRare, HealthState.TooRare)]
    [InlineData(5, HealthState.TooRare, HealthState.Up)]
    public void Too_rare_is_entered_below_half_the_schedule_and_left_at_three_quarters(int runsInWindow, HealthState? recorded, HealthState expected)
    {
        // A grace of a day keeps the script from being late: only the rate is judged.
        var lenient = EveryHour with { Grace = TimeSpan.FromDays(1) };
        var step = TimeSpan.FromTicks(TimeSpan.FromHours(6).Ticks / runsInWindow);
        var runs = Enumerable.Range(0, runsInWindow).Select(i => Ok(Now.AddMinutes(-1) - (step * i))).Append(Ok(Now.AddHours(-7))).ToList();

        var health = Evaluate(lenient, runs, recorded);

        Assert.Equal(expected, health.State);
    }

    [Theory]
    [InlineData(21, null, HealthState.RuntimeTooLong)]
    [InlineData(19, null, HealthState.Up)]
    [InlineData(19, HealthState.RuntimeTooLong, HealthState.RuntimeTooLong)]
    [InlineData(13, HealthState.RuntimeTooLong, HealthState.RuntimeTooLong)]
    [InlineData(11, HealthState.RuntimeTooLong, HealthState.Up)]
    [InlineData(19, HealthState.Late, HealthState.Up)]
    public void A_drift_is_entered_at_twice_the_baseline_and_left_below_one_and_a_fifth(int minutes, HealthState? recorded, HealthState expected)
    {
        var runs = Every(Hour, Now.AddMinutes(-30), 24, TimeSpan.FromMinutes(minutes)).ToList();

        var health = Evaluate(null, runs, recorded, DriftBaseline(TimeSpan.FromMinutes(10)));

        Assert.Equal(expected, health.State);
    }

    [Fact]
    public void One_run_too_long_is_not_held_by_the_drifts_threshold()
    {
        // Recorded too long by one run against the learned band; its median now 1.3 times a month before: up.
        var runs = Every(Hour, Now.AddMinutes(-30), 24, TimeSpan.FromMinutes(13)).ToList();
        var oneRun = new HealthReason(HealthState.RuntimeTooLong, null, "the last successful run took 40m") { Facts = new HealthFacts { ObservedDuration = TimeSpan.FromMinutes(40) } };

        Assert.Equal(HealthState.Up, Evaluate(null, runs, oneRun, DriftBaseline(TimeSpan.FromMinutes(10))).State);
        Assert.Equal(HealthState.RuntimeTooLong, Evaluate(null, runs, HealthState.RuntimeTooLong, DriftBaseline(TimeSpan.FromMinutes(10))).State);
    }

    [Fact]
    public void A_script_held_drifting_says_why_it_still_is()
    {
        var runs = Every(Hour, Now.AddMinutes(-30), 24, TimeSpan.FromMinutes(17)).ToList();

        var health = Evaluate(null, runs, HealthState.RuntimeTooLong, DriftBaseline(TimeSpan.FromMinutes(10)));

        Assert.EndsWith(
            "is 17m, 1.7 times the median 10m of its 336 successful runs from 2026-01-17 00:00:00+00:00 to 2026-01-31 00:00:00+00:00: it was found drifted to 2 times what it was a month before, and is until the median is below 1.2 times that",
            health.Summary);
        Assert.Equal(TimeSpan.FromMinutes(12), health.Reasons[0].Facts.LimitDuration);
    }

    [Fact]
    public void A_median_wandering_around_twice_its_baseline_is_one_alert_not_many()
    {
        // A day of evaluations while the median's noise carries it between 1.8 and 2.2 times the baseline: the state
        // recorded after each is the one the next is held by, as the loop records it.
        var random = new Random(15);
        HealthState? recorded = null;
        var changes = 0;
        for (var hour = 0; hour < 48; hour++)
        {
            var minutes = 20 + ((random.NextDouble() * 4) - 2);
            var runs = Every(Hour, Now.AddMinutes(-30), 24, TimeSpan.FromMinutes(minutes)).ToList();
            var state = Evaluate(null, runs, recorded, DriftBaseline(TimeSpan.FromMinutes(10))).State;
            if (state != (recorded ?? HealthState.Up))
            {
                changes++;
            }

            recorded = state;
        }

        Assert.Equal(HealthState.RuntimeTooLong, recorded);
        Assert.Equal(1, changes);
    }

    private static RuntimeBaseline DriftBaseline(TimeSpan median)
    {
        var (from, until) = RuntimeBaseline.WindowAt(Now);
        return new RuntimeBaseline(from, until, 336, median, RuntimeBaseline.DefaultFactor);
    }

    /// <summary>Evaluated with <paramref name="recorded"/> as last recorded: a drift's reason (facts counting its runs) for too long.</summary>
    private static ScriptHealth Evaluate(ScriptExpectation? expectation, IEnumerable<HistoryRun> runs, HealthState? recorded, RuntimeBaseline? baseline = null) =>
        Evaluate(expectation, runs, recorded is { } state ? new HealthReason(state, null, "recorded") { Facts = new HealthFacts { ObservedCount = state == HealthState.RuntimeTooLong ? 24 : null } } : null, baseline);

    private static ScriptHealth Evaluate(ScriptExpectation? expectation, IEnumerable<HistoryRun> runs, HealthReason? recorded, RuntimeBaseline? baseline) =>
        HealthEvaluator.Evaluate(new ScriptSnapshot(Script, expectation, ScriptHistory.FromRuns(runs)) { RecordedReason = recorded, RuntimeBaseline = baseline }, Now);
}

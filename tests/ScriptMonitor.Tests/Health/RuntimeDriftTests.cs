using ScriptMonitor.Health;
using static ScriptMonitor.Tests.Health.History;

namespace ScriptMonitor.Tests.Health;

/// <summary>
/// The runtime-drift rule: the median of the recent successes against the median of the same script a month before
/// (<see cref="RuntimeBaseline"/>), one case per cause, including the noise that must not alarm.
/// </summary>
public sealed class RuntimeDriftTests
{
    private static readonly (DateTimeOffset From, DateTimeOffset Until) Window = RuntimeBaseline.WindowAt(Now);

    [Fact]
    public void A_runtime_that_crept_to_twice_a_month_before_is_too_long_though_the_learned_band_moved_with_it()
    {
        // 24 hourly runs at 21 minutes: the learned band is centred there, and a month before they took 10.
        var runs = Every(Hour, Now.AddMinutes(-30), 24, TimeSpan.FromMinutes(21)).ToList();

        var health = Evaluate(runs, Baseline(336, TimeSpan.FromMinutes(10)));

        Assert.Equal(HealthState.RuntimeTooLong, health.State);
        Assert.Equal(
            $"the median runtime of the last 24 successful runs (since 2026-03-01 12:30:00+00:00) is 21m, 2.1 times the median 10m of its 336 successful runs from 2026-01-17 00:00:00+00:00 to 2026-01-31 00:00:00+00:00: its runtime has drifted to 2 times what it was a month before or more",
            health.Summary);
        Assert.Equal(HealthState.Up, Evaluate(runs, null).State);
    }

    [Fact]
    public void Just_below_the_factor_is_up()
    {
        var runs = Every(Hour, Now.AddMinutes(-30), 24, TimeSpan.FromMinutes(19)).ToList();

        Assert.Equal(HealthState.Up, Evaluate(runs, Baseline(336, TimeSpan.FromMinutes(10))).State);
    }

    [Fact]
    public void A_runtime_halved_against_a_month_before_is_not_an_alarm()
    {
        var runs = Every(Hour, Now.AddMinutes(-30), 24, TimeSpan.FromMinutes(4)).ToList();

        Assert.Equal(HealthState.Up, Evaluate(runs, Baseline(336, TimeSpan.FromMinutes(10))).State);
    }

    [Fact]
    public void Runtime_limits_set_by_the_user_rule_over_the_drift()
    {
        var expectation = Hourly with { MaxRuntime = TimeSpan.FromMinutes(40) };
        var runs = Every(Hour, Now.AddMinutes(-30), 24, TimeSpan.FromMinutes(30)).ToList();

        Assert.Equal(HealthState.Up, Evaluate(runs, Baseline(336, TimeSpan.FromMinutes(10)), expectation).State);
        Assert.Equal(HealthState.RuntimeTooLong, Evaluate(runs, Baseline(336, TimeSpan.FromMinutes(10)), Hourly).State);
    }

    [Fact]
    public void Too_few_runs_a_month_before_or_now_are_not_judged()
    {
        var daily = Every(TimeSpan.FromDays(1), Now.AddMinutes(-30), 7, TimeSpan.FromMinutes(30)).ToList();
        var hourly = Every(Hour, Now.AddMinutes(-30), 24, TimeSpan.FromMinutes(30)).ToList();

        Assert.DoesNotContain("drifted", Evaluate(daily, Baseline(336, TimeSpan.FromMinutes(10))).Summary, StringComparison.Ordinal);
        Assert.Equal(HealthState.Up, Evaluate(hourly, Baseline(RuntimeBaseline.MinimumRuns - 1, TimeSpan.FromMinutes(10))).State);
    }

    [Fact]
    public void A_daily_job_is_judged_on_its_newest_runs_when_the_last_day_has_too_few()
    {
        var daily = Every(TimeSpan.FromDays(1), Now.AddMinutes(-30), 14, TimeSpan.FromMinutes(30)).ToList();

        var health = Evaluate(daily, Baseline(14, TimeSpan.FromMinutes(10)));

        Assert.Equal(HealthState.RuntimeTooLong, health.State);
        Assert.StartsWith("the median runtime of the last 12 successful runs (since 2026-02-19 11:30:00+00:00) is 30m, 3.0 times", health.Summary, StringComparison.Ordinal);
        Assert.Equal(HealthState.Up, Evaluate(daily.Take(11), Baseline(14, TimeSpan.FromMinutes(10))).State);
    }

    [Fact]
    public void Runtimes_that_vary_by_a_third_and_drift_a_fifth_a_year_never_drift_in_a_thousand_samples()
    {
        // Log-normal runtimes with a coefficient of variation of 0.3; a month of drift at 20 % a year is under 2 %.
        var random = new Random(15);
        var sigma = Math.Sqrt(Math.Log(1.09));
        TimeSpan Runtime(double median)
        {
            var z = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            return TimeSpan.FromMinutes(median * Math.Exp(sigma * z));
        }

        for (var sample = 0; sample < 1000; sample++)
        {
            // A daily job: 14 runs in the baseline, its newest 12 now (the noisiest case the rule judges).
            var before = Enumerable.Range(0, 14).Select(_ => Runtime(10).Ticks).Order().ToArray();
            var median = TimeSpan.FromTicks((before[6] + before[7]) / 2);
            var runs = Enumerable.Range(0, 12).Select(i => Ok(Now.AddMinutes(-30) - TimeSpan.FromDays(i), Runtime(10.2))).ToList();

            var health = Evaluate(runs, Baseline(14, median));

            Assert.DoesNotContain("drifted", health.Summary, StringComparison.Ordinal);
        }
    }

    private static RuntimeBaseline Baseline(int count, TimeSpan median) =>
        new(Window.From, Window.Until, count, median, RuntimeBaseline.DefaultFactor);

    private static ScriptHealth Evaluate(IEnumerable<HistoryRun> runs, RuntimeBaseline? baseline, ScriptExpectation? expectation = null) =>
        HealthEvaluator.Evaluate(new ScriptSnapshot(Script, expectation, ScriptHistory.FromRuns(runs)) { RuntimeBaseline = baseline }, Now);
}

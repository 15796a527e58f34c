using ScriptMonitor.Health;
using static ScriptMonitor.Tests.Health.History;

namespace ScriptMonitor.Tests.Health;

/// <summary>
/// One case per cause of a false alarm or a late alert that the simulated year (bench/alert-simulation.sh) found in
/// the evaluation: each fails on the evaluation as it was before the fix.
/// </summary>
public sealed class AlertCorrectnessTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void A_learned_band_takes_runtimes_that_vary_by_a_third_and_still_flags_a_run_ten_times_as_long()
    {
        // Log-normal runtimes with a coefficient of variation of 0.3 around 10 minutes, as ordinary jobs vary: with
        // a band of the median ± 3 MADs, one run in a hundred was "too long".
        var random = new Random(15);
        var sigma = Math.Sqrt(Math.Log(1.09));
        TimeSpan Runtime()
        {
            var z = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            return TimeSpan.FromMinutes(10 * Math.Exp(sigma * z));
        }

        var history = Enumerable.Range(1, 24).Select(i => Ok(Now - (Hour * i), Runtime())).ToList();

        var learned = ExpectationLearner.Learn(ScriptHistory.FromRuns(history))!;
        var twice = Evaluate(null, [Ok(Now.AddMinutes(-30), TimeSpan.FromMinutes(21)), .. history], Now);
        var tenTimes = Evaluate(null, [Ok(Now.AddMinutes(-30), TimeSpan.FromMinutes(100)), .. history], Now);

        Assert.True(learned.RuntimeHigh >= TimeSpan.FromMinutes(45) && learned.RuntimeLow <= TimeSpan.FromMinutes(2.5), learned.Describe());
        Assert.Equal(HealthState.Up, twice.State);
        Assert.Equal(HealthState.RuntimeTooLong, tenTimes.State);
    }

    [Fact]
    public void A_tolerated_failure_is_a_run_that_happened_not_a_late_one()
    {
        // Two tolerated failures after the last success: the script ran on time, it failed within its tolerance.
        var expectation = Hourly with { FailuresTolerated = 2 };
        var cron = new ScriptExpectation(Script) { Schedule = new CronSchedule("0 * * * *"), FailuresTolerated = 2 };
        var runs = new[] { Failed(Now.AddMinutes(-60)), Failed(Now.AddMinutes(-120)), Ok(Now.AddMinutes(-180)) };

        Assert.Equal(HealthState.Up, Evaluate(expectation, runs, Now.AddMinutes(5)).State);
        Assert.Equal(HealthState.Up, Evaluate(cron, runs, Now.AddMinutes(-54)).State);
        Assert.Equal(HealthState.Failing, Evaluate(cron, [Failed(Now.AddMinutes(-60)), Failed(Now.AddMinutes(-120)), Failed(Now.AddMinutes(-180)), Ok(Now.AddMinutes(-240))], Now.AddMinutes(-54)).State);
    }

    [Fact]
    public void A_learned_period_of_hours_has_grace_for_the_clocks_going_back()
    {
        // "30 1-23/4 * * *" in Berlin: every four hours, five on the night the clocks go back.
        var runs = Every(TimeSpan.FromHours(4), Now.AddHours(-5), 10).ToList();

        var learned = ExpectationLearner.Learn(ScriptHistory.FromRuns(runs))!;
        var health = Evaluate(null, runs, Now.AddMinutes(2));

        Assert.Equal(TimeSpan.FromHours(4), learned.Period);
        Assert.Equal(TimeSpan.FromMinutes(65), learned.Grace);
        Assert.Equal(HealthState.Up, health.State);
    }

    [Fact]
    public void A_learned_schedule_of_daytime_runs_is_not_late_every_night_nor_too_often_by_day()
    {
        // "0 8-18/2 * * *": six runs two hours apart, then fourteen hours of night; the typical interval is two hours.
        var day = Utc(2026, 3, 2, 0, 0);
        var runs = Enumerable.Range(-4, 5).SelectMany(d => Enumerable.Range(0, 6).Select(k => Ok(day.AddDays(d).AddHours(8 + (2 * k))))).ToList();

        var night = Evaluate(null, runs.Where(r => r.StartedAt <= day.AddHours(-6)), day.AddHours(7));
        var morning = Evaluate(null, runs.Where(r => r.StartedAt <= day.AddHours(10)), day.AddHours(10).AddMinutes(5));

        Assert.Equal(TimeSpan.FromHours(14), ExpectationLearner.Learn(ScriptHistory.FromRuns(runs))!.Period);
        Assert.Equal(HealthState.Up, night.State);
        Assert.Equal(HealthState.Up, morning.State);
    }

    [Fact]
    public void A_minutely_job_running_every_minute_is_not_too_often()
    {
        // The rate window reaches from an early start of its sixth due occurrence to now: 16 minutes with 5 minutes
        // of grace. Held against the 6 due occurrences alone, 16 runs were "too often".
        var expectation = new ScriptExpectation(Script) { Schedule = new CronSchedule("* * * * *") };
        var runs = Enumerable.Range(0, 30).Select(i => Ok(Now - (Minute * i) + TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(10)));

        var health = Evaluate(expectation, runs, Now.AddSeconds(30));

        Assert.Equal(HealthState.Up, health.State);
    }

    [Fact]
    public void An_hourly_job_three_times_as_often_is_still_too_often()
    {
        var expectation = new ScriptExpectation(Script) { Schedule = new CronSchedule("0 * * * *") };
        var runs = Enumerable.Range(0, 24).Select(i => Ok(Now - (TimeSpan.FromMinutes(20) * i)));

        var health = Evaluate(expectation, runs, Now.AddMinutes(1));

        Assert.Equal(HealthState.TooOften, health.State);
    }

    [Fact]
    public void A_run_counts_early_for_the_next_occurrence_only_not_for_five_minutes_of_a_minutely_job()
    {
        // A minutely job that stopped after its 11:50 run is late once 11:51 is past its 5 minutes of grace; with a
        // 5-minute early-start tolerance the 11:50 run counted for every occurrence up to 11:55.
        var expectation = new ScriptExpectation(Script) { Schedule = new CronSchedule("* * * * *") };
        var runs = Enumerable.Range(0, 10).Select(i => Ok(Utc(2026, 3, 2, 11, 50) - (Minute * i), TimeSpan.FromSeconds(10)));

        var health = Evaluate(expectation, runs, Utc(2026, 3, 2, 11, 56, 30));

        Assert.Equal(HealthState.Late, health.State);
        Assert.Equal(HealthState.Up, Evaluate(expectation, [Ok(Utc(2026, 3, 2, 11, 50, 40), TimeSpan.FromSeconds(10)), .. runs], Utc(2026, 3, 2, 11, 56, 30)).State);
    }

    [Fact]
    public void One_host_of_at_least_k_running_too_rarely_is_shown_on_the_host_not_raised()
    {
        // db3 stopped five hours ago: late and too rare on db3, but two of three ran, which is what was asked.
        var expectation = Hourly with { Hosts = HostRequirement.AtLeast(2, "db1", "db2", "db3") };
        var runs = new[] { "db1", "db2" }.SelectMany(host => Every(Hour, Now.AddMinutes(-20), 10, host: host))
            .Concat(Every(Hour, Now.AddHours(-5), 5, host: "db3"));

        var health = Evaluate(expectation, runs, Now);

        Assert.Equal(HealthState.Up, health.State);
        Assert.Contains(health.Hosts.Single(h => h.Hostname == "db3").Reasons, r => r.State == HealthState.TooRare);
    }
}

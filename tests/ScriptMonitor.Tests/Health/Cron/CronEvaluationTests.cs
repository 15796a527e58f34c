using ScriptMonitor.Health;
using static ScriptMonitor.Tests.Health.History;

namespace ScriptMonitor.Tests.Health.Cron;

/// <summary>The health evaluation expects a cron job when cron runs it: days 1 to 7 and every Monday for '0 0 1-7 * 1'.</summary>
public sealed class CronEvaluationTests
{
    private static readonly ScriptExpectation FirstWeekAndMondays = new(Script) { Schedule = Schedule.Cron("0 0 1-7 * 1"), Grace = TimeSpan.FromMinutes(10) };

    /// <summary>The days cron runs '0 0 1-7 * 1' on, worked out from crontab(5): a day of 1 to 7, or a Monday.</summary>
    private static IEnumerable<HistoryRun> RunsAsCronMakesThem(DateTimeOffset from, DateTimeOffset to)
    {
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            if (day.Day <= 7 || day.DayOfWeek == DayOfWeek.Monday)
            {
                yield return Ok(day.AddSeconds(30));
            }
        }
    }

    [Fact]
    public void A_Monday_run_that_cron_would_have_made_and_did_not_is_late()
    {
        // Ran every day from the 1st to the 7th of January 2026; Monday the 12th never came.
        var health = Evaluate(FirstWeekAndMondays, RunsAsCronMakesThem(Utc(2026, 1, 1, 0, 0), Utc(2026, 1, 7, 0, 0)), Utc(2026, 1, 12, 1, 0));

        Assert.Equal(HealthState.Late, health.State);
        Assert.Contains("the run due at 2026-01-12 00:00:00+00:00", health.Reasons[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_runs_cron_makes_on_both_day_fields_are_not_too_often()
    {
        var health = Evaluate(FirstWeekAndMondays, RunsAsCronMakesThem(Utc(2025, 10, 1, 0, 0), Utc(2026, 1, 12, 0, 0)), Utc(2026, 1, 12, 1, 0));

        Assert.Equal(HealthState.Up, health.State);
    }

    [Fact]
    public void A_fixed_time_job_skipped_by_the_spring_change_is_due_right_after_it()
    {
        // Berlin, 2026-03-29: 02:30 does not exist; cron runs the job at 03:00 CEST (01:00 UTC).
        var daily = new ScriptExpectation(Script) { Schedule = Schedule.Cron("30 2 * * *", "Europe/Berlin"), Grace = TimeSpan.FromMinutes(10) };

        var missed = Evaluate(daily, [Ok(Utc(2026, 3, 28, 1, 30, 5))], Utc(2026, 3, 29, 1, 15));
        var ran = Evaluate(daily, [Ok(Utc(2026, 3, 28, 1, 30, 5)), Ok(Utc(2026, 3, 29, 1, 0, 5))], Utc(2026, 3, 29, 1, 15));

        Assert.Equal(HealthState.Late, missed.State);
        Assert.Contains("the run due at 2026-03-29 01:00:00+00:00", missed.Reasons[0].Message, StringComparison.Ordinal);
        Assert.Equal(HealthState.Up, ran.State);
    }
}

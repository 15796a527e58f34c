using ScriptMonitor.Runs;
using ScriptMonitor.Health;
using static ScriptMonitor.Tests.Health.History;

namespace ScriptMonitor.Tests.Health;

public sealed class HealthEvaluatorTests
{
    private static readonly DateTimeOffset Now = Utc(2026, 3, 2, 12, 0);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private static readonly ScriptExpectation Hourly = new(Script) { Schedule = Schedule.Every(Hour), Grace = TimeSpan.FromMinutes(10) };

    public static TheoryData<string, ScriptExpectation?, HistoryRun[], HealthState, string> PeriodCases => new()
    {
        {
            "ran half an hour ago", Hourly, [Ok(Now.AddMinutes(-30)), Ok(Now.AddMinutes(-90))],
            HealthState.Up, "last successful run on db1 started 2026-03-02 11:30:00+00:00 and took 1m, expected every 1h"
        },
        {
            "due, but within its grace", Hourly, [Ok(Now.AddMinutes(-69))],
            HealthState.Up, "last successful run on db1 started 2026-03-02 10:51:00+00:00"
        },
        {
            "past period and grace", Hourly, [Ok(Now.AddMinutes(-75))],
            HealthState.Late, "no successful run since 2026-03-02 10:45:00+00:00, expected every 1h with 10m grace"
        },
        {
            "three runs missed", Hourly, [Ok(Now.AddHours(-4))],
            HealthState.Missing, "no successful run since 2026-03-02 08:00:00+00:00, expected every 1h with 10m grace; 3 or more runs missed"
        },
        {
            "the last run failed", Hourly, [Failed(Now.AddMinutes(-10), exitCode: 3), Ok(Now.AddMinutes(-50))],
            HealthState.Failing, "the last run failed, the latest started 2026-03-02 11:50:00+00:00 with exit code 3; 0 consecutive failures are tolerated"
        },
        {
            "two failures, two tolerated", Hourly with { FailuresTolerated = 2 }, [Failed(Now.AddMinutes(-10)), Failed(Now.AddMinutes(-20)), Ok(Now.AddMinutes(-50))],
            HealthState.Up, "last successful run on db1 started 2026-03-02 11:10:00+00:00"
        },
        {
            "three failures, two tolerated", Hourly with { FailuresTolerated = 2 }, [Failed(Now.AddMinutes(-10)), Failed(Now.AddMinutes(-20)), Failed(Now.AddMinutes(-30)), Ok(Now.AddMinutes(-50))],
            HealthState.Failing, "the last 3 runs failed, the latest started 2026-03-02 11:50:00+00:00 with exit code 2; 2 consecutive failures are tolerated"
        },
        {
            "a run in progress past the maximum", Hourly with { MaxRuntime = TimeSpan.FromMinutes(30) }, [Running(Now.AddMinutes(-45)), Ok(Now.AddMinutes(-50))],
            HealthState.RunningTooLong, "a run started 2026-03-02 11:15:00+00:00 has been running for 45m, longer than the maximum 30m"
        },
        {
            "a run in progress within the maximum", Hourly with { MaxRuntime = TimeSpan.FromMinutes(30) }, [Running(Now.AddMinutes(-5)), Ok(Now.AddMinutes(-50))],
            HealthState.Up, "last successful run on db1 started 2026-03-02 11:10:00+00:00"
        },
        {
            "the last run took too long", Hourly with { MaxRuntime = TimeSpan.FromMinutes(30) }, [Ok(Now.AddMinutes(-50), TimeSpan.FromMinutes(42))],
            HealthState.RuntimeTooLong, "the last successful run (started 2026-03-02 11:10:00+00:00) took 42m, longer than the maximum 30m"
        },
        {
            "the last run was too short", Hourly with { MinRuntime = TimeSpan.FromSeconds(5) }, [Ok(Now.AddMinutes(-50), TimeSpan.FromSeconds(1.5))],
            HealthState.RuntimeTooShort, "the last successful run (started 2026-03-02 11:10:00+00:00) took 1.5s, shorter than the minimum 5s"
        },
        {
            "every 3 hours against every hour, with grace to spare", Hourly with { Grace = TimeSpan.FromHours(3) }, [.. Every(TimeSpan.FromHours(3), Now.AddHours(-1), 8)],
            HealthState.TooRare, "2 runs started between 2026-03-02 06:00:00+00:00 and 2026-03-02 12:00:00+00:00, but every 1h means 6"
        },
        {
            "every 10 minutes against every hour", Hourly, [.. Every(TimeSpan.FromMinutes(10), Now.AddMinutes(-5), 40)],
            HealthState.TooOften, "at least 24 runs on db1 started between 2026-03-02 06:00:00+00:00 and 2026-03-02 12:00:00+00:00, but every 1h means 6"
        },
        {
            "a new script is not too rare", Hourly with { Grace = TimeSpan.FromHours(3) }, [Ok(Now.AddHours(-1))],
            HealthState.Up, "last successful run on db1 started 2026-03-02 11:00:00+00:00"
        },
        {
            "paused until lifted, though late", Hourly with { Paused = true }, [Ok(Now.AddHours(-5))],
            HealthState.Paused, "alerts for nightly-backup are paused until the pause is lifted"
        },
        {
            "paused until an hour from now", Hourly with { Paused = true, PausedUntil = Now.AddHours(1) }, [Ok(Now.AddHours(-5))],
            HealthState.Paused, "alerts for nightly-backup are paused until 2026-03-02 13:00:00+00:00"
        },
        {
            "a pause that ended an hour ago", Hourly with { Paused = true, PausedUntil = Now.AddHours(-1) }, [Ok(Now.AddMinutes(-75))],
            HealthState.Late, "no successful run since 2026-03-02 10:45:00+00:00, expected every 1h with 10m grace"
        },
        {
            "an expectation and no run", Hourly, [],
            HealthState.NeverRan, "no run of nightly-backup has been recorded, expected every 1h"
        },
        {
            "no expectation and four runs", null, [.. Every(Hour, Now.AddMinutes(-30), 4)],
            HealthState.Learning, "4 successful runs of nightly-backup recorded; its period and normal runtime are learned once there are 5"
        },
        {
            "no expectation and one run", null, [Ok(Now.AddMinutes(-30))],
            HealthState.Learning, "1 successful run of nightly-backup recorded; its period and normal runtime are learned once there are 5"
        },
        {
            "no expectation, a failure then a success", null, [Ok(Now.AddMinutes(-30)), Failed(Now.AddMinutes(-90))],
            HealthState.Learning, "1 successful run of nightly-backup recorded"
        },
        {
            "no expectation, the first run failed", null, [Failed(Now.AddMinutes(-30), exitCode: 1)],
            HealthState.Failing, "the last run failed, the latest started 2026-03-02 11:30:00+00:00 with exit code 1; 0 consecutive failures are tolerated"
        },
        {
            "no expectation, failed 5 of 5", null, [.. Enumerable.Range(0, 5).Select(i => Failed(Now.AddHours(-i), exitCode: 3))],
            HealthState.Failing, "the last 5 runs failed, the latest started 2026-03-02 12:00:00+00:00 with exit code 3"
        },
        {
            "no expectation, timed out 5 of 5", null, [.. Enumerable.Range(0, 5).Select(i => Failed(Now.AddHours(-i), exitCode: 124))],
            HealthState.Failing, "the last 5 runs failed, the latest started 2026-03-02 12:00:00+00:00 with exit code 124"
        },
        {
            "an expectation without a schedule tolerating one failure, two failed", new ScriptExpectation(Script) { FailuresTolerated = 1 }, [Failed(Now.AddHours(-1)), Failed(Now.AddHours(-2))],
            HealthState.Failing, "the last 2 runs failed, the latest started 2026-03-02 11:00:00+00:00 with exit code 2; 1 consecutive failure is tolerated"
        },
        {
            "no schedule but a maximum runtime, a run in progress past it", new ScriptExpectation(Script) { MaxRuntime = TimeSpan.FromMinutes(30) }, [Running(Now.AddHours(-2)), Ok(Now.AddHours(-3))],
            HealthState.RunningTooLong, "a run started 2026-03-02 10:00:00+00:00 has been running for 2h, longer than the maximum 30m"
        },
        {
            "a run two minutes ahead of the clock is on time", Hourly, [Ok(Now.AddMinutes(2)), Ok(Now.AddMinutes(-58))],
            HealthState.Up, "last successful run on db1 started 2026-03-02 12:02:00+00:00"
        },
        {
            "a run from the future, the job otherwise on time", Hourly, [Ok(Now.AddHours(2)), Ok(Now.AddMinutes(-30))],
            HealthState.FutureRun, "a run started 2026-03-02 14:00:00+00:00, 2h after the time of this evaluation (2026-03-02 12:00:00+00:00): the clock of db1 or of the evaluating host is wrong; runs from the future do not count as on time"
        },
        {
            "a run from the future hides no stopped job", Hourly, [Ok(Now.AddHours(20)), Ok(Now.AddMinutes(-75))],
            HealthState.Late, "no successful run since 2026-03-02 10:45:00+00:00, expected every 1h with 10m grace"
        },
        {
            "a run in progress from the future hides no stopped job", Hourly, [Running(Now.AddHours(5)), Ok(Now.AddHours(-4))],
            HealthState.Missing, "no successful run since 2026-03-02 08:00:00+00:00"
        },
        {
            "only runs from the future", Hourly, [Ok(Now.AddHours(3)), Ok(Now.AddHours(2))],
            HealthState.Missing, "no successful run that started before now has been recorded, expected every 1h with 10m grace"
        },
        {
            "learning, and a run from the future", null, [Ok(Now.AddHours(3))],
            HealthState.FutureRun, "a run started 2026-03-02 15:00:00+00:00, 3h after"
        },
        {
            "no expectation and five runs", null, [.. Every(Hour, Now.AddMinutes(-30), 5)],
            HealthState.Up, "last successful run on db1 started 2026-03-02 11:30:00+00:00 and took 1m, expected about every 1h (learned)"
        },
        {
            "no expectation, learned hourly, silent for three hours", null, [.. Every(Hour, Now.AddHours(-3), 10)],
            HealthState.Missing, "no successful run since 2026-03-02 09:00:00+00:00, expected about every 1h (learned) with 15m grace; 3 or more runs missed"
        },
        {
            "no expectation, learned runtime, a run ten times as long", null, [Ok(Now.AddMinutes(-30), TimeSpan.FromMinutes(10)), .. Every(Hour, Now.AddMinutes(-90), 10)],
            HealthState.RuntimeTooLong, "the last successful run (started 2026-03-02 11:30:00+00:00) took 10m, longer than the learned normal maximum 5m"
        },
    };

    [Theory]
    [MemberData(nameof(PeriodCases))]
    public void A_period_schedule_gives_the_state_and_the_reason(string situation, ScriptExpectation? expectation, HistoryRun[] runs, HealthState state, string reason)
    {
        var health = Evaluate(expectation, runs, Now);

        Assert.True(state == health.State, $"{situation}: expected {state}, got {health.State}: {health.Summary}");
        Assert.StartsWith(reason, health.Summary, StringComparison.Ordinal);
    }

    private static readonly ScriptExpectation DailyAt2 = new(Script) { Schedule = Schedule.Cron("0 2 * * *"), Grace = TimeSpan.FromMinutes(10) };

    private static readonly ScriptExpectation DailyAt230Berlin = new(Script) { Schedule = Schedule.Cron("30 2 * * *", "Europe/Berlin"), Grace = TimeSpan.FromMinutes(10) };

    public static TheoryData<string, ScriptExpectation, HistoryRun[], DateTimeOffset, HealthState, string> CronCases => new()
    {
        {
            "ran at today's occurrence", DailyAt2, [Ok(Utc(2026, 3, 2, 2, 0, 30))], Now,
            HealthState.Up, "last successful run on db1 started 2026-03-02 02:00:30+00:00"
        },
        {
            "missed today's occurrence", DailyAt2, [Ok(Utc(2026, 3, 1, 2, 0, 30))], Now,
            HealthState.Late, "no successful run for the run due at 2026-03-02 02:00:00+00:00, expected at '0 2 * * *' (UTC) with 10m grace; the last success started 2026-03-01 02:00:30+00:00"
        },
        {
            "today's run is due but within grace", DailyAt2, [Ok(Utc(2026, 3, 1, 2, 0, 30))], Utc(2026, 3, 2, 2, 9),
            HealthState.Up, "last successful run on db1 started 2026-03-01 02:00:30+00:00"
        },
        {
            "started two minutes early, counts for the occurrence", DailyAt2, [Ok(Utc(2026, 3, 2, 1, 58))], Now,
            HealthState.Up, "last successful run on db1 started 2026-03-02 01:58:00+00:00"
        },
        {
            "started ten minutes early, is the day before's run", DailyAt2, [Ok(Utc(2026, 3, 2, 1, 50))], Utc(2026, 3, 3, 3, 0),
            HealthState.Late, "no successful run for the run due at 2026-03-03 02:00:00+00:00"
        },
        {
            "three occurrences missed", DailyAt2, [Ok(Utc(2026, 2, 27, 2, 0))], Now,
            HealthState.Missing, "no successful run for the run due at 2026-03-02 02:00:00+00:00, expected at '0 2 * * *' (UTC) with 10m grace; the last success started 2026-02-27 02:00:00+00:00; 3 or more runs missed"
        },
        {
            "Berlin winter time: 02:30 is 01:30 UTC", DailyAt230Berlin, [Ok(Utc(2026, 3, 28, 1, 30))], Utc(2026, 3, 28, 12, 0),
            HealthState.Up, "last successful run on db1 started 2026-03-28 01:30:00+00:00"
        },
        {
            "Berlin spring forward: 02:30 does not exist, Cronos runs it at 03:00 CEST, 01:00 UTC", DailyAt230Berlin, [Ok(Utc(2026, 3, 29, 1, 0, 5))], Utc(2026, 3, 29, 12, 0),
            HealthState.Up, "last successful run on db1 started 2026-03-29 01:00:05+00:00"
        },
        {
            "Berlin summer time: the next run is due at 00:30 UTC", DailyAt230Berlin, [Ok(Utc(2026, 3, 29, 1, 0, 5))], Utc(2026, 3, 30, 0, 45),
            HealthState.Late, "no successful run for the run due at 2026-03-30 00:30:00+00:00, expected at '30 2 * * *' (Europe/Berlin) with 10m grace"
        },
        {
            "Berlin summer time, an hour before the winter-time due instant", DailyAt230Berlin, [Ok(Utc(2026, 3, 30, 0, 30, 9))], Utc(2026, 3, 30, 1, 0),
            HealthState.Up, "last successful run on db1 started 2026-03-30 00:30:09+00:00"
        },
        {
            "a run spanning midnight within its maximum", DailyAt2 with { Schedule = Schedule.Cron("50 23 * * *"), MaxRuntime = Hour }, [Ok(Utc(2026, 3, 1, 23, 50), TimeSpan.FromMinutes(45))], Now,
            HealthState.Up, "last successful run on db1 started 2026-03-01 23:50:00+00:00 and took 45m"
        },
        {
            "a run in progress across midnight, within its maximum", DailyAt2 with { Schedule = Schedule.Cron("50 23 * * *"), MaxRuntime = Hour }, [Running(Utc(2026, 3, 1, 23, 50)), Ok(Utc(2026, 2, 28, 23, 50))], Utc(2026, 3, 2, 0, 20),
            HealthState.Up, "last successful run on db1 started 2026-02-28 23:50:00+00:00"
        },
        {
            "a run in progress across midnight, past its maximum", DailyAt2 with { Schedule = Schedule.Cron("50 23 * * *"), MaxRuntime = Hour }, [Running(Utc(2026, 3, 1, 23, 50)), Ok(Utc(2026, 2, 28, 23, 50))], Utc(2026, 3, 2, 0, 55),
            HealthState.RunningTooLong, "a run started 2026-03-01 23:50:00+00:00 has been running for 1h 5m, longer than the maximum 1h"
        },
        {
            "weekdays only, run Friday, checked Sunday", DailyAt2 with { Schedule = Schedule.Cron("0 2 * * 1-5") }, [Ok(Utc(2026, 2, 27, 2, 0))], Utc(2026, 3, 1, 12, 0),
            HealthState.Up, "last successful run on db1 started 2026-02-27 02:00:00+00:00"
        },
    };

    [Theory]
    [MemberData(nameof(CronCases))]
    public void A_cron_schedule_gives_the_state_and_the_reason(string situation, ScriptExpectation expectation, HistoryRun[] runs, DateTimeOffset now, HealthState state, string reason)
    {
        var health = Evaluate(expectation, runs, now);

        Assert.True(state == health.State, $"{situation}: expected {state}, got {health.State}: {health.Summary}");
        Assert.StartsWith(reason, health.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_five_minutely_run_two_and_a_half_minutes_early_is_on_time_when_the_occurrence_before_had_its_own_run()
    {
        // Jittered 90 s and fired a minute early by its host's cron: the run of 12:05 started at 12:02:29, past half the
        // period before it. The run of 12:00 came at 12:00:05, so the 12:02:29 one is 12:05's, not a late 12:00.
        var every5 = new ScriptExpectation(Script) { Schedule = Schedule.Cron("*/5 * * * *"), Grace = TimeSpan.FromMinutes(5) };
        var at = Utc(2026, 3, 2, 12, 10);
        HistoryRun[] runs = [Ok(Utc(2026, 3, 2, 12, 2, 29)), Ok(Utc(2026, 3, 2, 12, 0, 5)), Ok(Utc(2026, 3, 2, 11, 55, 10)), Ok(Utc(2026, 3, 2, 11, 50, 0))];

        Assert.Equal(HealthState.Up, Evaluate(every5, runs, at).State);

        // Without a run of its own for 12:00, the 12:02:29 one was 12:00's, late, and 12:05 had none.
        var late = Evaluate(every5, runs.Where(r => r.StartedAt != Utc(2026, 3, 2, 12, 0, 5)).ToArray(), at);
        Assert.Equal(HealthState.Late, late.State);
        Assert.StartsWith("no successful run for the run due at 2026-03-02 12:05:00+00:00", late.Summary, StringComparison.Ordinal);

        // More than the 5 minutes tolerated early is never the next occurrence's.
        Assert.Equal(HealthState.Late, Evaluate(every5 with { Schedule = Schedule.Cron("*/10 * * * *") }, [Ok(Utc(2026, 3, 2, 11, 54, 59)), Ok(Utc(2026, 3, 2, 11, 50, 5))], Utc(2026, 3, 2, 12, 5)).State);
    }

    [Fact]
    public void A_burst_is_too_often_though_its_newest_run_is_seconds_ahead_of_the_clock()
    {
        // Twelve runs in six hours and a thirteenth whose host's clock is 3 s ahead: a clock a little ahead must not
        // hide the burst until the window has moved on (runs from the future are those 5 minutes ahead and more).
        var runs = Enumerable.Range(0, 12).Select(i => Ok(Now.AddMinutes(-10 - (29 * i)))).Prepend(Ok(Now.AddSeconds(3))).Append(Ok(Now.AddHours(-7))).ToList();

        var health = Evaluate(Hourly, runs, Now);

        Assert.Equal(HealthState.TooOften, health.State);
        Assert.StartsWith("13 runs on db1 started between 2026-03-02 06:00:00+00:00 and 2026-03-02 12:00:00+00:00", health.Summary, StringComparison.Ordinal);
        Assert.Equal(HealthState.Up, Evaluate(Hourly, runs.Skip(1), Now).State);
    }

    [Fact]
    public void Each_host_must_run_and_the_late_one_is_named()
    {
        var expectation = Hourly with { Hosts = HostRequirement.Each("db1", "db2") };

        var health = Evaluate(expectation, [Ok(Now.AddMinutes(-30), host: "db1"), Ok(Utc(2026, 3, 2, 2, 31, 7), host: "db2")], Now);

        Assert.Equal(HealthState.Missing, health.State);
        Assert.Equal("1 of 2 hosts did not run as expected; each of db1, db2 must", health.Summary);
        Assert.Equal([HealthState.Up, HealthState.Missing], health.Hosts.Select(h => h.State));
        Assert.Contains(health.Reasons, r => r.Message == "no successful run on db2 since 2026-03-02 02:31:07+00:00, expected every 1h with 10m grace; 3 or more runs missed");
    }

    [Fact]
    public void Each_host_must_run_and_a_host_that_never_succeeded_is_missing()
    {
        var expectation = Hourly with { Hosts = HostRequirement.Each("db1", "db2") };

        var health = Evaluate(expectation, [Ok(Now.AddMinutes(-30), host: "db1"), Failed(Now.AddMinutes(-30), host: "db2")], Now);

        Assert.Equal(HealthState.Failing, health.State);
        var db2 = health.Hosts.Single(h => h.Hostname == "db2");
        Assert.Equal([HealthState.Failing, HealthState.Missing], db2.Reasons.Select(r => r.State));
        Assert.Equal("no successful run on db2 has been recorded, expected every 1h with 10m grace", db2.Reasons[1].Message);
    }

    [Fact]
    public void Each_host_running_is_up()
    {
        var expectation = Hourly with { Hosts = HostRequirement.Each("db1", "db2") };

        var health = Evaluate(expectation, [Ok(Now.AddMinutes(-30), host: "db1"), Ok(Now.AddMinutes(-20), host: "db2")], Now);

        Assert.Equal(HealthState.Up, health.State);
        Assert.StartsWith("ran as expected on each of 2 hosts; the latest success on db2 started 2026-03-02 11:40:00+00:00", health.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "db1", "db2", "db3" }, HealthState.Up, "3 of 3 hosts ran as expected (at least 2 must)")]
    [InlineData(new[] { "db1", "db2" }, HealthState.Up, "2 of 3 hosts ran as expected (at least 2 must)")]
    [InlineData(new[] { "db1" }, HealthState.Missing, "only 1 of 3 hosts (db1, db2, db3) ran as expected; at least 2 must")]
    public void At_least_k_of_n_hosts_must_run(string[] hostsThatRan, HealthState state, string summary)
    {
        var expectation = Hourly with { Hosts = HostRequirement.AtLeast(2, "db1", "db2", "db3") };
        var runs = new[] { "db1", "db2", "db3" }.Select(host => Ok(hostsThatRan.Contains(host) ? Now.AddMinutes(-30) : Now.AddHours(-5), host: host));

        var health = Evaluate(expectation, runs, Now);

        Assert.Equal(state, health.State);
        Assert.StartsWith(summary, health.Summary, StringComparison.Ordinal);
        Assert.Equal(3 - hostsThatRan.Length, health.Hosts.Count(h => h.State == HealthState.Missing));
    }

    [Fact]
    public void Any_host_counts_when_no_hosts_are_listed()
    {
        var health = Evaluate(Hourly, [Ok(Now.AddHours(-5), host: "db1"), Ok(Now.AddMinutes(-10), host: "db2")], Now);

        Assert.Equal(HealthState.Up, health.State);
        Assert.Empty(health.Hosts);
    }

    public static TheoryData<string, ScriptExpectation?, HistoryRun[], HealthState, string> AbandonedCases => new()
    {
        {
            "an abandoned run, then 36 successes", Hourly, [.. Every(Hour, Now.AddMinutes(-30), 36), Abandoned(Now.AddHours(-37))],
            HealthState.Up, "last successful run on db1 started 2026-03-02 11:30:00+00:00"
        },
        {
            "the last run was abandoned", Hourly, [Abandoned(Now.AddMinutes(-20)), Ok(Now.AddMinutes(-50))],
            HealthState.Abandoned, "the last run (started 2026-03-02 11:40:00+00:00) was abandoned: it never completed (its process ended without recording an end, or it outlived 1d); 0 consecutive failures are tolerated"
        },
        {
            "one abandoned run tolerated", Hourly with { FailuresTolerated = 1 }, [Abandoned(Now.AddMinutes(-20)), Ok(Now.AddMinutes(-50))],
            HealthState.Up, "last successful run on db1 started 2026-03-02 11:10:00+00:00"
        },
        {
            "a failure and an abandoned run in a row", Hourly with { FailuresTolerated = 1 }, [Failed(Now.AddMinutes(-10)), Abandoned(Now.AddMinutes(-40)), Ok(Now.AddMinutes(-70))],
            HealthState.Failing, "the last 2 runs failed or were abandoned, the latest started 2026-03-02 11:50:00+00:00 with exit code 2; 1 consecutive failure is tolerated"
        },
        {
            "left running for two days, then 36 successes", Hourly with { MaxRuntime = TimeSpan.FromMinutes(30) }, [.. Every(Hour, Now.AddMinutes(-30), 36), Running(Now.AddDays(-2))],
            HealthState.Up, "last successful run on db1 started 2026-03-02 11:30:00+00:00"
        },
        {
            "left running for two days, nothing since", Hourly with { MaxRuntime = TimeSpan.FromMinutes(30) }, [Running(Now.AddDays(-2)), Ok(Now.AddDays(-2).AddHours(-1))],
            HealthState.Abandoned, "the last run (started 2026-02-28 12:00:00+00:00) was abandoned: it has been running for 2d, past the 1d after which a run whose process cannot be checked is presumed abandoned"
        },
        {
            "running past the maximum, within the bound", Hourly with { Schedule = Schedule.Every(TimeSpan.FromHours(6)), MaxRuntime = TimeSpan.FromMinutes(30) }, [Running(Now.AddHours(-5)), Ok(Now.AddHours(-6))],
            HealthState.RunningTooLong, "a run started 2026-03-02 07:00:00+00:00 has been running for 5h, longer than the maximum 30m"
        },
        {
            "a bound set by the expectation", Hourly with { MaxRuntime = TimeSpan.FromMinutes(30), AbandonAfter = TimeSpan.FromHours(2) }, [Running(Now.AddHours(-3)), Ok(Now.AddHours(-4))],
            HealthState.Abandoned, "the last run (started 2026-03-02 09:00:00+00:00) was abandoned: it has been running for 3h, past the 2h after which"
        },
        {
            "a bound of ten times a long maximum runtime", Hourly with { Schedule = Schedule.Every(TimeSpan.FromDays(2)), MaxRuntime = TimeSpan.FromHours(6) }, [Running(Now.AddHours(-40)), Ok(Now.AddHours(-41))],
            HealthState.RunningTooLong, "a run started 2026-02-28 20:00:00+00:00 has been running for 1d 16h, longer than the maximum 6h"
        },
        {
            "no expectation, the first run abandoned", null, [Abandoned(Now.AddMinutes(-20))],
            HealthState.Abandoned, "the last run (started 2026-03-02 11:40:00+00:00) was abandoned"
        },
    };

    [Theory]
    [MemberData(nameof(AbandonedCases))]
    public void Abandoned_runs_count_as_failures_and_never_hold_a_script_once_later_runs_complete(string situation, ScriptExpectation? expectation, HistoryRun[] runs, HealthState state, string reason)
    {
        var health = Evaluate(expectation, runs, Now);

        Assert.True(state == health.State, $"{situation}: expected {state}, got {health.State}: {health.Summary}");
        Assert.StartsWith(reason, health.Summary, StringComparison.Ordinal);
    }

    public static TheoryData<string, ScriptExpectation?, HistoryRun[], ScriptSkip[], HealthState, string> SkippedCases => new()
    {
        {
            "skipped three times while a run holds the lock", Hourly, [Running(Now.AddHours(-3).AddMinutes(-30)), Ok(Now.AddHours(-4))], [Skip(Now.AddHours(-2)), Skip(Now.AddHours(-1)), Skip(Now)],
            HealthState.Skipped, "the last 3 runs on db1 were skipped, the first at 2026-03-02 10:00:00+00:00, because another run held the lock: pid 4242 since 2026-03-02T02:15:00Z; 3 skips in a row make an alert"
        },
        {
            "skipped twice is an overlap, not an outage", Hourly with { Grace = TimeSpan.FromHours(3) }, [Running(Now.AddHours(-2).AddMinutes(-30)), Ok(Now.AddHours(-3))], [Skip(Now.AddHours(-1)), Skip(Now)],
            HealthState.Up, "last successful run on db1 started 2026-03-02 09:00:00+00:00"
        },
        {
            "skips before the latest run do not count", Hourly, [Ok(Now.AddMinutes(-30)), Ok(Now.AddHours(-4))], [Skip(Now.AddHours(-3)), Skip(Now.AddHours(-2)), Skip(Now.AddHours(-1)), Skip(Now.AddMinutes(-10))],
            HealthState.Up, "last successful run on db1 started 2026-03-02 11:30:00+00:00"
        },
        {
            "a holder that ended after the skips was slow, not stuck", Hourly with { Grace = TimeSpan.FromHours(4) }, [Ok(Now.AddHours(-3).AddMinutes(-30), took: TimeSpan.FromHours(3) + TimeSpan.FromMinutes(20)), Ok(Now.AddHours(-4))], [Skip(Now.AddHours(-2)), Skip(Now.AddHours(-1)), Skip(Now.AddMinutes(-15))],
            HealthState.Up, "last successful run on db1 started 2026-03-02 08:30:00+00:00"
        },
        {
            "a tolerance of five", Hourly with { SkipsBeforeAlert = 5 }, [Ok(Now.AddHours(-5))], [Skip(Now.AddHours(-3)), Skip(Now.AddHours(-2)), Skip(Now.AddHours(-1)), Skip(Now)],
            HealthState.Missing, "no successful run since 2026-03-02 07:00:00+00:00"
        },
        {
            "skips on another host do not add up", Hourly, [Ok(Now.AddMinutes(-30), host: "db1")], [Skip(Now.AddMinutes(-20), host: "db2"), Skip(Now.AddMinutes(-10), host: "db1"), Skip(Now, host: "db2")],
            HealthState.Up, "last successful run on db1 started 2026-03-02 11:30:00+00:00"
        },
        {
            "a script known only by its skips", null, [], [Skip(Now.AddHours(-2)), Skip(Now.AddHours(-1)), Skip(Now)],
            HealthState.Skipped, "the last 3 runs on db1 were skipped"
        },
    };

    [Theory]
    [MemberData(nameof(SkippedCases))]
    public void Runs_skipped_in_a_row_for_a_held_lock_are_a_problem_naming_the_holder(string situation, ScriptExpectation? expectation, HistoryRun[] runs, ScriptSkip[] skips, HealthState state, string reason)
    {
        var health = Evaluate(expectation, runs, Now, skips);

        Assert.True(state == health.State, $"{situation}: expected {state}, got {health.State}: {health.Summary}");
        Assert.StartsWith(reason, health.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "db3" }, HealthState.Up, "2 of 3 hosts ran as expected (at least 2 must)")]
    [InlineData(new[] { "db2", "db3" }, HealthState.Abandoned, "only 1 of 3 hosts (db1, db2, db3) ran as expected; at least 2 must")]
    public void A_host_whose_last_run_was_abandoned_did_not_run_as_expected(string[] abandonedOn, HealthState state, string summary)
    {
        var expectation = Hourly with { Hosts = HostRequirement.AtLeast(2, "db1", "db2", "db3") };
        var runs = new[] { "db1", "db2", "db3" }.SelectMany(host => abandonedOn.Contains(host)
            ? new[] { Abandoned(Now.AddMinutes(-20), host), Ok(Now.AddMinutes(-50), host: host) }
            : [Ok(Now.AddMinutes(-20), host: host)]);

        var health = Evaluate(expectation, runs, Now);

        Assert.Equal(state, health.State);
        Assert.StartsWith(summary, health.Summary, StringComparison.Ordinal);
        Assert.Equal(abandonedOn, health.Hosts.Where(h => h.State == HealthState.Abandoned).Select(h => h.Hostname));
    }

    [Fact]
    public void Skips_on_a_listed_host_make_that_host_skipped()
    {
        var expectation = Hourly with { Hosts = HostRequirement.Each("db1", "db2") };
        var runs = new[] { Ok(Now.AddMinutes(-30), host: "db1"), Ok(Now.AddMinutes(-30), host: "db2") };
        var skips = new[] { Skip(Now.AddMinutes(-20), host: "db2"), Skip(Now.AddMinutes(-10), host: "db2"), Skip(Now, host: "db2") };

        var health = Evaluate(expectation, runs, Now, skips);

        Assert.Equal(HealthState.Skipped, health.State);
        Assert.Equal([HealthState.Up, HealthState.Skipped], health.Hosts.Select(h => h.State));
    }

    [Fact]
    public void A_future_run_is_listed_beside_the_lateness_it_would_have_hidden()
    {
        var health = Evaluate(Hourly, [Ok(Now.AddHours(20)), Ok(Now.AddMinutes(-75))], Now);

        Assert.Equal([HealthState.Late, HealthState.FutureRun], health.Reasons.Select(r => r.State));
    }

    [Fact]
    public void A_learning_script_with_a_failure_lists_the_failure_first_and_learning_after()
    {
        var health = Evaluate(null, [Failed(Now.AddMinutes(-10)), Ok(Now.AddMinutes(-70))], Now);

        Assert.Equal([HealthState.Failing, HealthState.Learning], health.Reasons.Select(r => r.State));
    }

    [Fact]
    public void Learning_with_listed_hosts_still_names_the_failing_host()
    {
        var expectation = new ScriptExpectation(Script) { Hosts = HostRequirement.Each("db1", "db2") };

        var health = Evaluate(expectation, [Ok(Now.AddMinutes(-30), host: "db1"), Failed(Now.AddMinutes(-30), host: "db2")], Now);

        Assert.Equal(HealthState.Failing, health.State);
        Assert.Equal([HealthState.Up, HealthState.Failing], health.Hosts.Select(h => h.State));
        Assert.Equal(HealthState.Learning, health.Reasons[^1].State);
    }

    [Fact]
    public void Successes_years_apart_learn_a_bounded_period_and_evaluate()
    {
        var twoYears = TimeSpan.FromDays(731);
        var health = Evaluate(null, [.. Every(twoYears, Now.AddDays(-30), 5)], Now);

        Assert.Equal(HealthState.Up, health.State);
        Assert.Equal(PeriodSchedule.MaxPeriod, health.Learned!.Period);
        Assert.EndsWith("expected about every 366d (learned)", health.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_snapshot_whose_data_could_not_be_read_is_unknown_with_the_reason()
    {
        var snapshot = new ScriptSnapshot(Script, null, ScriptHistory.FromRuns([Ok(Now.AddMinutes(-30))])) { Problem = "its stored expectation cannot be read (bad period)" };

        var health = HealthEvaluator.Evaluate(snapshot, Now);

        Assert.Equal(HealthState.Unknown, health.State);
        Assert.Equal("the health of nightly-backup cannot be evaluated: its stored expectation cannot be read (bad period)", health.Summary);
    }

    [Fact]
    public void An_evaluation_that_fails_is_unknown_for_that_script_instead_of_throwing()
    {
        var broken = new ScriptSnapshot(Script, null, new ScriptHistory(null!, false, [], null, new Dictionary<string, HistoryRun>()));

        var health = HealthEvaluator.Evaluate(broken, Now);

        Assert.Equal(HealthState.Unknown, health.State);
        Assert.StartsWith("the health of nightly-backup cannot be evaluated: ", health.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_reason_is_listed_worst_first()
    {
        var expectation = Hourly with { MaxRuntime = TimeSpan.FromMinutes(30) };

        var health = Evaluate(expectation, [Running(Now.AddHours(-2)), Failed(Now.AddHours(-2).AddMinutes(-5)), Ok(Now.AddHours(-3), TimeSpan.FromMinutes(40))], Now);

        Assert.Equal([HealthState.Failing, HealthState.Late, HealthState.RunningTooLong, HealthState.RuntimeTooLong], health.Reasons.Select(r => r.State));
    }
}

using ScriptMonitor.Health;
using static ScriptMonitor.Tests.Health.History;

namespace ScriptMonitor.Tests.Health;

/// <summary>
/// <see cref="ScriptHealth.RecheckAt"/>: the earliest instant time alone can change an evaluation. Evaluated again at
/// any instant before it the state is the same, so a loop that waits until then misses nothing.
/// </summary>
public sealed class RecheckTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    public static TheoryData<string, ScriptExpectation?, HistoryRun[]> Cases => new()
    {
        { "hourly, ran half an hour ago", Hourly, [Ok(Now.AddMinutes(-30)), Ok(Now.AddMinutes(-90))] },
        { "hourly, within its grace", Hourly, [Ok(Now.AddMinutes(-69))] },
        { "hourly, late", Hourly, [Ok(Now.AddMinutes(-75))] },
        { "hourly, about to be missing", Hourly, [Ok(Now.AddMinutes(-170))] },
        { "failures tolerated", Hourly with { FailuresTolerated = 2 }, [Failed(Now.AddMinutes(-10)), Ok(Now.AddMinutes(-50))] },
        { "a run in progress", Hourly with { MaxRuntime = TimeSpan.FromMinutes(30) }, [Running(Now.AddMinutes(-5)), Ok(Now.AddMinutes(-50))] },
        { "a run in progress, no limit", Hourly, [Running(Now.AddMinutes(-5)), Ok(Now.AddMinutes(-50))] },
        { "paused for an hour", Hourly with { Paused = true, PausedUntil = Now.AddHours(1) }, [Ok(Now.AddHours(-5))] },
        { "daily at 02:30 Berlin", new ScriptExpectation(Script) { Schedule = new CronSchedule("30 2 * * *", "Europe/Berlin"), Grace = TimeSpan.FromMinutes(15) }, [Ok(Utc(2026, 3, 2, 1, 30))] },
        { "every five minutes by cron", new ScriptExpectation(Script) { Schedule = new CronSchedule("*/5 * * * *"), Grace = Minute }, [.. Every(TimeSpan.FromMinutes(5), Now.AddMinutes(-3), 12)] },
        { "learned period", null, [.. Every(TimeSpan.FromMinutes(10), Now.AddMinutes(-4), 30)] },
        { "from the future", Hourly, [Ok(Now.AddMinutes(20)), Ok(Now.AddMinutes(-50))] },
        { "each of two hosts", Hourly with { Hosts = HostRequirement.Each(["db1", "db2"]) }, [Ok(Now.AddMinutes(-40), host: "db1"), Ok(Now.AddMinutes(-65), host: "db2")] },
        { "too rare over the window", Hourly, [Ok(Now.AddMinutes(-30)), Ok(Now.AddHours(-5)), Ok(Now.AddHours(-9))] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_state_does_not_change_before_the_recheck_instant(string because, ScriptExpectation? expectation, HistoryRun[] runs)
    {
        var first = Evaluate(expectation, runs, Now);
        var until = first.RecheckAt ?? Now.AddDays(2);
        Assert.True(until > Now, because);

        // Every 30 seconds up to the instant, and just before it.
        for (var at = Now; at < until; at += TimeSpan.FromSeconds(30))
        {
            Assert.Equal((because, first.State), (because, Evaluate(expectation, runs, at).State));
        }

        Assert.Equal((because, first.State), (because, Evaluate(expectation, runs, until - TimeSpan.FromTicks(1)).State));
    }

    [Fact]
    public void A_deadline_is_rechecked_just_after_due_and_grace()
    {
        var health = Evaluate(Hourly, [Ok(Now.AddMinutes(-30))], Now);

        Assert.Equal(HealthState.Up, health.State);
        Assert.Equal(Now.AddMinutes(-30) + TimeSpan.FromHours(1) + TimeSpan.FromMinutes(10), health.RecheckAt);

        // At the boundary itself the run is still on time ("later than"); the next look is just after it.
        var atBoundary = Evaluate(Hourly, [Ok(Now.AddMinutes(-30))], health.RecheckAt!.Value);
        Assert.Equal(HealthState.Up, atBoundary.State);
        Assert.Equal(health.RecheckAt + RecheckRules.PastBoundary, atBoundary.RecheckAt);
        Assert.Equal(HealthState.Late, Evaluate(Hourly, [Ok(Now.AddMinutes(-30))], atBoundary.RecheckAt!.Value).State);
    }

    [Fact]
    public void A_late_script_is_rechecked_when_it_becomes_missing()
    {
        var runs = new[] { Ok(Now.AddMinutes(-170)) };
        var health = Evaluate(Hourly, runs, Now);

        Assert.Equal(HealthState.Late, health.State);
        Assert.Equal(Now.AddMinutes(10), health.RecheckAt);
        Assert.Equal(HealthState.Missing, Evaluate(Hourly, runs, health.RecheckAt!.Value + RecheckRules.PastBoundary).State);
    }

    [Fact]
    public void A_run_in_progress_is_rechecked_when_it_passes_the_maximum()
    {
        var expectation = Hourly with { MaxRuntime = TimeSpan.FromMinutes(30) };
        var runs = new[] { Running(Now.AddMinutes(-5)), Ok(Now.AddMinutes(-50)) };
        var health = Evaluate(expectation, runs, Now);

        Assert.Equal(Now.AddMinutes(25), health.RecheckAt);
        Assert.Equal(HealthState.RunningTooLong, Evaluate(expectation, runs, health.RecheckAt!.Value + RecheckRules.PastBoundary).State);
    }

    [Fact]
    public void A_pause_is_rechecked_when_it_ends_and_a_pause_without_end_never()
    {
        var until = Now.AddHours(1);
        Assert.Equal(until, Evaluate(Hourly with { Paused = true, PausedUntil = until }, [Ok(Now.AddHours(-5))], Now).RecheckAt);
        Assert.Null(Evaluate(Hourly with { Paused = true }, [Ok(Now.AddHours(-5))], Now).RecheckAt);
    }

    [Fact]
    public void A_cron_script_is_rechecked_after_its_next_occurrence_and_grace()
    {
        var expectation = new ScriptExpectation(Script) { Schedule = new CronSchedule("30 2 * * *", "Europe/Berlin"), Grace = TimeSpan.FromMinutes(15) };
        var health = Evaluate(expectation, [Ok(Utc(2026, 3, 2, 1, 30))], Now);

        // 02:30 in Berlin (UTC+1 in March before the change) is 01:30 UTC; the next occurrence is tomorrow's, when the rate window moves.
        Assert.Equal(Utc(2026, 3, 3, 1, 30), health.RecheckAt);
    }
}

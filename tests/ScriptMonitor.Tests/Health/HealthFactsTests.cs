using ScriptMonitor.Health;
using ScriptMonitor.Runs;
using static ScriptMonitor.Tests.Health.History;

namespace ScriptMonitor.Tests.Health;

/// <summary>Every reason carries the facts its sentence states, for machines to read instead of the sentence.</summary>
public sealed class HealthFactsTests
{
    private static readonly ScriptExpectation DailyAt2 = new(Script) { Schedule = Schedule.Cron("0 2 * * *"), Grace = TimeSpan.FromMinutes(10) };

    public static TheoryData<string, ScriptExpectation?, HistoryRun[], ScriptSkip[], HealthState, HealthFacts> Cases => new()
    {
        {
            "up", Hourly, [Ok(Now.AddMinutes(-30)), Ok(Now.AddMinutes(-90))], [],
            HealthState.Up, new HealthFacts { LastSuccessAt = Now.AddMinutes(-30), ObservedDuration = TimeSpan.FromMinutes(1) }
        },
        {
            "paused", Hourly with { Paused = true }, [Ok(Now.AddHours(-5))], [],
            HealthState.Paused, new HealthFacts { LastSuccessAt = Now.AddHours(-5) }
        },
        {
            "never ran", Hourly, [], [],
            HealthState.NeverRan, HealthFacts.None
        },
        {
            "learning", null, [.. Every(Hour, Now.AddMinutes(-30), 4)], [],
            HealthState.Learning, new HealthFacts { ObservedCount = 4, LimitCount = ExpectationLearner.MinimumSuccesses }
        },
        {
            "late by a period", Hourly, [Ok(Now.AddMinutes(-75))], [],
            HealthState.Late, new HealthFacts { DueAt = Now.AddMinutes(-15), LastSuccessAt = Now.AddMinutes(-75), ObservedCount = 1, LimitCount = 3 }
        },
        {
            "missing by a period", Hourly, [Ok(Now.AddHours(-4))], [],
            HealthState.Missing, new HealthFacts { DueAt = Now.AddHours(-3), LastSuccessAt = Now.AddHours(-4), ObservedCount = 4, LimitCount = 3 }
        },
        {
            "late by cron", DailyAt2, [Ok(Utc(2026, 3, 1, 2, 0, 30))], [],
            HealthState.Late, new HealthFacts { DueAt = Utc(2026, 3, 2, 2, 0), LastSuccessAt = Utc(2026, 3, 1, 2, 0, 30), ObservedCount = 1, LimitCount = 3 }
        },
        {
            "missing by cron, counted as far as it matters", DailyAt2, [Ok(Utc(2026, 2, 20, 2, 0))], [],
            HealthState.Missing, new HealthFacts { DueAt = Utc(2026, 3, 2, 2, 0), LastSuccessAt = Utc(2026, 2, 20, 2, 0), ObservedCount = 3, ObservedCountIsLowerBound = true, LimitCount = 3 }
        },
        {
            "never succeeded on a cron schedule", DailyAt2 with { FailuresTolerated = 1 }, [Failed(Utc(2026, 3, 1, 2, 0))], [],
            HealthState.Missing, new HealthFacts { DueAt = Utc(2026, 3, 2, 2, 0) }
        },
        {
            "failing", Hourly with { FailuresTolerated = 2 }, [Failed(Now.AddMinutes(-10), exitCode: 3), Failed(Now.AddMinutes(-20)), Failed(Now.AddMinutes(-30)), Ok(Now.AddMinutes(-50))], [],
            HealthState.Failing, new HealthFacts { LastSuccessAt = Now.AddMinutes(-50), RunStartedAt = Now.AddMinutes(-10), RunEndedAt = Now.AddMinutes(-9), ExitCode = 3, ObservedCount = 3, LimitCount = 2 }
        },
        {
            "abandoned", Hourly, [Abandoned(Now.AddMinutes(-20)), Ok(Now.AddMinutes(-50))], [],
            HealthState.Abandoned, new HealthFacts { LastSuccessAt = Now.AddMinutes(-50), RunStartedAt = Now.AddMinutes(-20), RunEndedAt = Now.AddMinutes(40), ObservedCount = 1, LimitCount = 0, ObservedDuration = Hour, LimitDuration = TimeSpan.FromDays(1) }
        },
        {
            "presumed abandoned", Hourly with { MaxRuntime = TimeSpan.FromMinutes(30) }, [Running(Now.AddDays(-2)), Ok(Now.AddDays(-2).AddHours(-1))], [],
            HealthState.Abandoned, new HealthFacts { LastSuccessAt = Now.AddDays(-2).AddHours(-1), RunStartedAt = Now.AddDays(-2), RunEndedAt = Now.AddDays(-1), ObservedCount = 1, LimitCount = 0, ObservedDuration = TimeSpan.FromDays(2), LimitDuration = TimeSpan.FromDays(1) }
        },
        {
            "skipped", Hourly, [Running(Now.AddHours(-3).AddMinutes(-30)), Ok(Now.AddHours(-4))], [Skip(Now.AddHours(-2)), Skip(Now.AddHours(-1)), Skip(Now)],
            HealthState.Skipped, new HealthFacts { ObservedCount = 3, LimitCount = 3 }
        },
        {
            "running too long", Hourly with { MaxRuntime = TimeSpan.FromMinutes(30) }, [Running(Now.AddMinutes(-45)), Ok(Now.AddMinutes(-50))], [],
            HealthState.RunningTooLong, new HealthFacts { RunStartedAt = Now.AddMinutes(-45), ObservedDuration = TimeSpan.FromMinutes(45), LimitDuration = TimeSpan.FromMinutes(30) }
        },
        {
            "runtime too long", Hourly with { MaxRuntime = TimeSpan.FromMinutes(30) }, [Ok(Now.AddMinutes(-50), TimeSpan.FromMinutes(42))], [],
            HealthState.RuntimeTooLong, new HealthFacts { RunStartedAt = Now.AddMinutes(-50), RunEndedAt = Now.AddMinutes(-8), ObservedDuration = TimeSpan.FromMinutes(42), LimitDuration = TimeSpan.FromMinutes(30) }
        },
        {
            "runtime too short", Hourly with { MinRuntime = TimeSpan.FromSeconds(5) }, [Ok(Now.AddMinutes(-50), TimeSpan.FromSeconds(1.5))], [],
            HealthState.RuntimeTooShort, new HealthFacts { RunStartedAt = Now.AddMinutes(-50), RunEndedAt = Now.AddMinutes(-50).AddSeconds(1.5), ObservedDuration = TimeSpan.FromSeconds(1.5), LimitDuration = TimeSpan.FromSeconds(5) }
        },
        {
            "too rare", Hourly with { Grace = TimeSpan.FromHours(3) }, [.. Every(TimeSpan.FromHours(3), Now.AddHours(-1), 8)], [],
            HealthState.TooRare, new HealthFacts { ObservedCount = 2, LimitCount = 6 }
        },
        {
            "too often, every run in view", Hourly, [.. Every(TimeSpan.FromMinutes(20), Now.AddMinutes(-5), 20)], [],
            HealthState.TooOften, new HealthFacts { ObservedCount = 18, LimitCount = 6 }
        },
        {
            "too often beyond the history, without the store's count", Hourly, [.. Every(TimeSpan.FromMinutes(10), Now.AddMinutes(-5), 40)], [],
            HealthState.TooOften, new HealthFacts { ObservedCount = ScriptHistory.Depth, ObservedCountIsLowerBound = true, LimitCount = 6 }
        },
        {
            "a run from the future", Hourly, [Ok(Now.AddHours(2)), Ok(Now.AddMinutes(-30))], [],
            HealthState.FutureRun, new HealthFacts { RunStartedAt = Now.AddHours(2), ObservedDuration = TimeSpan.FromHours(2), LimitDuration = HealthEvaluator.FutureTolerance }
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_first_reason_carries_the_facts_of_its_state(string situation, ScriptExpectation? expectation, HistoryRun[] runs, ScriptSkip[] skips, HealthState state, HealthFacts facts)
    {
        var health = Evaluate(expectation, runs, Now, skips);

        Assert.True(state == health.State, $"{situation}: expected {state}, got {health.State}: {health.Summary}");
        Assert.Equal(facts, health.Reasons[0].Facts);
    }

    [Fact]
    public void A_host_list_says_how_many_hosts_ran_and_how_many_must_and_each_host_has_its_own_facts()
    {
        var expectation = Hourly with { Hosts = HostRequirement.AtLeast(2, "db1", "db2", "db3") };

        var health = Evaluate(expectation, [Ok(Now.AddMinutes(-30), host: "db1"), Ok(Now.AddHours(-5), host: "db2"), Ok(Now.AddHours(-5), host: "db3")], Now);

        Assert.Equal(HealthState.Missing, health.State);
        Assert.Equal(new HealthFacts { ObservedCount = 1, LimitCount = 2 }, health.Reasons[0].Facts);
        var db2 = health.Hosts.Single(h => h.Hostname == "db2").Reasons[0];
        Assert.Equal(("db2", Now.AddHours(-4)), (db2.Hostname, db2.Facts.DueAt));
    }

    [Fact]
    public void A_script_that_cannot_be_evaluated_has_no_facts()
    {
        var snapshot = new ScriptSnapshot(Script, null, ScriptHistory.FromRuns([Ok(Now.AddMinutes(-30))])) { Problem = "its stored expectation cannot be read" };

        Assert.Same(HealthFacts.None, HealthEvaluator.Evaluate(snapshot, Now).Reasons[0].Facts);
    }
}

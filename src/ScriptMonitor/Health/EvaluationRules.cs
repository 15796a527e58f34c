namespace ScriptMonitor.Health;

/// <summary>The limits in force for one script: the expectation's where it sets them, the learned ones where it does not.</summary>
internal sealed record EvaluationRules(
    Schedule? Schedule,
    bool ScheduleLearned,
    TimeSpan Grace,
    TimeSpan? MinRuntime,
    TimeSpan? MaxRuntime,
    bool RuntimeLearned,
    int FailuresTolerated,
    TimeSpan AbandonAfter,
    int SkipsBeforeAlert)
{
    /// <summary>The schedule is a learned period of unevenly spaced runs: it says when a run is due, not how many a window holds.</summary>
    internal bool UnevenSchedule { get; init; }

    /// <summary>The expectation sets a minimum or maximum runtime: those limits rule, and the runtime is not judged against a month before.</summary>
    internal bool RuntimeSet { get; init; }

    internal string MaxLabel => RuntimeLearned ? "learned normal maximum" : "maximum";

    internal string MinLabel => RuntimeLearned ? "learned normal minimum" : "minimum";

    /// <summary>The rules of a script; without a schedule set or learned, only the rules that need none apply.</summary>
    internal static EvaluationRules For(ScriptExpectation? expectation, LearnedExpectation? learned)
    {
        var scheduleLearned = expectation?.Schedule is null;
        var schedule = expectation?.Schedule ?? (learned is null ? null : Schedule.Every(learned.Period));
        var grace = !scheduleLearned
            ? expectation!.Grace
            : learned is null ? expectation?.Grace ?? ScriptExpectation.DefaultGrace
            : expectation is null ? learned.Grace : Max(expectation.Grace, learned.Grace);
        var explicitRuntime = expectation?.MinRuntime is not null || expectation?.MaxRuntime is not null;
        var band = learned is { RuntimeUnknown: false } ? learned : null;
        var maxRuntime = explicitRuntime ? expectation!.MaxRuntime : band?.RuntimeHigh;
        return new EvaluationRules(
            schedule,
            scheduleLearned,
            grace,
            explicitRuntime ? expectation!.MinRuntime : band?.RuntimeLow,
            maxRuntime,
            !explicitRuntime && band is not null,
            expectation?.FailuresTolerated ?? 0,
            expectation?.AbandonAfter ?? DefaultBound(maxRuntime),
            expectation?.SkipsBeforeAlert ?? ScriptExpectation.DefaultSkipsBeforeAlert)
        {
            UnevenSchedule = scheduleLearned && learned?.Uneven == true,
            RuntimeSet = explicitRuntime,
        };
    }

    internal string DescribeSchedule() => Schedule switch
    {
        null => "a period not learned yet",
        PeriodSchedule { Period: var p } when ScheduleLearned => $"about every {DurationText.Format(p)} (learned)",
        _ => Schedule.Describe(),
    };

    /// <summary>
    /// Whether a run still in progress has outlived the bound after which it is presumed abandoned: its process can
    /// only be checked on its own host, and one that died there without a scriptmon to notice must not hold the
    /// script in "running too long" for good.
    /// </summary>
    internal bool IsPresumedAbandoned(HistoryRun run, DateTimeOffset now) =>
        run.Outcome == Runs.RunOutcome.Running && now - run.StartedAt > AbandonAfter;

    /// <summary>The longer of a day and ten times the maximum runtime, within what an expectation may set.</summary>
    private static TimeSpan DefaultBound(TimeSpan? maxRuntime)
    {
        var scaled = maxRuntime is { } max ? TimeSpan.FromTicks((long)Math.Min(max.Ticks * (double)HealthEvaluator.AbandonAfterRuntimes, ExpectationValidation.MaxAbandonAfter.Ticks)) : TimeSpan.Zero;
        return Max(HealthEvaluator.DefaultAbandonAfter, scaled);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

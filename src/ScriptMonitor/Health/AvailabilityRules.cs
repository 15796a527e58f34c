using ScriptMonitor.Runs;

namespace ScriptMonitor.Health;

/// <summary>Whether a target ran when it should have: late, missing, and runs from the future that prove nothing.</summary>
internal static class AvailabilityRules
{
    /// <summary>
    /// Late or missing. A run still in progress that started on time is not late: whether it takes too long is the
    /// running-too-long rule's question. Runs from the future are left out: they prove nothing about now.
    /// </summary>
    internal static HealthReason? Availability(EvaluationTarget target, EvaluationContext context, EvaluationRules rules)
    {
        if (rules.Schedule is null)
        {
            return null;
        }

        var now = context.Now;
        var lastSuccess = target.LastSuccess is { } success && HealthEvaluator.IsFromTheFuture(success, now)
            ? NewestSuccessBefore(target.Recent, now)
            : target.LastSuccess;
        DateTimeOffset? runningSince = null;
        foreach (var run in target.InProgress)
        {
            if (!HealthEvaluator.IsFromTheFuture(run, now))
            {
                runningSince = Latest(runningSince, run.StartedAt);
            }
        }

        var lastStart = Latest(lastSuccess?.StartedAt, runningSince);

        // A failed run the expectation tolerates still ran when it was due: whether its failure matters is the failing
        // rule's question. Without this a script that tolerates two failures was late for the first one.
        if (rules.FailuresTolerated > 0 && NewestCompletedBefore(target.Recent, now) is { } ran)
        {
            lastStart = Latest(lastStart, ran.StartedAt);
        }

        return rules.Schedule switch
        {
            // On time, the common case, is decided before any text is made.
            PeriodSchedule { Period: var period } => lastStart is { } recent && now <= recent + period + rules.Grace
                ? null
                : PeriodLate(target, context, rules, period, lastSuccess, lastStart),
            CronSchedule cron => CronLate(target, context, rules, cron, lastSuccess, lastStart),
            _ => null,
        };
    }

    /// <summary>
    /// The newest run that started after the instant of the evaluation, beyond what clocks may disagree by. Such a run
    /// would make a stopped job look on time for as long as the writer's clock is ahead; it is reported instead.
    /// </summary>
    internal static HealthReason? FromTheFuture(EvaluationTarget target, EvaluationContext context)
    {
        var future = NewestFromTheFuture(target.Recent, context.Now);
        if (NewestFromTheFuture(target.InProgress, context.Now) is { } running && (future is null || running.StartedAt > future.StartedAt))
        {
            future = running;
        }

        if (future is null)
        {
            return null;
        }

        var ahead = future.StartedAt - context.Now;
        return new HealthReason(
            HealthState.FutureRun,
            target.Host,
            $"a run{target.On} started {Timestamps.Format(future.StartedAt)}, {DurationText.Format(ahead)} after the time of this evaluation ({Timestamps.Format(context.Now)}): the clock of {future.Hostname} or of the evaluating host is wrong; runs from the future do not count as on time")
        {
            Facts = new HealthFacts { RunStartedAt = future.StartedAt, ObservedDuration = ahead, LimitDuration = HealthEvaluator.FutureTolerance },
        };
    }

    private static HealthReason PeriodLate(EvaluationTarget target, EvaluationContext context, EvaluationRules rules, TimeSpan period, HistoryRun? lastSuccess, DateTimeOffset? lastStart)
    {
        var due = lastStart + period;
        if (lastSuccess is null)
        {
            return new HealthReason(HealthState.Missing, target.Host, $"{None(target, context)}, expected {rules.DescribeSchedule()} with {DurationText.Format(rules.Grace)} grace")
            {
                Facts = new HealthFacts { DueAt = due },
            };
        }

        var missed = (int)Math.Min(int.MaxValue, (context.Now - lastStart!.Value).Ticks / period.Ticks);
        return new HealthReason(
            missed >= HealthEvaluator.MissedForMissing ? HealthState.Missing : HealthState.Late,
            target.Host,
            $"no successful run{target.On} since {Timestamps.Format(lastSuccess.StartedAt)}, expected {rules.DescribeSchedule()} with {DurationText.Format(rules.Grace)} grace{Missed(missed)}")
        {
            Facts = new HealthFacts { DueAt = due, LastSuccessAt = lastSuccess.StartedAt, ObservedCount = missed, LimitCount = HealthEvaluator.MissedForMissing },
        };
    }

    private static HealthReason? CronLate(EvaluationTarget target, EvaluationContext context, EvaluationRules rules, CronSchedule cron, HistoryRun? lastSuccess, DateTimeOffset? lastStart)
    {
        var now = context.Now;
        if (cron.Previous(now - rules.Grace) is not { } due
            || (lastStart is { } startedAt && (startedAt >= due - EarlyTolerance(cron, due) || IsEarlyForDue(target, rules, cron, due, startedAt))))
        {
            return null;
        }

        var grace = DurationText.Format(rules.Grace);
        if (lastSuccess is null)
        {
            return new HealthReason(HealthState.Missing, target.Host, $"{None(target, context)}, expected {cron.Describe()} with {grace} grace; the latest was due at {Timestamps.Format(due)}")
            {
                Facts = new HealthFacts { DueAt = due },
            };
        }

        // Counted only as far as it changes the state: a minutely schedule stopped for a month has 43,200 occurrences.
        var count = cron.CountBetween(lastStart!.Value + HealthEvaluator.EarlyStartTolerance, now - rules.Grace, HealthEvaluator.MissedForMissing);
        return new HealthReason(
            count >= HealthEvaluator.MissedForMissing ? HealthState.Missing : HealthState.Late,
            target.Host,
            $"no successful run{target.On} for the run due at {Timestamps.Format(due)}, expected {cron.Describe()} with {grace} grace; the last success started {Timestamps.Format(lastSuccess.StartedAt)}{Missed(count)}")
        {
            Facts = new HealthFacts
            {
                DueAt = due,
                LastSuccessAt = lastSuccess.StartedAt,
                ObservedCount = count,
                ObservedCountIsLowerBound = count >= HealthEvaluator.MissedForMissing,
                LimitCount = HealthEvaluator.MissedForMissing,
            },
        };
    }

    /// <summary>
    /// Whether the run started at <paramref name="lastStart"/>, more than half a period before <paramref name="due"/>
    /// but within <see cref="HealthEvaluator.EarlyStartTolerance"/> of it, is the run of <paramref name="due"/> started
    /// early rather than a late run of the occurrence before: it is when that occurrence had a run of its own before
    /// it. A five-minutely job's run jittered 90 s and started a minute early by its host's cron is 2.5 minutes early,
    /// halfway between two occurrences, and the job was late though it had missed nothing.
    /// </summary>
    private static bool IsEarlyForDue(EvaluationTarget target, EvaluationRules rules, CronSchedule cron, DateTimeOffset due, DateTimeOffset lastStart)
    {
        if (lastStart < due - HealthEvaluator.EarlyStartTolerance || cron.Previous(due - TimeSpan.FromTicks(1)) is not { } before)
        {
            return false;
        }

        var from = before - EarlyTolerance(cron, before);
        foreach (var run in target.Recent)
        {
            if (run.StartedAt >= lastStart)
            {
                continue;
            }

            if (run.StartedAt < from)
            {
                // Newest first: every run from here on is older.
                return false;
            }

            if (run.Outcome is RunOutcome.Succeeded or RunOutcome.Running || (rules.FailuresTolerated > 0 && run.Outcome != RunOutcome.Abandoned))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// How early a run may start and still count for the occurrence at <paramref name="due"/>: the
    /// <see cref="HealthEvaluator.EarlyStartTolerance"/>, but less than half the time since the occurrence before it.
    /// Five minutes early for a minutely job would be the run of the occurrence five minutes before, and a job that
    /// stopped on one of two hosts went unnoticed for five minutes more than its grace.
    /// </summary>
    internal static TimeSpan EarlyTolerance(CronSchedule cron, DateTimeOffset due)
    {
        var tolerance = HealthEvaluator.EarlyStartTolerance;
        if (cron.Previous(due - TimeSpan.FromTicks(1)) is { } before && (due - before) / 2 < tolerance)
        {
            // Strictly less than half, so that a run halfway between two occurrences counts for one of them only.
            tolerance = ((due - before) / 2) - TimeSpan.FromTicks(1);
        }

        return tolerance;
    }

    /// <summary>The start of a sentence about a target that never succeeded.</summary>
    private static string None(EvaluationTarget target, EvaluationContext context) =>
        NewestFromTheFuture(target.Recent, context.Now) is not null
            ? $"no successful run{target.On} that started before now has been recorded"
            : $"no successful run{target.On} has been recorded";

    private static HistoryRun? NewestFromTheFuture(IReadOnlyList<HistoryRun> runs, DateTimeOffset now)
    {
        HistoryRun? newest = null;
        foreach (var run in runs)
        {
            if (HealthEvaluator.IsFromTheFuture(run, now) && (newest is null || run.StartedAt > newest.StartedAt))
            {
                newest = run;
            }
        }

        return newest;
    }

    /// <summary>The newest success among <paramref name="newestFirst"/> that is not from the future.</summary>
    private static HistoryRun? NewestSuccessBefore(IReadOnlyList<HistoryRun> newestFirst, DateTimeOffset now)
    {
        foreach (var run in newestFirst)
        {
            if (run.Outcome == RunOutcome.Succeeded && !HealthEvaluator.IsFromTheFuture(run, now))
            {
                return run;
            }
        }

        return null;
    }

    /// <summary>The newest run among <paramref name="newestFirst"/> that completed, whatever its outcome, and is not from the future.</summary>
    private static HistoryRun? NewestCompletedBefore(IReadOnlyList<HistoryRun> newestFirst, DateTimeOffset now)
    {
        foreach (var run in newestFirst)
        {
            if (run.Outcome != RunOutcome.Running && !HealthEvaluator.IsFromTheFuture(run, now))
            {
                return run;
            }
        }

        return null;
    }

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static string Missed(int count) => count switch
    {
        < 2 => string.Empty,
        >= HealthEvaluator.MissedForMissing => $"; {HealthEvaluator.MissedForMissing} or more runs missed",
        _ => $"; {count} runs missed",
    };
}

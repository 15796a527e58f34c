using ScriptMonitor.Runs;

namespace ScriptMonitor.Health;

/// <summary>How long runs take: one still running too long, and the last success longer or shorter than normal.</summary>
internal static class RuntimeRules
{
    internal static HealthReason? RunningTooLong(EvaluationTarget target, EvaluationContext context, EvaluationRules rules)
    {
        if (rules.MaxRuntime is not { } limit || target.InProgress.Count == 0)
        {
            return null;
        }

        var oldest = target.InProgress.MinBy(r => r.StartedAt)!;
        var age = context.Now - oldest.StartedAt;
        return age > limit
            ? new HealthReason(HealthState.RunningTooLong, target.Host, $"a run{target.On} started {Timestamps.Format(oldest.StartedAt)} has been running for {DurationText.Format(age)}, longer than the {rules.MaxLabel} {DurationText.Format(limit)}")
            {
                Facts = new HealthFacts { RunStartedAt = oldest.StartedAt, ObservedDuration = age, LimitDuration = limit },
            }
            : null;
    }

    internal static HealthReason? RuntimeAnomaly(EvaluationTarget target, EvaluationRules rules)
    {
        if (target.Recent.FirstOrDefault(r => r.Outcome == RunOutcome.Succeeded) is not { Duration: { } took } last)
        {
            return null;
        }

        var (state, limit, comparison, label) = rules switch
        {
            { MaxRuntime: { } max } when took > max => (HealthState.RuntimeTooLong, max, "longer", rules.MaxLabel),
            { MinRuntime: { } min } when took < min => (HealthState.RuntimeTooShort, min, "shorter", rules.MinLabel),
            _ => (HealthState.Up, TimeSpan.Zero, string.Empty, string.Empty),
        };
        return state == HealthState.Up
            ? null
            : new HealthReason(state, target.Host, $"the last successful run{target.On} (started {Timestamps.Format(last.StartedAt)}) took {DurationText.Format(took)}, {comparison} than the {label} {DurationText.Format(limit)}")
            {
                Facts = new HealthFacts { RunStartedAt = last.StartedAt, RunEndedAt = last.CompletedAt, ObservedDuration = took, LimitDuration = limit },
            };
    }

    /// <summary>
    /// A runtime that has crept to <see cref="RuntimeBaseline.Factor"/> times what it was a month before: the median of
    /// the recent successful runs against the median of the baseline window. The learned band cannot see it, since
    /// it is learned from the newest runs and moves with the creep. Only where no runtime limit is set (set limits
    /// rule), only upwards (a job that got faster is seldom an outage, and one that does nothing at all is the band's
    /// or the minimum's), and only on <see cref="RuntimeBaseline.MinimumRuns"/> runs on both sides.
    /// </summary>
    internal static HealthReason? RuntimeDrift(EvaluationTarget target, EvaluationContext context, EvaluationRules rules)
    {
        if (rules.RuntimeSet || context.Baseline is not { Count: >= RuntimeBaseline.MinimumRuns } baseline || baseline.Median <= TimeSpan.Zero)
        {
            return null;
        }

        // The successes of the last day, or the newest few when the day has fewer; never one from the baseline window or before it.
        var since = context.Now - RuntimeBaseline.RecentSpan;
        var durations = new List<long>(target.Recent.Count);
        var oldest = DateTimeOffset.MaxValue;
        DateTimeOffset? newest = null;
        foreach (var run in target.Recent)
        {
            if (run.Outcome != RunOutcome.Succeeded || run.Duration is not { } took || run.StartedAt < baseline.Until)
            {
                continue;
            }

            if (run.StartedAt < since && durations.Count >= RuntimeBaseline.MinimumRuns)
            {
                break;
            }

            durations.Add(took.Ticks);
            oldest = run.StartedAt;
            newest ??= run.CompletedAt;
        }

        if (durations.Count < RuntimeBaseline.MinimumRuns)
        {
            return null;
        }

        var recent = TimeSpan.FromTicks(RobustStatistics.Median(durations));
        var limit = Limit(baseline, baseline.Factor);
        var held = string.Empty;
        if (recent < limit)
        {
            // Found drifting before (the loop recorded the drift): it stays so until the median is clearly back.
            if (!context.IsDrifting || recent < Limit(baseline, baseline.Factor * RuntimeBaseline.ClearShare))
            {
                return null;
            }

            limit = Limit(baseline, baseline.Factor * RuntimeBaseline.ClearShare);
            held = $"it was found drifted to {Factor(baseline.Factor)} times what it was a month before, and is until the median is below {Factor(baseline.Factor * RuntimeBaseline.ClearShare)} times that";
        }

        var ratio = recent.Ticks / (double)baseline.Median.Ticks;
        return new HealthReason(
            HealthState.RuntimeTooLong,
            target.Host,
            $"the median runtime of the last {durations.Count} successful runs{target.On} (since {Timestamps.Format(oldest)}) is {DurationText.Format(recent)}, "
            + $"{ratio.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} times the median {DurationText.Format(baseline.Median)} of its {baseline.Count} successful runs "
            + $"from {Timestamps.Format(baseline.From)} to {Timestamps.Format(baseline.Until)}: "
            + (held.Length > 0 ? held : $"its runtime has drifted to {Factor(baseline.Factor)} times what it was a month before or more"))
        {
            Facts = new HealthFacts { RunStartedAt = oldest, RunEndedAt = newest, ObservedDuration = recent, LimitDuration = limit, ObservedCount = durations.Count },
        };
    }

    private static TimeSpan Limit(RuntimeBaseline baseline, double factor) =>
        TimeSpan.FromTicks((long)Math.Min(baseline.Median.Ticks * factor, TimeSpan.MaxValue.Ticks / 2.0));

    private static string Factor(double factor) => factor.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
}

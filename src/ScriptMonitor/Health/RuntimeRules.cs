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
                Facts = new HealthFacts { RunStartedAt = last.StartedAt, ObservedDuration = took, LimitDuration = limit },
            };
    }
}

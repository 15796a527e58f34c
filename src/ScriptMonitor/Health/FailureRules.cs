using System.Globalization;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Health;

/// <summary>Runs that did not succeed in a row: failed or abandoned ones, and skipped ones for a held lock.</summary>
internal static class FailureRules
{
    /// <summary>
    /// Failed or abandoned runs in a row, from the first run on: a script that has always failed is failing whether or
    /// not its schedule is known yet, and a run whose process died is a failure nobody saw end. A run still in
    /// progress past the abandonment bound counts as abandoned. When every recent run is in the streak and older ones
    /// exist, the store counts the whole streak, so that a tolerance deeper than the history read is still held.
    /// </summary>
    internal static HealthReason? Failing(EvaluationTarget target, EvaluationContext context, EvaluationRules rules)
    {
        HistoryRun? latest = null;
        var latestOutcome = RunOutcome.Failed;
        var failures = 0;
        var abandoned = 0;
        var completed = 0;
        foreach (var run in target.Recent)
        {
            var outcome = rules.IsPresumedAbandoned(run, context.Now) ? RunOutcome.Abandoned : run.Outcome;
            if (outcome == RunOutcome.Running)
            {
                continue;
            }

            completed++;
            if (outcome is not (RunOutcome.Failed or RunOutcome.Abandoned))
            {
                break;
            }

            if (latest is null)
            {
                latest = run;
                latestOutcome = outcome;
            }

            failures++;
            abandoned += outcome == RunOutcome.Abandoned ? 1 : 0;
        }

        if (latest is null)
        {
            return null;
        }

        // Every run the history holds is in the streak, and it holds only the newest: the streak may go back further,
        // past a tolerance deeper than the history read, so it is counted in full before it is held against it.
        var count = failures == completed && context.History.IsTruncated ? WholeStreak(target, context, rules, failures) : new Tally(failures, Exact: true);
        if (count.Count <= rules.FailuresTolerated)
        {
            return null;
        }

        var what = abandoned == 0 ? "failed" : abandoned == failures ? "were abandoned" : "failed or were abandoned";
        var tolerated = $"{CountText.Of(rules.FailuresTolerated, "consecutive failure")} {(rules.FailuresTolerated == 1 ? "is" : "are")} tolerated";
        var started = Timestamps.Format(latest.StartedAt);
        var one = count is { Count: 1, Exact: true };
        var facts = new HealthFacts
        {
            LastSuccessAt = target.LastSuccess?.StartedAt,
            RunStartedAt = latest.StartedAt,
            RunEndedAt = latest.CompletedAt ?? latest.StartedAt + rules.AbandonAfter,
            ExitCode = latest.ExitCode,
            ObservedCount = count.Count,
            ObservedCountIsLowerBound = !count.Exact,
            LimitCount = rules.FailuresTolerated,
        };
        if (latestOutcome == RunOutcome.Abandoned)
        {
            var presumed = latest.Outcome == RunOutcome.Running;
            var why = presumed
                ? $"it has been running for {DurationText.Format(context.Now - latest.StartedAt)}, past the {DurationText.Format(rules.AbandonAfter)} after which a run whose process cannot be checked is presumed abandoned"
                : $"it never completed (its process ended without recording an end, or it outlived {DurationText.Format(rules.AbandonAfter)})";
            var runs = one ? $"the last run{target.On} (started {started}) was abandoned" : $"the last {count} runs{target.On} {what}, the latest (started {started}) abandoned";
            return new HealthReason(HealthState.Abandoned, target.Host, $"{runs}: {why}; {tolerated}")
            {
                Facts = facts with { ObservedDuration = presumed ? context.Now - latest.StartedAt : latest.Duration, LimitDuration = rules.AbandonAfter },
            };
        }

        var exit = latest.ExitCode is { } code ? $" with exit code {code}" : string.Empty;
        var failed = one ? $"the last run{target.On} failed" : $"the last {count} runs{target.On} {what}";
        return new HealthReason(HealthState.Failing, target.Host, $"{failed}, the latest started {started}{exit}; {tolerated}") { Facts = facts };
    }

    /// <summary>
    /// Runs skipped in a row on one host because another run still held the lock: the skips since that host's latest
    /// run activity, the start of a run or the end of one. A holder that ended after the skips was slow, not stuck, and
    /// the streak is over. As many as the expectation allows before alerting make the script skipped, naming the holder.
    /// </summary>
    internal static HealthReason? Skipped(EvaluationTarget target, EvaluationContext context, EvaluationRules rules)
    {
        var skips = context.History.RecentSkips;
        if (skips.Count < rules.SkipsBeforeAlert)
        {
            return null;
        }

        (string Host, int Count, ScriptSkip Newest, ScriptSkip Oldest)? worst = null;
        foreach (var host in skips.Select(s => s.Hostname).Distinct(StringComparer.Ordinal))
        {
            if (target.Host is not null && !string.Equals(host, target.Host, StringComparison.Ordinal))
            {
                continue;
            }

            var lastActivity = context.History.RecentRuns.Concat(context.History.InProgress)
                .Where(r => string.Equals(r.Hostname, host, StringComparison.Ordinal))
                .Select(r => (DateTimeOffset?)(r.CompletedAt ?? r.StartedAt))
                .Max();
            var streak = skips.Where(s => string.Equals(s.Hostname, host, StringComparison.Ordinal)).TakeWhile(s => lastActivity is not { } latest || s.SkippedAt > latest).ToList();
            if (streak.Count >= rules.SkipsBeforeAlert && (worst is null || streak.Count > worst.Value.Count))
            {
                worst = (host, streak.Count, streak[0], streak[^1]);
            }
        }

        if (worst is not { } found)
        {
            return null;
        }

        // The history holds the newest skips only, and no store counts skips: when all of them are in the streak, it may be longer.
        var count = new Tally(found.Count, Exact: !(found.Count == skips.Count && skips.Count >= ScriptHistory.Depth));
        return new HealthReason(
            HealthState.Skipped,
            target.Host,
            $"the last {count} runs on {found.Host} were skipped, the first at {Timestamps.Format(found.Oldest.SkippedAt)}, because another run held the lock: {found.Newest.Holder}; {CountText.Of(rules.SkipsBeforeAlert, "skip")} in a row make an alert")
        {
            Facts = new HealthFacts { ObservedCount = count.Count, ObservedCountIsLowerBound = !count.Exact, LimitCount = rules.SkipsBeforeAlert },
        };
    }

    /// <summary>
    /// The whole streak when every run the history holds is in it and older runs exist: the store's failed and
    /// abandoned runs since the last success, and the runs in progress since then that are presumed abandoned.
    /// </summary>
    private static Tally WholeStreak(EvaluationTarget target, EvaluationContext context, EvaluationRules rules, int atLeast)
    {
        var since = target.LastSuccess is { } success ? success.StartedAt + HealthEvaluator.StoredResolution : (DateTimeOffset?)null;
        var presumed = context.History.InProgress.Count(r =>
            (target.Host is null || string.Equals(r.Hostname, target.Host, StringComparison.Ordinal))
            && (since is null || r.StartedAt >= since)
            && rules.IsPresumedAbandoned(r, context.Now));
        return context.Count(
            [
                new RunQuery(context.ScriptName) { Hostname = target.Host, Since = since, Outcome = RunOutcome.Failed },
                new RunQuery(context.ScriptName) { Hostname = target.Host, Since = since, Outcome = RunOutcome.Abandoned },
            ],
            atLeast,
            presumed);
    }
}

using ScriptMonitor.Runs;

namespace ScriptMonitor.Health;

/// <summary>
/// The earliest instant after an evaluation at which time alone, with no new run, skip or expectation, could change its
/// answer: a deadline (due plus grace) passing, a late script becoming missing, a run in progress outliving its bound,
/// a run leaving the rate window, a pause ending, a run from the future becoming the present. A loop that evaluates
/// each script again at that instant (and when its data changes) sees every change without a pass over every script.
/// </summary>
/// <remarks>
/// Early is harmless (an evaluation that finds nothing new) and late is a missed alert, so every candidate errs early.
/// Some rules change at a boundary and some just after it (they compare strictly), so each boundary is a candidate
/// twice: at it, and <see cref="PastBoundary"/> after it.
/// </remarks>
internal static class RecheckRules
{
    /// <summary>How far past a boundary the second look is: for the rules that say "later than", not "at".</summary>
    internal static readonly TimeSpan PastBoundary = TimeSpan.FromMilliseconds(1);

    /// <summary>The earliest instant after <paramref name="now"/> at which the evaluation could change; null for none.</summary>
    internal static DateTimeOffset? Next(ScriptSnapshot snapshot, EvaluationRules? rules, DateTimeOffset now)
    {
        var expectation = snapshot.Expectation;
        var earliest = new Earliest(now);
        if (expectation is not null && expectation.IsPausedAt(now))
        {
            earliest.Add(expectation.PausedUntil);
            return earliest.Value;
        }

        // A pause that begins later is not a thing an expectation holds; a pause that ended is over.
        var history = snapshot.History;
        if (rules is null || history is null)
        {
            return earliest.Value;
        }

        foreach (var run in history.InProgress)
        {
            if (rules.MaxRuntime is { } max)
            {
                earliest.Add(run.StartedAt + max);
            }

            earliest.Add(run.StartedAt + rules.AbandonAfter);
            earliest.Add(run.StartedAt - HealthEvaluator.FutureTolerance);
        }

        foreach (var run in history.RecentRuns)
        {
            if (HealthEvaluator.IsFromTheFuture(run, now))
            {
                earliest.Add(run.StartedAt - HealthEvaluator.FutureTolerance);
            }
        }

        switch (rules.Schedule)
        {
            case PeriodSchedule { Period: var period }:
                foreach (var start in LastStarts(snapshot, rules, now))
                {
                    // Late after one period and its grace; missing once enough periods passed.
                    earliest.Add(start + period + rules.Grace);
                    earliest.Add(start + (period * HealthEvaluator.MissedForMissing));
                }

                // A run leaves the rate window one window after it started.
                var window = period * HealthEvaluator.RateWindowOccurrences;
                foreach (var run in history.RecentRuns)
                {
                    earliest.Add(run.StartedAt + window);
                }

                break;
            case CronSchedule cron:
                // The next occurrence comes due after its grace; the rate window moves at every occurrence.
                if (cron.Next(now - rules.Grace) is { } due)
                {
                    earliest.Add(due + rules.Grace);
                }

                earliest.Add(cron.Next(now));
                break;
        }

        return earliest.Value;
    }

    /// <summary>The start a deadline is counted from, for the script and for each host it must run on.</summary>
    private static IEnumerable<DateTimeOffset> LastStarts(ScriptSnapshot snapshot, EvaluationRules rules, DateTimeOffset now)
    {
        var history = snapshot.History;
        var hosts = snapshot.Expectation?.Hosts is { Mode: not HostMode.Any } requirement ? requirement.Hosts.Select(h => (string?)h) : [null];
        foreach (var host in hosts)
        {
            DateTimeOffset? latest = null;
            bool Mine(HistoryRun run) => host is null || string.Equals(run.Hostname, host, StringComparison.Ordinal);
            void Take(HistoryRun? run)
            {
                if (run is not null && !HealthEvaluator.IsFromTheFuture(run, now) && (latest is null || run.StartedAt > latest))
                {
                    latest = run.StartedAt;
                }
            }

            Take(host is null ? history.LastSuccess : history.LastSuccessByHost.GetValueOrDefault(host));
            foreach (var run in history.RecentRuns)
            {
                if (Mine(run) && (run.Outcome == RunOutcome.Succeeded || (rules.FailuresTolerated > 0 && run.Outcome != RunOutcome.Running)))
                {
                    Take(run);
                }
            }

            foreach (var run in history.InProgress)
            {
                if (Mine(run))
                {
                    Take(run);
                }
            }

            if (latest is { } found)
            {
                yield return found;
            }
        }
    }

    /// <summary>The earliest of the candidates after the instant of the evaluation.</summary>
    private sealed class Earliest(DateTimeOffset now)
    {
        internal DateTimeOffset? Value { get; private set; }

        internal void Add(DateTimeOffset? candidate)
        {
            if (candidate is not { } at)
            {
                return;
            }

            Take(at);
            Take(at + PastBoundary);
        }

        private void Take(DateTimeOffset at)
        {
            if (at > now && (Value is null || at < Value))
            {
                Value = at;
            }
        }
    }
}

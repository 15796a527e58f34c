using ScriptMonitor.Runs;

namespace ScriptMonitor.Health;

/// <summary>How often runs start: too rarely, or too often, over the last scheduled occurrences.</summary>
internal static class RateRules
{
    /// <summary>
    /// Too often on one host, or too rare. The runs in the window are counted from the history where it reaches back
    /// past the window's start; where it does not (more runs in the window than the history holds), the store counts
    /// each host's runs in the window, so the count is exact whatever the depth of the history.
    /// </summary>
    internal static HealthReason? Rate(EvaluationTarget target, EvaluationContext context, EvaluationRules rules)
    {
        var now = context.Now;
        if (rules.UnevenSchedule || Window(rules, now) is not { } window || window.Expected == 0)
        {
            return null;
        }

        // Runs per host in the window; a script runs on few hosts, so a short list beats a dictionary.
        var recent = target.Recent;
        var perHost = new List<(string Host, int Count)>(1);
        var inWindow = 0;
        foreach (var run in recent)
        {
            // A run a host's clock puts a few seconds after the evaluation is counted, as it is on time: its start
            // arrived, and a burst is not hidden by a clock a little ahead.
            if (HealthEvaluator.IsFromTheFuture(run, now))
            {
                continue;
            }

            if (run.StartedAt < window.Start)
            {
                // Newest first: every run from here on is older.
                break;
            }

            inWindow++;
            var index = perHost.FindIndex(h => string.Equals(h.Host, run.Hostname, StringComparison.Ordinal));
            if (index < 0)
            {
                perHost.Add((run.Hostname, 1));
            }
            else
            {
                perHost[index] = (run.Hostname, perHost[index].Count + 1);
            }
        }

        string Between() => $"between {Timestamps.Format(window.Start)} and {Timestamps.Format(now)}";
        var tooOften = context.IsIn(HealthState.TooOften) ? HealthEvaluator.TooOftenClearRatio : HealthEvaluator.TooOftenRatio;
        if (Busiest(target, context, window, perHost) is { } busiest && busiest.Count.Count > window.Scheduled * tooOften)
        {
            var held = busiest.Count.Count > window.Scheduled * HealthEvaluator.TooOftenRatio
                ? string.Empty
                : $"; it was found running too often, and is until no more than {Ratio(HealthEvaluator.TooOftenClearRatio)} times that run in such a window";
            return new HealthReason(
                HealthState.TooOften,
                target.Host ?? busiest.Host,
                $"{busiest.Count} runs on {busiest.Host} started {Between()}, but {rules.DescribeSchedule()} means {window.Scheduled}{held}")
            {
                Facts = new HealthFacts { ObservedCount = busiest.Count.Count, ObservedCountIsLowerBound = !busiest.Count.Exact, LimitCount = window.Scheduled },
            };
        }

        // Too rare needs a history that reaches back past the window: a new script, or one whose recent runs are
        // crowded out by other hosts, has not had the chance to run enough.
        var reachesBack = recent.Count > 0 && recent[^1].StartedAt <= window.Start;
        var tooRare = context.IsIn(HealthState.TooRare) ? HealthEvaluator.TooRareClearRatio : HealthEvaluator.TooRareRatio;
        if (reachesBack && inWindow < window.Expected * tooRare)
        {
            var held = inWindow < window.Expected * HealthEvaluator.TooRareRatio
                ? string.Empty
                : $"; it was found running too rarely, and is until at least {Ratio(HealthEvaluator.TooRareClearRatio)} times that run in such a window";
            return new HealthReason(
                HealthState.TooRare,
                target.Host,
                $"{CountText.Of(inWindow, "run")}{target.On} started {Between()}, but {rules.DescribeSchedule()} means {window.Expected}{held}")
            {
                Facts = new HealthFacts { ObservedCount = inWindow, LimitCount = window.Expected },
            };
        }

        return null;
    }

    private static string Ratio(double ratio) => ratio.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The host with the most runs in the window, and how many. Exact from the history when the script's newest runs
    /// reach back past the window's start (or are all it has); else from the store's count per host the target may
    /// have run on, and "at least" what the history shows until the store has answered.
    /// </summary>
    private static (string Host, Tally Count)? Busiest(EvaluationTarget target, EvaluationContext context, RateWindow window, List<(string Host, int Count)> perHost)
    {
        var history = context.History;
        if (!history.IsTruncated || (history.RecentRuns.Count > 0 && history.RecentRuns[^1].StartedAt < window.Start))
        {
            if (perHost.Count == 0)
            {
                return null;
            }

            // The first among equals: the host of the newest run.
            var seen = perHost.MaxBy(h => h.Count);
            return (seen.Host, new Tally(seen.Count, Exact: true));
        }

        // The store's window, to the microsecond it keeps: [start, now + the future tolerance], as the runs above were counted.
        var since = CeilingToMicrosecond(window.Start);
        var until = Timestamps.Normalize(context.Now + HealthEvaluator.FutureTolerance) + HealthEvaluator.StoredResolution;
        (string Host, Tally Count)? busiest = null;
        foreach (var host in target.Host is { } listed ? [listed] : HostsOf(history))
        {
            var seen = perHost.Find(h => string.Equals(h.Host, host, StringComparison.Ordinal)).Count;
            var count = context.Count([new RunQuery(context.ScriptName) { Hostname = host, Since = since, Until = until }], seen);
            if (busiest is null || count.Count > busiest.Value.Count.Count)
            {
                busiest = (host, count);
            }
        }

        return busiest;
    }

    /// <summary>
    /// Every host the history names: those of its newest runs, of its runs in progress, and of its last successes. A
    /// host with none of these ran nothing the newest runs show, and is not counted.
    /// </summary>
    private static List<string> HostsOf(ScriptHistory history)
    {
        var hosts = new List<string>();
        foreach (var host in history.RecentRuns.Select(r => r.Hostname).Concat(history.InProgress.Select(r => r.Hostname)).Concat(history.LastSuccessByHost.Keys))
        {
            if (!hosts.Contains(host, StringComparer.Ordinal))
            {
                hosts.Add(host);
            }
        }

        return hosts;
    }

    private static DateTimeOffset CeilingToMicrosecond(DateTimeOffset value)
    {
        var floor = Timestamps.Normalize(value);
        return floor < value ? floor + HealthEvaluator.StoredResolution : floor;
    }

    /// <summary>
    /// The window's start; the occurrences in it that are due (past their grace), which too few runs are held
    /// against; and every occurrence in it, up to the instant of the evaluation, which too many runs are held against.
    /// </summary>
    private readonly record struct RateWindow(DateTimeOffset Start, int Expected, int Scheduled);

    /// <summary>Enough for a minutely job with any sane grace (a week), and a bound on the count for an absurd one.</summary>
    private const int MaxScheduledInWindow = 10_080;

    private static RateWindow? Window(EvaluationRules rules, DateTimeOffset now)
    {
        switch (rules.Schedule)
        {
            case PeriodSchedule { Period: var period }:
                return new RateWindow(now - (period * HealthEvaluator.RateWindowOccurrences), HealthEvaluator.RateWindowOccurrences, HealthEvaluator.RateWindowOccurrences);
            case CronSchedule cron:
                var found = 0;
                DateTimeOffset? start = null;
                var cursor = now - rules.Grace;
                while (found < HealthEvaluator.RateWindowOccurrences && cron.Previous(cursor) is { } occurrence)
                {
                    found++;
                    start = occurrence;
                    cursor = occurrence - TimeSpan.FromTicks(1);
                }

                // The window reaches from an early start of its first occurrence to now: the occurrences in its early
                // margin and within the grace before now have mostly started too, and are counted with it. Held
                // against the due ones alone, a minutely job with 5 minutes of grace ran "too often" every few
                // minutes: 16 runs in a window of 6 due occurrences.
                if (start is not { } first)
                {
                    return null;
                }

                var from = first - HealthEvaluator.EarlyStartTolerance;
                return new RateWindow(from, found, Math.Max(found, cron.CountBetween(from - TimeSpan.FromTicks(1), now, MaxScheduledInWindow)));
            default:
                return null;
        }
    }
}

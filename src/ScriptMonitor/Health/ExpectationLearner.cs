using ScriptMonitor.Runs;

namespace ScriptMonitor.Health;

/// <summary>Infers a script's period and normal runtime band from its recent successful runs.</summary>
public static class ExpectationLearner
{
    /// <summary>
    /// Below this many successful runs nothing is learned and the script is "learning": four intervals are the
    /// fewest whose median still ignores one odd value.
    /// </summary>
    public const int MinimumSuccesses = 5;

    /// <summary>
    /// An interval further than this many scaled MADs from the median is an outlier (a missed run, a manual rerun)
    /// and is left out of the period: 3 is the usual "three sigma" cut.
    /// </summary>
    internal const double OutlierMads = 3.0;

    /// <summary>
    /// The runtime band is median ± this many scaled MADs. Why median ± k·MAD rather than percentiles: with the
    /// 24 runs the history holds, a 1st/99th percentile is simply the minimum/maximum, so one bad run would widen the
    /// band for good; the median and MAD ignore up to half the sample being odd. k = 3 is "three sigma" for normally
    /// distributed runtimes: about 1 normal run in 370 falls outside.
    /// </summary>
    internal const double BandMads = 3.0;

    /// <summary>
    /// The band is at least this fraction of the median on either side: a job whose runtimes barely vary (MAD near
    /// zero) would otherwise be an anomaly at the first second of drift.
    /// </summary>
    internal const double MinimumBandFraction = 0.25;

    /// <summary>The band is at least this wide on either side, for jobs that take milliseconds.</summary>
    internal static readonly TimeSpan MinimumBandWidth = TimeSpan.FromSeconds(1);

    /// <summary>The learned grace is this fraction of the period: start times of a job left unconfigured jitter.</summary>
    internal const double GraceFraction = 0.25;

    /// <summary>Periods at or above this are rounded to the minute, below it to the second.</summary>
    private static readonly TimeSpan MinuteRounding = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The runs learning reads: the newest <see cref="ScriptHistory.Depth"/> of the history, however deep the store
    /// read it (deeper for a script that tolerates many failures), so that what is learned does not depend on that.
    /// </summary>
    internal static IReadOnlyList<HistoryRun> Sample(ScriptHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return history.RecentRuns.Count <= ScriptHistory.Depth ? history.RecentRuns : [.. history.RecentRuns.Take(ScriptHistory.Depth)];
    }

    internal static LearnedExpectation? Learn(ScriptHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var runs = history.RecentRuns;
        var sampled = Math.Min(runs.Count, ScriptHistory.Depth);
        var durations = new List<long>(sampled);
        var intervals = new List<long>(sampled);

        // Newest first: the interval of a run is the start of the next newer success on its host minus its own.
        var newerStartByHost = new List<(string Host, DateTimeOffset Start)>(1);
        for (var i = 0; i < sampled; i++)
        {
            var run = runs[i];
            if (run.Outcome != RunOutcome.Succeeded || run.CompletedAt is not { } completed)
            {
                continue;
            }

            durations.Add((completed - run.StartedAt).Ticks);
            var host = IndexOfHost(newerStartByHost, run.Hostname);
            if (host < 0)
            {
                newerStartByHost.Add((run.Hostname, run.StartedAt));
                continue;
            }

            var interval = (newerStartByHost[host].Start - run.StartedAt).Ticks;
            if (interval > 0)
            {
                intervals.Add(interval);
            }

            newerStartByHost[host] = (run.Hostname, run.StartedAt);
        }

        if (durations.Count < MinimumSuccesses || intervals.Count < MinimumSuccesses - 1)
        {
            return null;
        }

        // Every learned value is bounded as a set expectation is: a script that ran once a year, or whose runs took
        // months, must still give a schedule and a band the rules can use rather than one that cannot be built.
        var period = Clamp(Round(TimeSpan.FromTicks(MedianWithoutOutliers(intervals))), PeriodSchedule.MinPeriod, PeriodSchedule.MaxPeriod);
        var median = RobustStatistics.Median(durations);
        var spread = BandMads * RobustStatistics.ScaledMad(durations, median);
        var halfWidth = Math.Max(spread, Math.Max(MinimumBandFraction * median, MinimumBandWidth.Ticks));
        var maxTicks = (double)ExpectationValidation.MaxRuntimeLimit.Ticks;
        var high = TimeSpan.FromTicks((long)Math.Min(median + halfWidth, maxTicks));
        var low = TimeSpan.FromTicks((long)Math.Clamp(median - halfWidth, 0, high.Ticks));
        var typical = TimeSpan.FromTicks(Math.Min(median, ExpectationValidation.MaxRuntimeLimit.Ticks));
        var grace = Clamp(TimeSpan.FromTicks((long)(GraceFraction * period.Ticks)), ScriptExpectation.DefaultGrace, ExpectationValidation.MaxGrace);
        return new LearnedExpectation(period, grace, typical, Truncate(low), Truncate(high), durations.Count);
    }

    /// <summary>The median of the values left after dropping those more than <see cref="OutlierMads"/> scaled MADs from the median.</summary>
    internal static long MedianWithoutOutliers(IReadOnlyList<long> values)
    {
        var median = RobustStatistics.Median(values);
        var mad = RobustStatistics.ScaledMad(values, median);
        if (mad == 0)
        {
            return median;
        }

        var kept = new List<long>(values.Count);
        foreach (var value in values)
        {
            if (Math.Abs(value - median) <= OutlierMads * mad)
            {
                kept.Add(value);
            }
        }

        return kept.Count == 0 ? median : RobustStatistics.Median(kept);
    }

    private static int IndexOfHost(List<(string Host, DateTimeOffset Start)> hosts, string hostname)
    {
        for (var i = 0; i < hosts.Count; i++)
        {
            if (string.Equals(hosts[i].Host, hostname, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static TimeSpan Round(TimeSpan period)
    {
        var unit = period >= MinuteRounding ? MinuteRounding : TimeSpan.FromSeconds(1);
        return TimeSpan.FromTicks((long)Math.Round((double)period.Ticks / unit.Ticks) * unit.Ticks);
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;

    private static TimeSpan Truncate(TimeSpan value) => TimeSpan.FromTicks(value.Ticks - (value.Ticks % TimeSpan.TicksPerMillisecond));
}

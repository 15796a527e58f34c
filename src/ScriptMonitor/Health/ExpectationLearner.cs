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
    /// The runtime band is the median times and divided by e to the power of this many scaled MADs of the
    /// runtimes' logarithms. Runtimes are skewed (a run can take three times as long, never a third of no time), so
    /// the band is symmetric in their logarithm, where the spread of a job is one number whatever its length. Why
    /// median and MAD rather than percentiles: with the 24 runs the history holds, a 1st/99th percentile is simply
    /// the minimum/maximum, so one bad run would widen the band for good; the median and MAD ignore up to half the
    /// sample being odd. Why 5 and not "three sigma": the band is judged on every run of every script, and the MAD of
    /// 24 runs is itself uncertain by a quarter; at 3 a job whose runtimes vary by 30 % (an ordinary job) alarmed on
    /// one run in a hundred, a simulated year of 1,000 scripts on hundreds of runs for nothing.
    /// </summary>
    internal const double BandMads = 5.0;

    /// <summary>
    /// The band reaches at least this factor either side of the median: a job whose runtimes barely vary (MAD near
    /// zero) would otherwise be an anomaly at the first second of drift, and one whose runtimes vary by 30 % would
    /// cross a narrower one every few thousand runs. A run at a fifth or five times its normal runtime is news.
    /// </summary>
    internal const double MinimumBandFactor = 5.0;

    /// <summary>The band is at least this wide on either side, for jobs that take milliseconds.</summary>
    internal static readonly TimeSpan MinimumBandWidth = TimeSpan.FromSeconds(1);

    /// <summary>The learned grace is this fraction of the period: start times of a job left unconfigured jitter.</summary>
    internal const double GraceFraction = 0.25;

    /// <summary>
    /// A learned period of at least this long has a grace of at least <see cref="ClockChange"/> more than the
    /// default: such a job is usually a fixed-time cron job, whose interval grows by the clock change when the clocks
    /// go back, and a learned period knows no clock.
    /// </summary>
    internal static readonly TimeSpan FixedTimePeriod = TimeSpan.FromHours(2);

    /// <summary>The largest clock change of today's time zones: an hour (Lord Howe's is half of one).</summary>
    internal static readonly TimeSpan ClockChange = TimeSpan.FromHours(1);

    /// <summary>An interval recurring this many times in the sample is part of the schedule, not a missed run.</summary>
    internal const int RecurringIntervals = 3;

    /// <summary>Intervals this close are the same interval: twice the start jitter of an ordinary cron host.</summary>
    internal static readonly TimeSpan RecurringTolerance = TimeSpan.FromMinutes(5);

    /// <summary>A recurring interval this much longer than the typical one makes the schedule uneven.</summary>
    internal const double UnevenRatio = 1.5;

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
        var successes = 0;

        // Newest first: the interval of a run is the start of the next newer success on its host minus its own.
        var newerStartByHost = new List<(string Host, DateTimeOffset Start)>(1);
        for (var i = 0; i < sampled; i++)
        {
            var run = runs[i];
            if (run.Outcome != RunOutcome.Succeeded || run.CompletedAt is not { } completed)
            {
                continue;
            }

            // A success without a known start tells when the script ran, not how long: it counts for the period only.
            successes++;
            if (!run.DurationUnknown)
            {
                durations.Add((completed - run.StartedAt).Ticks);
            }

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

        if (successes < MinimumSuccesses || intervals.Count < MinimumSuccesses - 1)
        {
            return null;
        }

        // Every learned value is bounded as a set expectation is: a script that ran once a year, or whose runs took
        // months, must still give a schedule and a band the rules can use rather than one that cannot be built.
        var typical = MedianWithoutOutliers(intervals);

        // A schedule whose runs are not evenly spaced ("0 8-18/2 * * *": two hours by day, fourteen at night) is due
        // after its longest interval that recurs, not its typical one, or every night would be late.
        var uneven = false;
        if (LongestRecurring(intervals) is { } longest && longest > typical * UnevenRatio)
        {
            typical = longest;
            uneven = true;
        }

        var period = Clamp(Round(TimeSpan.FromTicks(typical)), PeriodSchedule.MinPeriod, PeriodSchedule.MaxPeriod);
        var least = period >= FixedTimePeriod ? ClockChange + ScriptExpectation.DefaultGrace : ScriptExpectation.DefaultGrace;
        var grace = Clamp(TimeSpan.FromTicks((long)(GraceFraction * period.Ticks)), least, ExpectationValidation.MaxGrace);
        if (durations.Count < MinimumSuccesses)
        {
            // Too few runtimes are known (pings without a start): the schedule is learned, no runtime band is.
            return new LearnedExpectation(period, grace, TimeSpan.Zero, TimeSpan.Zero, ExpectationValidation.MaxRuntimeLimit, successes) { Uneven = uneven, RuntimeUnknown = true };
        }

        var median = RobustStatistics.Median(durations);
        var factor = Math.Max(MinimumBandFactor, Math.Exp(BandMads * LogSpread(durations)));
        var maxTicks = (double)ExpectationValidation.MaxRuntimeLimit.Ticks;
        var high = TimeSpan.FromTicks((long)Math.Min(Math.Max(median * factor, median + MinimumBandWidth.Ticks), maxTicks));
        var low = TimeSpan.FromTicks((long)Math.Clamp(Math.Min(median / factor, median - MinimumBandWidth.Ticks), 0, high.Ticks));
        var typicalRuntime = TimeSpan.FromTicks(Math.Min(median, ExpectationValidation.MaxRuntimeLimit.Ticks));
        return new LearnedExpectation(period, grace, typicalRuntime, Truncate(low), Truncate(high), successes) { Uneven = uneven };
    }

    /// <summary>
    /// The median of the longest group of at least <see cref="RecurringIntervals"/> intervals that agree within
    /// <see cref="RecurringTolerance"/> (or 5 %); null when no interval recurs that often. A missed run or two make a
    /// long interval once or twice; the night of a daytime schedule makes one every day.
    /// </summary>
    private static long? LongestRecurring(List<long> intervals)
    {
        var sorted = intervals.ToArray();
        Array.Sort(sorted);
        for (var i = sorted.Length - 1; i >= RecurringIntervals - 1; i--)
        {
            var tolerance = Math.Max(RecurringTolerance.Ticks, sorted[i] / 20);
            var first = i;
            while (first > 0 && sorted[i] - sorted[first - 1] <= tolerance)
            {
                first--;
            }

            if (i - first + 1 >= RecurringIntervals)
            {
                return sorted[first + ((i - first) / 2)];
            }
        }

        return null;
    }

    /// <summary>The scaled MAD of the runtimes' natural logarithms: their spread as a factor, whatever their length.</summary>
    private static double LogSpread(List<long> durations)
    {
        // To the microsecond as whole numbers, so that the robust statistics of whole ticks serve.
        const double Scale = 1e6;
        var logs = new List<long>(durations.Count);
        foreach (var ticks in durations)
        {
            logs.Add((long)(Math.Log(Math.Max(ticks, 1)) * Scale));
        }

        return RobustStatistics.ScaledMad(logs, RobustStatistics.Median(logs)) / Scale;
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

namespace ScriptMonitor.Runs;

/// <summary>
/// Runtime statistics of a script's successful runs in a window. All durations are zero when <see cref="Count"/> is zero.
/// </summary>
/// <param name="Count">How many successful runs the window holds.</param>
/// <param name="Mean">The mean runtime.</param>
/// <param name="Median">The median runtime.</param>
/// <param name="P95">The 95th percentile runtime (nearest rank).</param>
/// <param name="Min">The shortest runtime.</param>
/// <param name="Max">The longest runtime.</param>
public sealed record RuntimeStatistics(int Count, TimeSpan Mean, TimeSpan Median, TimeSpan P95, TimeSpan Min, TimeSpan Max)
{
    /// <summary>The statistics of no runs at all.</summary>
    public static RuntimeStatistics Empty { get; } = new(0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>Computes the statistics of the given runtimes.</summary>
    /// <param name="durations">The runtimes, in any order.</param>
    public static RuntimeStatistics Of(IEnumerable<TimeSpan> durations)
    {
        ArgumentNullException.ThrowIfNull(durations);
        var ticks = durations.Select(d => d.Ticks).ToArray();
        if (ticks.Length == 0)
        {
            return Empty;
        }

        Array.Sort(ticks);
        var mean = ticks.Select(t => (decimal)t).Sum() / ticks.Length;
        return new RuntimeStatistics(
            ticks.Length,
            TimeSpan.FromTicks((long)Math.Round(mean)),
            TimeSpan.FromTicks(MedianOf(ticks)),
            TimeSpan.FromTicks(NearestRank(ticks, 0.95)),
            TimeSpan.FromTicks(ticks[0]),
            TimeSpan.FromTicks(ticks[^1]));
    }

    /// <summary>
    /// The median of runtimes whose middle values, in order, are <paramref name="lower"/> and <paramref name="upper"/>
    /// (the same one for an odd count): halfway between them, rounded towards the lower, to the tick.
    /// </summary>
    /// <param name="lower">The lower middle runtime: the ((n + 1) / 2)-th of n in order.</param>
    /// <param name="upper">The upper middle runtime: the (n / 2 + 1)-th of n in order.</param>
    public static TimeSpan MedianOf(TimeSpan lower, TimeSpan upper) => TimeSpan.FromTicks(lower.Ticks + ((upper.Ticks - lower.Ticks) / 2));

    private static long MedianOf(long[] sorted) =>
        MedianOf(TimeSpan.FromTicks(sorted[(sorted.Length - 1) / 2]), TimeSpan.FromTicks(sorted[sorted.Length / 2])).Ticks;

    private static long NearestRank(long[] sorted, double percentile)
    {
        var rank = (int)Math.Ceiling(percentile * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}

using ScriptMonitor.Application.Views;

namespace ScriptMonitor.Application.History;

/// <summary>The spread of runtimes: equal-width buckets from the shortest run to the longest.</summary>
public static class RuntimeHistogram
{
    /// <summary>How many buckets a histogram has, unless every run took the same time (then one).</summary>
    public const int Buckets = 8;

    /// <summary>Counts the runtimes into <see cref="Buckets"/> equal-width buckets; none for no runtimes.</summary>
    /// <param name="durations">The runtimes.</param>
    public static IReadOnlyList<HistogramBucketView> Of(IReadOnlyList<TimeSpan> durations)
    {
        ArgumentNullException.ThrowIfNull(durations);
        if (durations.Count == 0)
        {
            return [];
        }

        var min = durations.Min().Ticks;
        var max = durations.Max().Ticks;
        var count = max == min ? 1 : Buckets;
        var width = Math.Max(1, (max - min + count - 1) / count);
        var counts = new int[count];
        foreach (var duration in durations)
        {
            counts[Math.Min(count - 1, (int)((duration.Ticks - min) / width))]++;
        }

        return
        [
            .. counts.Select((n, i) => new HistogramBucketView(
                Seconds.Of(TimeSpan.FromTicks(min + (i * width))),
                Seconds.Of(TimeSpan.FromTicks(i == count - 1 ? max : min + ((i + 1) * width))),
                n)),
        ];
    }
}

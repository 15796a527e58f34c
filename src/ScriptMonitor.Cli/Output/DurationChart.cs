using System.Text;

namespace ScriptMonitor.Cli.Output;

/// <summary>Pictures of runtimes in the terminal: a sparkline of runs in order and a histogram of their spread.</summary>
internal static class DurationChart
{
    private const string Levels = "▁▂▃▄▅▆▇█";
    private const char AsciiBar = '#';
    private const char BlockBar = '█';

    /// <summary>One character per run, oldest first, its height the run's duration between the shortest and longest.</summary>
    internal static string Sparkline(IReadOnlyList<TimeSpan> durations)
    {
        if (durations.Count == 0)
        {
            return string.Empty;
        }

        var min = durations.Min().Ticks;
        var max = durations.Max().Ticks;
        var line = new StringBuilder(durations.Count);
        foreach (var duration in durations)
        {
            var level = max == min ? Levels.Length / 2 : (int)((duration.Ticks - min) * (Levels.Length - 1) / (max - min));
            line.Append(Levels[level]);
        }

        return line.ToString();
    }

    /// <summary>Equal-width buckets from the shortest to the longest run, each with a bar scaled to the fullest bucket.</summary>
    internal static IReadOnlyList<HistogramBucket> Histogram(IReadOnlyList<TimeSpan> durations, int buckets)
    {
        if (durations.Count == 0)
        {
            return [];
        }

        var min = durations.Min().Ticks;
        var max = durations.Max().Ticks;
        var count = max == min ? 1 : buckets;
        var width = Math.Max(1, (max - min + count - 1) / count);
        var counts = new int[count];
        foreach (var duration in durations)
        {
            counts[Math.Min(count - 1, (int)((duration.Ticks - min) / width))]++;
        }

        return counts
            .Select((n, i) => new HistogramBucket(TimeSpan.FromTicks(min + (i * width)), TimeSpan.FromTicks(i == count - 1 ? max : min + ((i + 1) * width)), n))
            .ToList();
    }

    internal static string Bar(int count, int fullest, int width, bool unicode) =>
        fullest == 0 ? string.Empty : new string(unicode ? BlockBar : AsciiBar, (int)Math.Ceiling((double)count * width / fullest));
}

/// <summary>One bucket of a histogram: runs that took from <paramref name="From"/> up to <paramref name="To"/>.</summary>
internal sealed record HistogramBucket(TimeSpan From, TimeSpan To, int Count);

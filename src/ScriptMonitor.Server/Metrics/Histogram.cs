using System.Globalization;

namespace ScriptMonitor.Server.Metrics;

/// <summary>
/// A Prometheus histogram with fixed buckets, safe to observe from any number of requests at once: a count per bucket,
/// made cumulative only when written.
/// </summary>
internal sealed class Histogram(double[] upperBounds)
{
    private readonly long[] _counts = new long[upperBounds.Length + 1];
    private double _sum;

    public void Observe(double value)
    {
        var bucket = Array.BinarySearch(upperBounds, value);
        Interlocked.Increment(ref _counts[bucket >= 0 ? bucket : ~bucket]);
        double seen, next;
        do
        {
            seen = Volatile.Read(ref _sum);
            next = seen + value;
        }
        while (Interlocked.CompareExchange(ref _sum, next, seen) != seen);
    }

    /// <summary>The samples of this histogram: <c>_bucket</c> lines (cumulative, ending with <c>+Inf</c>), <c>_sum</c>, <c>_count</c>.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="name">The family's name.</param>
    /// <param name="labels">Labels before <c>le</c>, written as given (<c>route="/x",</c>), or empty.</param>
    public void Write(TextWriter output, string name, string labels)
    {
        long cumulative = 0;
        for (var i = 0; i <= upperBounds.Length; i++)
        {
            cumulative += Volatile.Read(ref _counts[i]);
            var le = i < upperBounds.Length ? upperBounds[i].ToString("R", CultureInfo.InvariantCulture) : "+Inf";
            output.Write($"{name}_bucket{{{labels}le=\"{le}\"}} {cumulative.ToString(CultureInfo.InvariantCulture)}\n");
        }

        var bare = labels.Length == 0 ? string.Empty : "{" + labels.TrimEnd(',') + "}";
        output.Write($"{name}_sum{bare} {Volatile.Read(ref _sum).ToString("R", CultureInfo.InvariantCulture)}\n");
        output.Write($"{name}_count{bare} {cumulative.ToString(CultureInfo.InvariantCulture)}\n");
    }
}

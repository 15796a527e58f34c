namespace ScriptMonitor.Health;

/// <summary>Median and median absolute deviation: statistics one wild value cannot move.</summary>
internal static class RobustStatistics
{
    /// <summary>
    /// Scales the MAD to estimate a standard deviation for normally distributed data (1 / Φ⁻¹(3/4)), so that
    /// "k·MAD" reads like "k sigma".
    /// </summary>
    internal const double NormalConsistency = 1.4826;

    internal static long Median(IReadOnlyList<long> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("values must not be empty.", nameof(values));
        }

        // Learning runs once per script on every status: at 10,000 scripts, a heap array per median is what the
        // garbage collector spends its time on.
        Span<long> sorted = values.Count <= StackLimit ? stackalloc long[values.Count] : new long[values.Count];
        for (var i = 0; i < sorted.Length; i++)
        {
            sorted[i] = values[i];
        }

        return MedianInPlace(sorted);
    }

    internal static double ScaledMad(IReadOnlyList<long> values, long median)
    {
        Span<long> deviations = values.Count <= StackLimit ? stackalloc long[values.Count] : new long[values.Count];
        for (var i = 0; i < deviations.Length; i++)
        {
            deviations[i] = Math.Abs(values[i] - median);
        }

        return NormalConsistency * MedianInPlace(deviations);
    }

    private const int StackLimit = 128;

    private static long MedianInPlace(Span<long> values)
    {
        values.Sort();
        var middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : values[middle - 1] + ((values[middle] - values[middle - 1]) / 2);
    }
}

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

        var sorted = new long[values.Count];
        for (var i = 0; i < sorted.Length; i++)
        {
            sorted[i] = values[i];
        }

        Array.Sort(sorted);
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : sorted[middle - 1] + ((sorted[middle] - sorted[middle - 1]) / 2);
    }

    /// <summary>The scaled median absolute deviation around <paramref name="median"/>.</summary>
    internal static double ScaledMad(IReadOnlyList<long> values, long median)
    {
        var deviations = new long[values.Count];
        for (var i = 0; i < deviations.Length; i++)
        {
            deviations[i] = Math.Abs(values[i] - median);
        }

        return NormalConsistency * Median(deviations);
    }
}

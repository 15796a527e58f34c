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

        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : sorted[middle - 1] + ((sorted[middle] - sorted[middle - 1]) / 2);
    }

    /// <summary>The scaled median absolute deviation around <paramref name="median"/>.</summary>
    internal static double ScaledMad(IReadOnlyList<long> values, long median) =>
        NormalConsistency * Median(values.Select(v => Math.Abs(v - median)).ToArray());
}

using System.Globalization;

namespace ScriptMonitor.Health;

/// <summary>Counts as a sentence says them: <c>1 run</c>, <c>2 runs</c>, <c>at least 24 runs</c>.</summary>
public static class CountText
{
    /// <summary>The count and the noun, singular for exactly one.</summary>
    /// <param name="count">How many.</param>
    /// <param name="singular">The noun for one, such as <c>run</c> or <c>successful run</c>.</param>
    /// <param name="plural">The noun for any other count; the singular with an <c>s</c> by default.</param>
    public static string Of(long count, string singular, string? plural = null) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? singular : plural ?? singular + "s");
}

using System.Globalization;

namespace ScriptMonitor.Cli.Input;

/// <summary>
/// Reads instants: ISO 8601 (<c>2026-03-01T04:00:00Z</c>, <c>2026-03-01 04:00:00+01:00</c>, <c>2026-03-01</c>;
/// without an offset the time is UTC), <c>now</c>, or a duration before now (<c>-2h</c>, <c>-7d</c>).
/// </summary>
internal static class TimeParser
{
    internal const string Rule = "an ISO 8601 time (2026-03-01T04:00:00Z; UTC when no offset is given), 'now', or a duration before now such as -2h or -7d";

    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd' 'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd' 'HH:mmK",
        "yyyy-MM-dd",
    ];

    /// <exception cref="UsageException">The text is not an instant.</exception>
    internal static DateTimeOffset Parse(string text, string field, DateTimeOffset now)
    {
        var trimmed = text.Trim();
        if (trimmed.Equals("now", StringComparison.OrdinalIgnoreCase))
        {
            return now;
        }

        if (trimmed.StartsWith('-'))
        {
            return DurationParser.Read(trimmed[1..], out var ago) switch
            {
                DurationParser.Reading.Duration => now - ago,
                DurationParser.Reading.TooLong => throw new UsageException($"{field} must not reach back more than {DurationParser.Maximum.TotalDays:0}d, a century (got '{text}')."),
                _ => throw new UsageException($"{field} must be {Rule} (got '{text}')."),
            };
        }

        if (DateTimeOffset.TryParseExact(trimmed, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            return value;
        }

        throw new UsageException($"{field} must be {Rule} (got '{text}').");
    }
}

using System.Globalization;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Text;

/// <summary>
/// Instants as people type them, the one reader every front end uses: ISO 8601 (<c>2026-03-01T04:00:00Z</c>,
/// <c>2026-03-01 04:00:00+01:00</c>, <c>2026-03-01</c>; without an offset the time is UTC), <c>now</c>, or a duration
/// before now (<c>-2h</c>, <c>-7d</c>, read by <see cref="DurationText"/>).
/// </summary>
public static class TimeText
{
    /// <summary>The rule an instant follows, as a message states it.</summary>
    public const string Rule = "an ISO 8601 time (2026-03-01T04:00:00Z; UTC when no offset is given), 'now', or a duration before now such as -2h or -7d";

    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd' 'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd' 'HH:mmK",
        "yyyy-MM-dd",
    ];

    /// <summary>Reads an instant.</summary>
    /// <param name="text">What a person typed.</param>
    /// <param name="field">The field (an option, a property) it came from: the error names it.</param>
    /// <param name="now">What <c>now</c> and relative times are taken from.</param>
    /// <exception cref="ValidationException">The text is not an instant, or reaches back more than a century.</exception>
    public static DateTimeOffset Parse(string text, string field, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Equals("now", StringComparison.OrdinalIgnoreCase))
        {
            return now;
        }

        if (trimmed.StartsWith('-'))
        {
            return DurationText.TryRead(trimmed[1..], out var ago) switch
            {
                DurationReading.Duration => now - ago,
                DurationReading.TooLong => throw Refused(field, "at-most-a-century", $"{field} must not reach back more than {DurationText.Maximum.TotalDays:0}d, a century (got '{text}')."),
                _ => throw Malformed(field, text),
            };
        }

        return DateTimeOffset.TryParseExact(trimmed, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : throw Malformed(field, text);
    }

    private static ValidationException Malformed(string field, string text) =>
        Refused(field, "time", $"{field} must be {Rule} (got '{text}').");

    private static ValidationException Refused(string field, string rule, string message) =>
        new([new FieldError(field, rule, message)]);
}

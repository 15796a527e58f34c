using System.Globalization;

namespace ScriptMonitor.Cli.Input;

/// <summary>
/// Reads durations as operators write them: a number and a unit, optionally several (<c>90s</c>, <c>15m</c>,
/// <c>2h</c>, <c>7d</c>, <c>1w</c>, <c>1h30m</c>, <c>250ms</c>). A bare number is refused: "5" could mean anything.
/// </summary>
internal static class DurationParser
{
    internal const string Rule = "a number and a unit (ms, s, m, h, d, w), e.g. 90s, 15m, 2h, 7d or 1h30m";

    /// <summary>Parses a duration that must not be negative.</summary>
    /// <param name="text">What the user typed.</param>
    /// <param name="field">The option or argument it came from, for the message.</param>
    /// <exception cref="UsageException">The text is not a duration, or is negative.</exception>
    internal static TimeSpan Parse(string text, string field)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith('-'))
        {
            throw new UsageException($"{field} must not be negative (got '{text}'); give {Rule}.");
        }

        return TryParseUnsigned(trimmed, out var value)
            ? value
            : throw new UsageException($"{field} must be {Rule} (got '{text}').");
    }

    /// <summary>Parses a duration that must be greater than zero.</summary>
    internal static TimeSpan ParsePositive(string text, string field)
    {
        var value = Parse(text, field);
        return value > TimeSpan.Zero
            ? value
            : throw new UsageException($"{field} must be greater than zero (got '{text}').");
    }

    /// <summary>Parses an unsigned duration, without throwing.</summary>
    internal static bool TryParseUnsigned(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (text.Length == 0)
        {
            return false;
        }

        var total = 0m;
        var position = 0;
        while (position < text.Length)
        {
            var numberStart = position;
            while (position < text.Length && (char.IsAsciiDigit(text[position]) || text[position] == '.'))
            {
                position++;
            }

            var unitStart = position;
            while (position < text.Length && char.IsAsciiLetter(text[position]))
            {
                position++;
            }

            if (unitStart == numberStart || position == unitStart
                || !decimal.TryParse(text.AsSpan(numberStart, unitStart - numberStart), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
                || UnitTicks(text[unitStart..position]) is not { } ticksPerUnit)
            {
                return false;
            }

            total += number * ticksPerUnit;
            if (total > TimeSpan.MaxValue.Ticks)
            {
                return false;
            }
        }

        value = TimeSpan.FromTicks((long)total);
        return true;
    }

    private static long? UnitTicks(string unit) => unit.ToUpperInvariant() switch
    {
        "MS" => TimeSpan.TicksPerMillisecond,
        "S" or "SEC" or "SECS" => TimeSpan.TicksPerSecond,
        "M" or "MIN" or "MINS" => TimeSpan.TicksPerMinute,
        "H" or "HR" or "HRS" => TimeSpan.TicksPerHour,
        "D" or "DAY" or "DAYS" => TimeSpan.TicksPerDay,
        "W" or "WEEK" or "WEEKS" => TimeSpan.TicksPerDay * 7,
        _ => null,
    };
}

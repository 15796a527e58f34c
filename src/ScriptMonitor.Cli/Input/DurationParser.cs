using System.Globalization;

namespace ScriptMonitor.Cli.Input;

/// <summary>
/// Reads durations as operators write them: a number and a unit, optionally several (<c>90s</c>, <c>15m</c>,
/// <c>2h</c>, <c>7d</c>, <c>1w</c>, <c>1h30m</c>, <c>250ms</c>). A bare number is refused: "5" could mean anything.
/// </summary>
internal static class DurationParser
{
    internal const string Rule = "a number and a unit (ms, s, m, h, d, w), e.g. 90s, 15m, 2h, 7d or 1h30m";

    /// <summary>
    /// The longest duration any option takes: a century. Options with tighter rules check them after; this bound
    /// keeps every sum with a time (now minus <c>--older-than</c>, a start plus <c>--timeout</c>) far inside the
    /// range of <see cref="DateTimeOffset"/>, where an overflow would otherwise end the command with a stack trace.
    /// </summary>
    internal static readonly TimeSpan Maximum = TimeSpan.FromDays(MaximumDays);

    private const int MaximumDays = 36_500;

    /// <summary>Parses a duration that must not be negative.</summary>
    /// <param name="text">What the user typed.</param>
    /// <param name="field">The option or argument it came from, for the message.</param>
    /// <exception cref="UsageException">The text is not a duration, is negative, or is longer than <see cref="Maximum"/>.</exception>
    internal static TimeSpan Parse(string text, string field)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith('-'))
        {
            throw new UsageException($"{field} must not be negative (got '{text}'); give {Rule}.");
        }

        return Read(trimmed, out var value) switch
        {
            Reading.Duration => value,
            Reading.TooLong => throw TooLong(field, text),
            _ => throw new UsageException($"{field} must be {Rule} (got '{text}')."),
        };
    }

    /// <summary>Parses a duration that must be greater than zero.</summary>
    internal static TimeSpan ParsePositive(string text, string field)
    {
        var value = Parse(text, field);
        return value > TimeSpan.Zero
            ? value
            : throw new UsageException($"{field} must be greater than zero (got '{text}').");
    }

    /// <summary>The refusal of a duration beyond <see cref="Maximum"/>.</summary>
    internal static UsageException TooLong(string field, string text) =>
        new($"{field} must be at most {MaximumDays.ToString(CultureInfo.InvariantCulture)}d, a century (got '{text}').");

    /// <summary>Reads an unsigned duration, without throwing.</summary>
    internal static Reading Read(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (text.Length == 0)
        {
            return Reading.Malformed;
        }

        var total = 0m;
        var tooLong = false;
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

            if (unitStart == numberStart || position == unitStart || UnitTicks(text[unitStart..position]) is not { } ticksPerUnit)
            {
                return Reading.Malformed;
            }

            var number = text.AsSpan(numberStart, unitStart - numberStart);
            if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                // Digits beyond what a decimal holds are still a number, only a vast one.
                if (number.Count('.') > 1 || number.Trim('.').IsEmpty)
                {
                    return Reading.Malformed;
                }

                tooLong = true;
                continue;
            }

            // Compared before multiplying: the product of a huge number and a unit overflows even a decimal.
            if (tooLong || amount > Maximum.Ticks / ticksPerUnit)
            {
                tooLong = true;
                continue;
            }

            total += amount * ticksPerUnit;
            tooLong = total > Maximum.Ticks;
        }

        if (tooLong)
        {
            return Reading.TooLong;
        }

        value = TimeSpan.FromTicks((long)total);
        return Reading.Duration;
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

    /// <summary>What a text reads as.</summary>
    internal enum Reading
    {
        /// <summary>Not a duration.</summary>
        Malformed,

        /// <summary>A duration, within <see cref="Maximum"/>.</summary>
        Duration,

        /// <summary>A duration longer than <see cref="Maximum"/>.</summary>
        TooLong,
    }
}

using System.Globalization;
using System.Text;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Health;

/// <summary>
/// Durations as people write and read them, the one reader and the one printer every part uses: a number and a unit,
/// or several (<c>250ms</c>, <c>90s</c>, <c>15m</c>, <c>2h</c>, <c>7d</c>, <c>1w</c>, <c>1h30m</c>, <c>1.5h</c>), read
/// with one set of units; printed as <c>250ms</c>, <c>1.5s</c>, <c>1m 30s</c>, <c>1d 1h 1m 1s</c>.
/// </summary>
public static class DurationText
{
    /// <summary>The rule a duration follows, as a message states it.</summary>
    public const string Rule = "a number and a unit (ms, s, m, h, d, w), e.g. 90s, 15m, 2h, 7d or 1h30m";

    /// <summary>
    /// The longest duration read: a century. Settings with tighter rules check them after; this bound keeps every sum
    /// with an instant (now minus an age, a start plus a timeout) far inside the range of <see cref="DateTimeOffset"/>.
    /// </summary>
    public static readonly TimeSpan Maximum = TimeSpan.FromDays(MaximumDays);

    private const int MaximumDays = 36_500;

    /// <summary>The units printed, largest first; milliseconds only below a second.</summary>
    private static readonly (string Unit, long Ticks)[] PrintedUnits =
    [
        ("d", TimeSpan.TicksPerDay),
        ("h", TimeSpan.TicksPerHour),
        ("m", TimeSpan.TicksPerMinute),
        ("s", TimeSpan.TicksPerSecond),
    ];

    /// <summary>
    /// Prints a duration in days, hours, minutes and seconds (<c>1d 1h 1m 1s</c>, <c>1h</c>); below ten seconds with
    /// tenths (<c>1.5s</c>), below one second in milliseconds (<c>250ms</c>).
    /// </summary>
    /// <param name="value">The duration; a negative one is printed with a leading <c>-</c>.</param>
    public static string Format(TimeSpan value) => Format(value, PrintedUnits.Length);

    /// <summary>
    /// Prints a duration as <see cref="Format(TimeSpan)"/> does, but with at most <paramref name="units"/> units, the
    /// largest that are not zero (<c>2h 10m</c> for 2h 10m 5s with two): for a column, where the rest is noise.
    /// </summary>
    /// <param name="value">The duration; a negative one is printed with a leading <c>-</c>.</param>
    /// <param name="units">How many units at most, 1 or more.</param>
    public static string Format(TimeSpan value, int units)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
        if (value < TimeSpan.Zero)
        {
            return "-" + Format(value.Duration(), units);
        }

        if (value < TimeSpan.FromSeconds(1))
        {
            return value.TotalMilliseconds.ToString("0.#", CultureInfo.InvariantCulture) + "ms";
        }

        if (value < TimeSpan.FromSeconds(10) && value.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            return value.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + "s";
        }

        var rest = TimeSpan.FromSeconds(Math.Round(value.TotalSeconds)).Ticks;
        var text = new StringBuilder();
        var printed = 0;
        foreach (var (unit, ticks) in PrintedUnits)
        {
            var count = rest / ticks;
            rest -= count * ticks;
            if (count > 0 && printed < units)
            {
                text.Append(text.Length > 0 ? " " : string.Empty).Append(count.ToString(CultureInfo.InvariantCulture)).Append(unit);
                printed++;
            }
        }

        return text.ToString();
    }

    /// <summary>Reads a duration that must not be negative.</summary>
    /// <param name="text">What a person typed.</param>
    /// <param name="field">The field (an option, a property) it came from: the error names it.</param>
    /// <exception cref="ValidationException">The text is not a duration, is negative, or is longer than <see cref="Maximum"/>.</exception>
    public static TimeSpan Parse(string text, string field)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.StartsWith('-'))
        {
            throw Refused(field, "not-negative", $"{field} must not be negative (got '{text}'); give {Rule}.");
        }

        return TryRead(trimmed, out var value) switch
        {
            DurationReading.Duration => value,
            DurationReading.TooLong => throw TooLong(field, text),
            _ => throw Refused(field, "duration", $"{field} must be {Rule} (got '{text}')."),
        };
    }

    /// <summary>Reads a duration that must be greater than zero.</summary>
    /// <param name="text">What a person typed.</param>
    /// <param name="field">The field it came from: the error names it.</param>
    /// <exception cref="ValidationException">The text is not a duration, or is not above zero, or is too long.</exception>
    public static TimeSpan ParsePositive(string text, string field)
    {
        var value = Parse(text, field);
        return value > TimeSpan.Zero
            ? value
            : throw Refused(field, "positive", $"{field} must be greater than zero (got '{text}').");
    }

    /// <summary>The refusal of a duration, or of a time that reaches back, beyond <see cref="Maximum"/>.</summary>
    /// <param name="field">The field it came from.</param>
    /// <param name="text">What a person typed.</param>
    public static ValidationException TooLong(string field, string text) =>
        Refused(field, "at-most-a-century", $"{field} must be at most {MaximumDays.ToString(CultureInfo.InvariantCulture)}d, a century (got '{text}').");

    /// <summary>Reads an unsigned duration without throwing: the units are those of <see cref="Rule"/> and their longer names (<c>sec</c>, <c>min</c>, <c>hrs</c>, <c>days</c>, <c>weeks</c>).</summary>
    /// <param name="text">The text, without a sign.</param>
    /// <param name="value">The duration, when the text is one within <see cref="Maximum"/>.</param>
    /// <returns>What the text reads as.</returns>
    public static DurationReading TryRead(string text, out TimeSpan value)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = TimeSpan.Zero;
        if (text.Length == 0)
        {
            return DurationReading.Malformed;
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
                return DurationReading.Malformed;
            }

            var number = text.AsSpan(numberStart, unitStart - numberStart);
            if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                // Digits beyond what a decimal holds are still a number, only a vast one.
                if (number.Count('.') > 1 || number.Trim('.').IsEmpty)
                {
                    return DurationReading.Malformed;
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
            return DurationReading.TooLong;
        }

        value = TimeSpan.FromTicks((long)total);
        return DurationReading.Duration;
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

    private static ValidationException Refused(string field, string rule, string message) =>
        new([new FieldError(field, rule, message)]);
}

/// <summary>What a text reads as, for <see cref="DurationText.TryRead"/>.</summary>
public enum DurationReading
{
    /// <summary>Not a duration.</summary>
    Malformed,

    /// <summary>A duration, within <see cref="DurationText.Maximum"/>.</summary>
    Duration,

    /// <summary>A duration longer than <see cref="DurationText.Maximum"/>.</summary>
    TooLong,
}

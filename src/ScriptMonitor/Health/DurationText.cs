using System.Globalization;
using System.Text;

namespace ScriptMonitor.Health;

/// <summary>Durations as people write them: <c>1h 30m</c>, <c>10m</c>, <c>2d</c>, <c>1.5s</c>, <c>250ms</c>.</summary>
internal static class DurationText
{
    private static readonly (string Unit, TimeSpan Length)[] Units =
    [
        ("w", TimeSpan.FromDays(7)),
        ("d", TimeSpan.FromDays(1)),
        ("h", TimeSpan.FromHours(1)),
        ("m", TimeSpan.FromMinutes(1)),
        ("s", TimeSpan.FromSeconds(1)),
        ("ms", TimeSpan.FromMilliseconds(1)),
    ];

    /// <summary>Prints the duration in days, hours, minutes and seconds; below ten seconds with tenths, below one in milliseconds.</summary>
    internal static string Format(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            return "-" + Format(value.Duration());
        }

        if (value < TimeSpan.FromSeconds(1))
        {
            return value.TotalMilliseconds.ToString("0.#", CultureInfo.InvariantCulture) + "ms";
        }

        if (value < TimeSpan.FromSeconds(10) && value.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            return value.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + "s";
        }

        var rest = TimeSpan.FromSeconds(Math.Round(value.TotalSeconds));
        var text = new StringBuilder();
        foreach (var (unit, length) in Units.AsSpan(1, Units.Length - 2))
        {
            var count = rest.Ticks / length.Ticks;
            if (count > 0)
            {
                text.Append(text.Length > 0 ? " " : string.Empty).Append(count.ToString(CultureInfo.InvariantCulture)).Append(unit);
                rest -= TimeSpan.FromTicks(count * length.Ticks);
            }
        }

        return text.ToString();
    }

    /// <summary>Parses <c>90s</c>, <c>10m</c>, <c>1h30m</c>, <c>1h 30m</c>, <c>2d</c>, <c>1w</c>, <c>1.5h</c>, <c>250ms</c>.</summary>
    internal static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        var total = 0m;
        while (!span.IsEmpty)
        {
            var digits = 0;
            while (digits < span.Length && (char.IsAsciiDigit(span[digits]) || span[digits] == '.'))
            {
                digits++;
            }

            if (digits == 0 || !decimal.TryParse(span[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            span = span[digits..];
            var letters = 0;
            while (letters < span.Length && char.IsAsciiLetter(span[letters]))
            {
                letters++;
            }

            var unit = span[..letters].ToString();
            var match = Array.FindIndex(Units, u => string.Equals(unit, u.Unit, StringComparison.OrdinalIgnoreCase));
            if (match < 0)
            {
                return false;
            }

            total += number * Units[match].Length.Ticks;
            span = span[letters..].TrimStart();
        }

        if (total > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        value = TimeSpan.FromTicks((long)total);
        return true;
    }
}

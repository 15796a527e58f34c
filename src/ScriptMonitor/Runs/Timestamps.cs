namespace ScriptMonitor.Runs;

/// <summary>
/// How ScriptMonitor stores and prints instants: UTC, microsecond precision, ISO 8601 with offset.
/// </summary>
public static class Timestamps
{
    /// <summary>The earliest instant a run may carry: stores count microseconds from here.</summary>
    public static DateTimeOffset Earliest { get; } = DateTimeOffset.UnixEpoch;

    /// <summary>
    /// Converts an instant to UTC and drops what is finer than a microsecond, the precision every store keeps.
    /// </summary>
    /// <param name="value">Any instant, with any offset.</param>
    public static DateTimeOffset Normalize(DateTimeOffset value)
    {
        var utcTicks = value.UtcTicks;
        return new DateTimeOffset(utcTicks - (utcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
    }

    /// <summary>
    /// Prints an instant as the spec does: <c>2007-02-01 10:00:00+00:00</c>, with microseconds only when there are any.
    /// </summary>
    /// <param name="value">The instant; printed in UTC.</param>
    public static string Format(DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        var withFraction = utc.Ticks % TimeSpan.TicksPerSecond != 0;
        return string.Create(withFraction ? LengthWithFraction : LengthWithoutFraction, (utc, withFraction), static (chars, state) =>
            Write(chars, state.utc, ' ', state.withFraction));
    }

    /// <summary>Prints an instant as ISO 8601 in UTC with offset: <c>2007-02-01T10:00:00.000000+00:00</c>, for machines.</summary>
    /// <param name="value">The instant; printed in UTC.</param>
    public static string FormatIso(DateTimeOffset value) =>
        string.Create(LengthWithFraction, value.UtcDateTime, static (chars, utc) => Write(chars, utc, 'T', withFraction: true));

    // "yyyy-MM-dd HH:mm:ss" + ".ffffff" + "+00:00". Written by hand: a status of 10,000 scripts prints hundreds of
    // thousands of instants, and a custom format string is parsed again for each one.
    private const int LengthWithoutFraction = 19 + 6;
    private const int LengthWithFraction = 19 + 7 + 6;

    private static void Write(Span<char> chars, DateTime utc, char separator, bool withFraction)
    {
        Digits(chars[0..4], utc.Year);
        chars[4] = '-';
        Digits(chars[5..7], utc.Month);
        chars[7] = '-';
        Digits(chars[8..10], utc.Day);
        chars[10] = separator;
        Digits(chars[11..13], utc.Hour);
        chars[13] = ':';
        Digits(chars[14..16], utc.Minute);
        chars[16] = ':';
        Digits(chars[17..19], utc.Second);
        var offset = chars[19..];
        if (withFraction)
        {
            chars[19] = '.';
            Digits(chars[20..26], (int)(utc.Ticks % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMicrosecond));
            offset = chars[26..];
        }

        "+00:00".CopyTo(offset);
    }

    private static void Digits(Span<char> chars, int value)
    {
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            chars[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }

    /// <summary>An instant as microseconds since the Unix epoch, the precision every store keeps.</summary>
    /// <param name="value">The instant.</param>
    public static long ToUnixMicroseconds(DateTimeOffset value) =>
        (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    /// <summary>The instant, in UTC, that is <paramref name="microseconds"/> after the Unix epoch.</summary>
    /// <param name="microseconds">Microseconds since the Unix epoch.</param>
    public static DateTimeOffset FromUnixMicroseconds(long microseconds) =>
        new(DateTimeOffset.UnixEpoch.UtcTicks + (microseconds * TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
}

using System.Globalization;

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
        var utc = value.ToUniversalTime();
        var format = utc.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.ffffff";
        return utc.ToString(format, CultureInfo.InvariantCulture) + "+00:00";
    }

    /// <summary>Prints an instant as ISO 8601 in UTC with offset: <c>2007-02-01T10:00:00.000000+00:00</c>, for machines.</summary>
    /// <param name="value">The instant; printed in UTC.</param>
    public static string FormatIso(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture);

    /// <summary>An instant as microseconds since the Unix epoch, the precision every store keeps.</summary>
    /// <param name="value">The instant.</param>
    public static long ToUnixMicroseconds(DateTimeOffset value) =>
        (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    /// <summary>The instant, in UTC, that is <paramref name="microseconds"/> after the Unix epoch.</summary>
    /// <param name="microseconds">Microseconds since the Unix epoch.</param>
    public static DateTimeOffset FromUnixMicroseconds(long microseconds) =>
        new(DateTimeOffset.UnixEpoch.UtcTicks + (microseconds * TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
}

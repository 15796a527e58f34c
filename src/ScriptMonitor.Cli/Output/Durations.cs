using System.Globalization;

namespace ScriptMonitor.Cli.Output;

/// <summary>Prints durations for people: the two largest units that matter (<c>350ms</c>, <c>4.2s</c>, <c>3m 05s</c>, <c>2h 10m</c>, <c>3d 4h</c>).</summary>
internal static class Durations
{
    internal static string Format(TimeSpan value)
    {
        var sign = value < TimeSpan.Zero ? "-" : string.Empty;
        var d = value.Duration();
        var text = d switch
        {
            { TotalSeconds: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{d.TotalMilliseconds:0}ms"),
            { TotalSeconds: < 10 } => string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(d.TotalSeconds * 100) / 100:0.00}s"),
            { TotalMinutes: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(d.TotalSeconds * 10) / 10:0.0}s"),
            { TotalHours: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{d.Minutes}m {d.Seconds:00}s"),
            { TotalDays: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{d.Hours}h {d.Minutes:00}m"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalDays}d {d.Hours}h"),
        };
        return sign + text;
    }

    /// <summary>Seconds with microsecond precision, the unit every <c>--json</c> output uses for durations.</summary>
    internal static double Seconds(TimeSpan value) => Math.Round(value.TotalSeconds, 6);
}

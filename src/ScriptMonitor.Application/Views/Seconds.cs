namespace ScriptMonitor.Application.Views;

/// <summary>Durations in views: seconds, to the microsecond, as a number every JSON reader takes.</summary>
public static class Seconds
{
    /// <summary>A duration in seconds with microsecond precision.</summary>
    /// <param name="value">The duration.</param>
    public static double Of(TimeSpan value) => Math.Round(value.TotalSeconds, 6);

    /// <summary>A duration of a view back as a <see cref="TimeSpan"/>, to print it for people.</summary>
    /// <param name="seconds">Seconds, as <see cref="Of"/> gives them.</param>
    public static TimeSpan ToDuration(double seconds) => TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
}

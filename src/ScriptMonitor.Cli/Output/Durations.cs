namespace ScriptMonitor.Cli.Output;

/// <summary>Durations in <c>--json</c>: seconds, to the microsecond.</summary>
internal static class Durations
{
    /// <summary>Seconds with microsecond precision, the unit every <c>--json</c> output uses for durations.</summary>
    internal static double Seconds(TimeSpan value) => Math.Round(value.TotalSeconds, 6);
}

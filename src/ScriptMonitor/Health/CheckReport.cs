namespace ScriptMonitor.Health;

/// <summary>What a check prints and the status it exits with.</summary>
/// <param name="Status">The status; its value is the exit code.</param>
/// <param name="Text">The output: a status line, then details, then performance data.</param>
public sealed record CheckReport(CheckStatus Status, string Text)
{
    /// <summary>The exit code a monitoring system reads the status from.</summary>
    public int ExitCode => (int)Status;

    /// <summary>An UNKNOWN report: the check could not be answered, for the reason given.</summary>
    /// <param name="message">Why.</param>
    public static CheckReport Unknown(string message) => new(CheckStatus.Unknown, $"{NagiosFormat.ServiceName} UNKNOWN - {NagiosFormat.Clean(message)}");
}

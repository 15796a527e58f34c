namespace ScriptMonitor.Health;

/// <summary>What a check prints and the status it exits with.</summary>
/// <param name="Status">The status; its value is the exit code.</param>
/// <param name="Text">The output: a status line, then details, then performance data.</param>
internal sealed record CheckReport(CheckStatus Status, string Text)
{
    internal int ExitCode => (int)Status;

    internal static CheckReport Unknown(string message) => new(CheckStatus.Unknown, $"{NagiosFormat.ServiceName} UNKNOWN - {NagiosFormat.Clean(message)}");
}

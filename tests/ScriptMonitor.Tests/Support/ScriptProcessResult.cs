namespace ScriptMonitor.Tests.Support;

/// <summary>How a script process ended and what it printed.</summary>
public sealed record ScriptProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
}

namespace ScriptMonitor.Application.Views;

/// <summary>A monitoring check's answer, as a Nagios or Icinga plugin gives it.</summary>
/// <param name="Status"><c>OK</c>, <c>WARNING</c>, <c>CRITICAL</c> or <c>UNKNOWN</c>.</param>
/// <param name="ExitCode">The plugin's exit status: 0, 1, 2 or 3.</param>
/// <param name="Text">The output: a status line, then details, then performance data.</param>
public sealed record CheckView(string Status, int ExitCode, string Text);

namespace ScriptMonitor.Runs;

/// <summary>How a started run ended, as a completion gives it, checked before it reaches a store.</summary>
/// <param name="CompletedAt">When it completed, in UTC.</param>
/// <param name="Outcome">Succeeded, failed or abandoned.</param>
/// <param name="ExitCode">The exit status, where there is one.</param>
/// <param name="Output">The tail of its output, at most <see cref="ScriptRun.MaxOutputLength"/> characters.</param>
public sealed record RunCompletion(DateTimeOffset CompletedAt, RunOutcome Outcome, int? ExitCode, string? Output);

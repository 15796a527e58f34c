namespace ScriptMonitor.Runs;

/// <summary>A script the store knows, with its last success and its last failure.</summary>
/// <param name="Name">The script's name.</param>
/// <param name="LastSuccess">The successful run with the latest start, on any host; null if none.</param>
/// <param name="LastFailure">The failed run with the latest start, on any host; null if none.</param>
public sealed record ScriptSummary(string Name, ScriptRun? LastSuccess, ScriptRun? LastFailure);

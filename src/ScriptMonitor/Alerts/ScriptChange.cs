namespace ScriptMonitor.Alerts;

/// <summary>
/// One script whose runs, skips or expectation changed, from the store's change feed: <see cref="Sequence"/> is the
/// newest change of it. The feed holds one entry per script, at its newest change.
/// </summary>
/// <param name="ScriptName">The script.</param>
/// <param name="Sequence">The sequence number of its newest change; grows with every change of any script.</param>
public sealed record ScriptChange(string ScriptName, long Sequence);

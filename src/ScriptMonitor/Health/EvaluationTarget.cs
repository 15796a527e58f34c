namespace ScriptMonitor.Health;

/// <summary>The runs one evaluation target (the script on any host, or one listed host) is judged by.</summary>
/// <param name="Host">The listed host; null for the script on any host.</param>
/// <param name="On">The host as a sentence says it: <c> on db1</c>, or empty.</param>
/// <param name="Recent">The newest runs of the target, newest start first.</param>
/// <param name="LastSuccess">The target's latest successful run.</param>
/// <param name="InProgress">The target's runs in progress not yet presumed abandoned.</param>
internal sealed record EvaluationTarget(string? Host, string On, IReadOnlyList<HistoryRun> Recent, HistoryRun? LastSuccess, IReadOnlyList<HistoryRun> InProgress);

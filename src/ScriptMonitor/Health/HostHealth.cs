namespace ScriptMonitor.Health;

/// <summary>The health of a script on one expected host.</summary>
/// <param name="Hostname">The host.</param>
/// <param name="State">Its state.</param>
/// <param name="Reasons">Why, worst first.</param>
/// <param name="LastSuccess">Its latest successful run; null if none.</param>
public sealed record HostHealth(string Hostname, HealthState State, IReadOnlyList<HealthReason> Reasons, HistoryRun? LastSuccess);

namespace ScriptMonitor.Application.Views;

/// <summary>What pruning did (<c>scriptmon prune --json</c>).</summary>
/// <param name="Store">The store pruned.</param>
/// <param name="OlderThan">Runs that started before this instant could go.</param>
/// <param name="KeepLast">How many of each script's newest runs stayed regardless.</param>
/// <param name="Deleted">How many runs were deleted.</param>
public sealed record PruneView(string Store, string OlderThan, int KeepLast, long Deleted);

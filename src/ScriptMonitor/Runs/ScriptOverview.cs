namespace ScriptMonitor.Runs;

/// <summary>
/// One script's row of the overview every front end shows (<c>scriptmon status</c>, the server's status endpoint), beside
/// its health: read for every script at once, in a bounded number of queries.
/// </summary>
/// <param name="Name">The script's name.</param>
/// <param name="LastSuccess">The successful run with the latest start, on any host; null if none.</param>
/// <param name="LastFailure">The failed run with the latest start, on any host; null if none.</param>
/// <param name="RecentRuns">How many runs, of any outcome, started in the query's recent window.</param>
/// <param name="MedianRuntime">The median runtime of the successful runs that started in the query's runtime window; null if none.</param>
public sealed record ScriptOverview(string Name, ScriptRun? LastSuccess, ScriptRun? LastFailure, int RecentRuns, TimeSpan? MedianRuntime);

/// <summary>The windows of an overview read.</summary>
/// <param name="RecentSince">Runs that started at or after this instant count as recent.</param>
/// <param name="RuntimeSince">The median runtime covers successful runs that started at or after this instant.</param>
/// <param name="Until">Both windows end before this instant.</param>
public sealed record OverviewQuery(DateTimeOffset RecentSince, DateTimeOffset RuntimeSince, DateTimeOffset Until);

namespace ScriptMonitor.Runs;

/// <summary>The overview assembled from one store call per script: correct, but not bounded in the number of queries.</summary>
internal static class OverviewByScript
{
    internal static async Task<IReadOnlyList<ScriptOverview>> ReadAsync(IScriptRunStore store, OverviewQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var rows = new List<ScriptOverview>();
        foreach (var script in await store.ListScriptsAsync(cancellationToken).ConfigureAwait(false))
        {
            var recent = await store.CountRunsAsync(new RunQuery(script.Name) { Since = query.RecentSince, Until = query.Until }, cancellationToken).ConfigureAwait(false);
            var runtime = await store.GetRuntimeStatisticsAsync(script.Name, query.RuntimeSince, query.Until, cancellationToken: cancellationToken).ConfigureAwait(false);
            rows.Add(new ScriptOverview(script.Name, script.LastSuccess, script.LastFailure, (int)Math.Min(recent, int.MaxValue), runtime.Count > 0 ? runtime.Median : null));
        }

        return rows;
    }
}

using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Stores;

/// <summary>
/// The snapshot read of every store, written once: which scripts, how deep each history goes, and the histories
/// assembled from a backend's rows (<see cref="ISnapshotRows"/>) in a fixed number of reads however many scripts
/// there are.
/// </summary>
public static class SnapshotRead
{
    /// <summary>Reads the snapshots of every script, or of the named ones, by script name.</summary>
    /// <param name="rows">The backend's reads, inside its read transaction.</param>
    /// <param name="scriptNames">Only these scripts, already checked; null for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static async ValueTask<IReadOnlyList<ScriptSnapshot>> ReadAsync(ISnapshotRows rows, IReadOnlyCollection<string>? scriptNames, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var stored = await rows.ExpectationsAsync(scriptNames, cancellationToken).ConfigureAwait(false);
        var names = new SortedSet<string>(stored.Expectations.Keys, StringComparer.Ordinal);
        names.UnionWith(stored.Problems.Keys);
        names.UnionWith(await rows.ScriptNamesAsync(scriptNames, cancellationToken).ConfigureAwait(false));
        var ordered = names.ToArray();
        var expectations = ordered.Select(n => stored.Expectations.GetValueOrDefault(n)).ToArray();

        var newest = await rows.NewestRunsAsync(
            ordered.Select((name, i) => (name, ScriptHistory.DepthFor(expectations[i]) + 1)).ToList(),
            cancellationToken).ConfigureAwait(false);
        var assemblies = new HistoryAssembly[ordered.Length];
        var requests = new List<(int Script, string? Hostname)>();
        for (var i = 0; i < ordered.Length; i++)
        {
            assemblies[i] = new HistoryAssembly(newest[i], ScriptHistory.DepthFor(expectations[i]), expectations[i]?.Hosts.Hosts ?? []);
            if (assemblies[i].LastSuccessMissing)
            {
                requests.Add((i, null));
            }

            requests.AddRange(assemblies[i].HostsMissing.Select(host => (i, (string?)host)));
        }

        if (requests.Count > 0)
        {
            var found = await rows.LastSuccessesAsync(requests.Select(r => (ordered[r.Script], r.Hostname)).ToList(), cancellationToken).ConfigureAwait(false);
            for (var r = 0; r < requests.Count; r++)
            {
                if (found[r] is { } run)
                {
                    assemblies[requests[r].Script].Found(requests[r].Hostname, run);
                }
            }
        }

        var inProgress = await rows.InProgressAsync(scriptNames, cancellationToken).ConfigureAwait(false);
        var skips = await rows.NewestSkipsAsync(scriptNames, ScriptHistory.Depth, cancellationToken).ConfigureAwait(false);
        var snapshots = new List<ScriptSnapshot>(ordered.Length);
        for (var i = 0; i < ordered.Length; i++)
        {
            var history = assemblies[i].Build(inProgress.GetValueOrDefault(ordered[i]) ?? [], skips.GetValueOrDefault(ordered[i]) ?? []);
            snapshots.Add(new ScriptSnapshot(ordered[i], expectations[i], history) { Problem = stored.Problems.GetValueOrDefault(ordered[i]) });
        }

        return snapshots;
    }
}

using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Stores;

/// <summary>
/// The reads one snapshot of every script's history is made of, in a backend's SQL, all inside one read transaction
/// the backend holds while <see cref="SnapshotRead.ReadAsync"/> assembles them: so the expectations and every script's
/// runs are of one instant. Names given are already checked.
/// </summary>
public interface ISnapshotRows
{
    /// <summary>The stored expectations, each read through <see cref="StoredExpectations.Add"/>.</summary>
    /// <param name="scriptNames">Only these scripts; null for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<StoredExpectations> ExpectationsAsync(IReadOnlyCollection<string>? scriptNames, CancellationToken cancellationToken);

    /// <summary>The scripts that have runs or skips.</summary>
    /// <param name="scriptNames">Only these scripts; null for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<IReadOnlyCollection<string>> ScriptNamesAsync(IReadOnlyCollection<string>? scriptNames, CancellationToken cancellationToken);

    /// <summary>Each script's newest runs of any outcome, newest start first, at most its limit.</summary>
    /// <param name="scripts">The scripts, and how many runs of each.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The runs of each script, in the order of <paramref name="scripts"/>.</returns>
    ValueTask<IReadOnlyList<List<HistoryRun>>> NewestRunsAsync(IReadOnlyList<(string ScriptName, int Limit)> scripts, CancellationToken cancellationToken);

    /// <summary>Each requested last success: of a script on any host (a null host), or on one host.</summary>
    /// <param name="requests">What to look up.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The run found for each request, in its order; null where there is none.</returns>
    ValueTask<IReadOnlyList<HistoryRun?>> LastSuccessesAsync(IReadOnlyList<(string ScriptName, string? Hostname)> requests, CancellationToken cancellationToken);

    /// <summary>Every run still in progress, however old, by script, newest start first.</summary>
    /// <param name="scriptNames">Only these scripts; null for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<IReadOnlyDictionary<string, List<HistoryRun>>> InProgressAsync(IReadOnlyCollection<string>? scriptNames, CancellationToken cancellationToken);

    /// <summary>Each script's newest skip events, newest first, at most <paramref name="limit"/>.</summary>
    /// <param name="scriptNames">Only these scripts; null for all.</param>
    /// <param name="limit">How many per script.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<IReadOnlyDictionary<string, List<ScriptSkip>>> NewestSkipsAsync(IReadOnlyCollection<string>? scriptNames, int limit, CancellationToken cancellationToken);
}

using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Stores;

/// <summary>
/// A backend's reads of every script at once, each in a bounded number of statements however many scripts there are.
/// Arguments arrive checked by <see cref="ScriptRunStoreBase"/>. Every failure of the database to be reached or read
/// is a <see cref="StoreUnavailableException"/>.
/// </summary>
public interface IStoreReadModel
{
    /// <summary>Every script with its last success and last failure, by name.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ScriptSummary>> ListScriptsAsync(CancellationToken cancellationToken);

    /// <summary>The overview of every script, by name.</summary>
    /// <param name="query">The windows, checked.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ScriptOverview>> ReadOverviewAsync(OverviewQuery query, CancellationToken cancellationToken);

    /// <summary>The snapshots of every script, or of the named ones, read with <see cref="SnapshotRead.ReadAsync"/> in one read transaction.</summary>
    /// <param name="scriptNames">Only these scripts, checked; null for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ScriptSnapshot>> ReadSnapshotsAsync(IReadOnlyCollection<string>? scriptNames, CancellationToken cancellationToken);

    /// <summary>What the store is, its schema and its size.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<StoreInfo> ReadInfoAsync(CancellationToken cancellationToken);
}

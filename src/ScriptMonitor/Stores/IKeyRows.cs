using ScriptMonitor.Access;

namespace ScriptMonitor.Stores;

/// <summary>
/// A backend's SQL for API keys and the audit list. Keys and entries arrive checked, and entries worded, by
/// <see cref="ScriptRunStoreBase"/>. Every failure of the database to be reached or written is a
/// <see cref="Runs.StoreUnavailableException"/>.
/// </summary>
public interface IKeyRows
{
    /// <summary>Inserts a key and its audit entry in one transaction, unless a unique rule refuses the key.</summary>
    /// <param name="key">The key, checked.</param>
    /// <param name="secretHash">Its secret's hash, checked.</param>
    /// <param name="entry">The audit entry of its creation.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when inserted; false when an active key has its name, or a key its id or hash (then nothing is written).</returns>
    Task<bool> InsertAsync(ApiKey key, byte[] secretHash, AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>The key with this secret hash, revoked or not; null when none.</summary>
    /// <param name="secretHash">The hash, checked.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ApiKey?> FindAsync(byte[] secretHash, CancellationToken cancellationToken);

    /// <summary>Every key, oldest first (by creation, then id).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Revokes the active key with id <paramref name="nameOrId"/>, else the active key with that name, and records the
    /// entry <paramref name="entry"/> words for it, in one transaction.
    /// </summary>
    /// <param name="nameOrId">The id or name, checked.</param>
    /// <param name="at">When, in UTC.</param>
    /// <param name="entry">The audit entry of the revocation of a key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when a key was revoked; false when none matched (nothing is written).</returns>
    Task<bool> RevokeAsync(string nameOrId, DateTimeOffset at, Func<ApiKey, AuditEntry> entry, CancellationToken cancellationToken);

    /// <summary>Inserts an audit entry.</summary>
    /// <param name="entry">The entry, checked.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task InsertAuditAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Audit entries before <paramref name="before"/>, newest first (by instant, then order of recording).</summary>
    /// <param name="before">Only entries strictly before this instant, in UTC; null for the newest.</param>
    /// <param name="limit">How many at most, checked.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(DateTimeOffset? before, int limit, CancellationToken cancellationToken);
}

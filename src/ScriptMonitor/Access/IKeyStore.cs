namespace ScriptMonitor.Access;

/// <summary>
/// API keys and the audit list, kept in the same store as the runs. A key's secret is never stored: only its SHA-256
/// hash (<see cref="KeyValidation.SecretHashLength"/> bytes), by which a presented key is found with one index lookup.
/// Every store implements the same contract; any call may throw <see cref="Runs.StoreUnavailableException"/>.
/// </summary>
public interface IKeyStore
{
    /// <summary>Adds a key, and the audit entry that says who created it, in one transaction.</summary>
    /// <param name="key">The key; every field is checked first. It is added active (<see cref="ApiKey.RevokedAt"/> null).</param>
    /// <param name="secretHash">The SHA-256 hash of the whole key text.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Runs.ValidationException">A field breaks a rule; the error names it, and nothing is written.</exception>
    /// <exception cref="InvalidOperationException">An active key has that name, or a key has that id or hash; nothing is written.</exception>
    Task AddKeyAsync(ApiKey key, byte[] secretHash, CancellationToken cancellationToken = default);

    /// <summary>The key whose secret has this hash, revoked or not (the caller checks <see cref="ApiKey.RevokedAt"/>); null when none has.</summary>
    /// <param name="secretHash">The SHA-256 hash of the presented key text.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ApiKey?> FindKeyAsync(byte[] secretHash, CancellationToken cancellationToken = default);

    /// <summary>Every key, revoked ones too, oldest first.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ApiKey>> ListKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes the active key with this id or, when no active key has it as its id, this name; records the audit entry
    /// in the same transaction.
    /// </summary>
    /// <param name="nameOrId">The key's id or name.</param>
    /// <param name="at">When; recorded as <see cref="ApiKey.RevokedAt"/>.</param>
    /// <param name="actor">Who revokes it: an admin key's name, or <c>cli</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when a key was revoked; false when no active key matched.</returns>
    Task<bool> RevokeKeyAsync(string nameOrId, DateTimeOffset at, string actor, CancellationToken cancellationToken = default);

    /// <summary>Records one entry in the audit list.</summary>
    /// <param name="entry">The entry; every field is checked first.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Runs.ValidationException">A field breaks a rule; the error names it, and nothing is written.</exception>
    Task RecordAuditAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>The audit list, newest first, one page.</summary>
    /// <param name="before">Only entries before this instant; null for the newest.</param>
    /// <param name="limit">How many at most (1 to <see cref="Runs.RunQuery.MaxLimit"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(DateTimeOffset? before = null, int limit = Runs.RunQuery.DefaultLimit, CancellationToken cancellationToken = default);
}

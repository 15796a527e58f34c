using ScriptMonitor.Access;

namespace ScriptMonitor.Stores;

/// <summary>
/// A backend's SQL for the ping identities of scripts and the installation's ping key. Arguments arrive checked by
/// <see cref="ScriptRunStoreBase"/>. Every failure of the database to be reached or written is a
/// <see cref="Runs.StoreUnavailableException"/>.
/// </summary>
public interface IPingIdentityRows
{
    /// <summary>The script's identity; inserted with <paramref name="candidate"/> when it has none (else left as it is).</summary>
    /// <param name="scriptName">The script's name, checked.</param>
    /// <param name="candidate">The identity to insert when the script has none.</param>
    /// <param name="at">When it is made, in UTC.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<PingIdentity> EnsureAsync(string scriptName, PingIdentity candidate, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Gives the script <paramref name="identity"/>'s UUID and slug, replacing what it had, unless another script has
    /// that UUID (then nothing is written).
    /// </summary>
    /// <param name="identity">The identity, checked.</param>
    /// <param name="at">When, in UTC.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when set (or already so); false when another script has the UUID.</returns>
    Task<bool> SetAsync(PingIdentity identity, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Removes the script's identity; its UUID then names no script.</summary>
    /// <param name="scriptName">The script's name, checked.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when it had one.</returns>
    Task<bool> RemoveAsync(string scriptName, CancellationToken cancellationToken);

    /// <summary>The identity with this UUID; null when none has it.</summary>
    /// <param name="pingId">The UUID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<PingIdentity?> FindAsync(Guid pingId, CancellationToken cancellationToken);

    /// <summary>The identities with this slug, by script name.</summary>
    /// <param name="slug">The slug, checked.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<PingIdentity>> FindBySlugAsync(string slug, CancellationToken cancellationToken);

    /// <summary>Every identity, by script name.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<PingIdentity>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The installation's ping key; <paramref name="candidate"/> is stored when there is none.</summary>
    /// <param name="candidate">A new key, stored only when there is none yet.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<string> EnsurePingKeyAsync(string candidate, CancellationToken cancellationToken);

    /// <summary>Stores the installation's ping key, replacing the one there.</summary>
    /// <param name="pingKey">The key, checked.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task SetPingKeyAsync(string pingKey, CancellationToken cancellationToken);
}

using ScriptMonitor.Application.Access;

namespace ScriptMonitor.Server.Access;

/// <summary>
/// Keys as the store keeps them, through <see cref="KeyService"/>: looked up by the hash of what is presented, and
/// cached for at most <see cref="KeyService.CacheLifetime"/>, so a revocation reaches every instance within that.
/// </summary>
internal sealed class StoreCallerKeys(KeyService keys) : ICallerKeys
{
    public async ValueTask<Caller?> FindAsync(string presentedKey, CancellationToken cancellationToken) =>
        await keys.VerifyAsync(presentedKey, cancellationToken).ConfigureAwait(false) is { } key ? new Caller(key.Name, key) : null;
}

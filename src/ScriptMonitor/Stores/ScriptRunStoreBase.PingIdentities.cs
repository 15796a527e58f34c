using ScriptMonitor.Access;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Stores;

public abstract partial class ScriptRunStoreBase : IPingIdentityStore
{
    /// <inheritdoc/>
    public Task<PingIdentity> EnsurePingIdentityAsync(string scriptName, CancellationToken cancellationToken = default)
    {
        RunValidation.ScriptName(scriptName, nameof(scriptName));
        return _pingIdentities.EnsureAsync(scriptName, new PingIdentity(scriptName, Guid.NewGuid(), PingIdentity.SlugOf(scriptName)), Now, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<PingIdentity> SetPingIdentityAsync(string scriptName, Guid pingId, CancellationToken cancellationToken = default)
    {
        RunValidation.ScriptName(scriptName, nameof(scriptName));
        PingIdentity.CheckPingId(pingId, nameof(pingId));
        var identity = new PingIdentity(scriptName, pingId, PingIdentity.SlugOf(scriptName));
        if (!await _pingIdentities.SetAsync(identity, Now, cancellationToken).ConfigureAwait(false))
        {
            var holder = await _pingIdentities.FindAsync(pingId, cancellationToken).ConfigureAwait(false);
            throw new ValidationException([new FieldError(
                nameof(pingId),
                FieldRules.PingId,
                $"{nameof(pingId)} must name one script: {pingId:D} is the ping UUID of the script '{holder?.ScriptName}'.")]);
        }

        return identity;
    }

    /// <inheritdoc/>
    public Task<bool> RemovePingIdentityAsync(string scriptName, CancellationToken cancellationToken = default) =>
        _pingIdentities.RemoveAsync(RunValidation.ScriptName(scriptName, nameof(scriptName)), cancellationToken);

    /// <inheritdoc/>
    public Task<PingIdentity?> FindPingIdentityAsync(Guid pingId, CancellationToken cancellationToken = default) =>
        _pingIdentities.FindAsync(pingId, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<PingIdentity>> FindPingIdentitiesBySlugAsync(string slug, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(slug);
        return _pingIdentities.FindBySlugAsync(slug, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<PingIdentity>> ListPingIdentitiesAsync(CancellationToken cancellationToken = default) =>
        _pingIdentities.ListAsync(cancellationToken);

    /// <inheritdoc/>
    public Task<string> EnsurePingKeyAsync(CancellationToken cancellationToken = default) =>
        _pingIdentities.EnsurePingKeyAsync(PingIdentity.NewPingKey(), cancellationToken);

    /// <inheritdoc/>
    public Task SetPingKeyAsync(string pingKey, CancellationToken cancellationToken = default) =>
        _pingIdentities.SetPingKeyAsync(PingIdentity.CheckPingKey(pingKey, nameof(pingKey)), cancellationToken);
}

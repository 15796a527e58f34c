using ScriptMonitor.Access;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Access;

/// <summary>
/// API keys kept in a store, as the command line on the store's host manages them (the actor of every change is
/// <c>cli</c>). Listing and revoking create nothing; creating opens the store for writing, creating it if needed.
/// </summary>
/// <param name="access">The store.</param>
/// <param name="timeProvider">The clock that stamps creations and revocations.</param>
public sealed class StoreKeys(StoreAccess access, TimeProvider timeProvider)
{
    /// <summary>The path of the key's name or id in a refusal of <see cref="RevokeAsync"/>.</summary>
    public const string NameOrIdPath = "nameOrId";

    /// <summary>Creates a key and returns its text this once.</summary>
    /// <param name="name">The key's name.</param>
    /// <param name="scope">What it may do.</param>
    /// <param name="scriptPatterns">For an ingest key, the scripts it may record; empty for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ValidationException">A field breaks a rule (<c>key.Name</c>, <c>key.ScriptPatterns[i]</c>); nothing is opened or written.</exception>
    /// <exception cref="InvalidOperationException">An active key has that name.</exception>
    public async Task<KeyCreatedView> CreateAsync(string name, KeyScope scope, IReadOnlyList<string> scriptPatterns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scriptPatterns);

        // Checked first, so a bad value is refused before the store is opened (or created); the store checks again.
        KeyValidation.Name(name, "key.Name");
        for (var i = 0; i < scriptPatterns.Count; i++)
        {
            RunValidation.ScriptName(scriptPatterns[i], $"key.ScriptPatterns[{i}]");
        }

        using var store = access.OpenForWriting();
        var created = await new KeyService(store, timeProvider).CreateAsync(name, scope, scriptPatterns, AuditEntry.CommandLine, cancellationToken).ConfigureAwait(false);
        return new KeyCreatedView(KeyView.From(created.Key), created.Secret);
    }

    /// <summary>Adds a key whose text was made elsewhere (a Healthchecks API key, <see cref="KeyService.AdoptAsync"/>).</summary>
    /// <param name="name">The key's name.</param>
    /// <param name="scope">Admin or read.</param>
    /// <param name="secret">The key text.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ValidationException">A field breaks a rule (<c>key.Name</c>, <c>key.Secret</c>); nothing is opened or written.</exception>
    /// <exception cref="InvalidOperationException">An active key has that name, or a key that text.</exception>
    public async Task<KeyCreatedView> AdoptAsync(string name, KeyScope scope, string secret, CancellationToken cancellationToken = default)
    {
        KeyValidation.Name(name, "key.Name");
        KeyService.CheckAdoptedSecret(secret, scope, "key.Secret");
        using var store = access.OpenForWriting();
        var created = await new KeyService(store, timeProvider).AdoptAsync(name, scope, secret, AuditEntry.CommandLine, cancellationToken).ConfigureAwait(false);
        return new KeyCreatedView(KeyView.From(created.Key), created.Secret);
    }

    /// <summary>Every key of the store, oldest first, revoked ones too.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<KeyListView> ListAsync(CancellationToken cancellationToken = default)
    {
        using var store = access.OpenForReading();
        var keys = store is null ? [] : await store.ListKeysAsync(cancellationToken).ConfigureAwait(false);
        return new KeyListView(access.Location.ToString(), [.. keys.Select(KeyView.From)]);
    }

    /// <summary>Revokes the active key with this id or name.</summary>
    /// <param name="nameOrId">The key's id or name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ValidationException"><paramref name="nameOrId"/> cannot be a key's name or id.</exception>
    public async Task<KeyRevokedView> RevokeAsync(string nameOrId, CancellationToken cancellationToken = default)
    {
        RunValidation.ScriptName(nameOrId, NameOrIdPath);
        using var store = access.OpenExisting();
        var revoked = store is not null
            && await new KeyService(store, timeProvider).RevokeAsync(nameOrId, AuditEntry.CommandLine, cancellationToken).ConfigureAwait(false);
        return new KeyRevokedView(nameOrId, revoked);
    }
}

using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ScriptMonitor.Access;

namespace ScriptMonitor.Application.Access;

/// <summary>
/// Creates, verifies, lists and revokes API keys. A key is <c>smk_</c> and 32 random bytes in base64url without padding;
/// the store keeps only its SHA-256 hash, so a stolen database holds no key that works. A presented key is found by
/// its hash with one index lookup: the key is long and random, so a fast hash is enough, and a password KDF would only
/// make every request slow.
/// </summary>
/// <remarks>
/// Verified keys are cached in memory by hash for at most <see cref="CacheLifetime"/>, so a busy server does not look
/// up the same key on every request. A revocation therefore reaches every server instance within that time: one that
/// verified the key just before it was revoked elsewhere accepts it until its cached entry expires. A revocation
/// through this instance takes effect here at once.
/// </remarks>
public sealed class KeyService
{
    /// <summary>What every key text starts with, so that a key is recognised in a config file or a leak scanner.</summary>
    public const string Prefix = "smk_";

    /// <summary>How many random bytes a key holds: 256 bits, beyond any guessing.</summary>
    public const int SecretBytes = 32;

    /// <summary>How long a key text is: the prefix and the random bytes in base64url without padding.</summary>
    public static readonly int KeyLength = Prefix.Length + Base64Url.GetEncodedLength(SecretBytes);

    /// <summary>The longest a verified key is trusted without asking the store again: the bound on a revocation's delay.</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(5);

    /// <summary>The most keys held in the cache; past it the cache starts again, so presenting many keys cannot grow it.</summary>
    private const int MaxCachedKeys = 10_000;

    /// <summary>Random bytes for an id: 5 bytes are 40 bits, 8 characters of base32.</summary>
    private const int IdBytes = 5;

    private readonly IKeyStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly ConcurrentDictionary<string, CachedKey> _cache = new(StringComparer.Ordinal);

    /// <summary>Creates the service over a store.</summary>
    /// <param name="store">Where keys live.</param>
    /// <param name="timeProvider">The clock that stamps creations and revocations and ages the cache.</param>
    public KeyService(IKeyStore store, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _store = store;
        _timeProvider = timeProvider;
    }

    /// <summary>Creates a key, stores its hash, and returns its text this once.</summary>
    /// <param name="name">The key's name, unique among active keys.</param>
    /// <param name="scope">What it may do.</param>
    /// <param name="scriptPatterns">For an ingest key, the scripts it may record (globs); empty for all. Empty for other scopes.</param>
    /// <param name="actor">Who creates it: an admin key's name, or <c>cli</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Runs.ValidationException">A field breaks a rule (<c>key.Name</c>, <c>key.ScriptPatterns[i]</c>, <c>key.CreatedBy</c>).</exception>
    /// <exception cref="InvalidOperationException">An active key has that name.</exception>
    public async Task<CreatedKey> CreateAsync(string name, KeyScope scope, IReadOnlyList<string> scriptPatterns, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scriptPatterns);
        var random = RandomNumberGenerator.GetBytes(SecretBytes + IdBytes);
        var secret = Prefix + Base64Url.EncodeToString(random.AsSpan(0, SecretBytes));
        var key = new ApiKey(NewId(random.AsSpan(SecretBytes)), name, scope, [.. scriptPatterns], _timeProvider.GetUtcNow(), actor);
        await _store.AddKeyAsync(key, Hash(secret), cancellationToken).ConfigureAwait(false);
        return new CreatedKey(key with { CreatedAt = Runs.Timestamps.Normalize(key.CreatedAt) }, secret);
    }

    /// <summary>What a Healthchecks read-write key text starts with.</summary>
    public const string HealthchecksReadWritePrefix = "hcw_";

    /// <summary>What a Healthchecks read-only key text starts with.</summary>
    public const string HealthchecksReadOnlyPrefix = "hcr_";

    /// <summary>How long a Healthchecks key text is: its prefix and 28 characters, or 32 characters for a key made before the prefixes.</summary>
    public const int HealthchecksKeyLength = 32;

    /// <summary>
    /// Adds a key whose text was made elsewhere: a Healthchecks API key that its clients (Terraform, dashboards) hold
    /// already, so that they keep working when their base URL changes. The text is <c>hcw_</c> and 28 characters
    /// for an admin key, <c>hcr_</c> and 28 for a read key, or 32 characters (a Healthchecks key from before the
    /// prefixes) for either, of <c>A-Z a-z 0-9 - _</c>. Only its hash is stored, as for a made key.
    /// </summary>
    /// <param name="name">The key's name, unique among active keys.</param>
    /// <param name="scope">Admin or read.</param>
    /// <param name="secret">The key text.</param>
    /// <param name="actor">Who adds it: an admin key's name, or <c>cli</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Runs.ValidationException">
    /// The text is not such a key, or its prefix says another scope (<c>key.Secret</c>); a field of the key breaks a rule.
    /// </exception>
    /// <exception cref="InvalidOperationException">An active key has that name, or a key that text.</exception>
    public async Task<CreatedKey> AdoptAsync(string name, KeyScope scope, string secret, string actor, CancellationToken cancellationToken = default)
    {
        CheckAdoptedSecret(secret, scope, "key.Secret");
        var key = new ApiKey(NewId(RandomNumberGenerator.GetBytes(IdBytes)), name, scope, [], _timeProvider.GetUtcNow(), actor);
        await _store.AddKeyAsync(key, Hash(secret), cancellationToken).ConfigureAwait(false);
        return new CreatedKey(key with { CreatedAt = Runs.Timestamps.Normalize(key.CreatedAt) }, secret);
    }

    /// <summary>Checks the text of a key made elsewhere (<see cref="AdoptAsync"/>) against the scope it is given.</summary>
    /// <param name="secret">The key text.</param>
    /// <param name="scope">The scope it is given.</param>
    /// <param name="path">The field's name in a refusal.</param>
    /// <exception cref="Runs.ValidationException">The text is not such a key, or its prefix says another scope.</exception>
    public static void CheckAdoptedSecret(string secret, KeyScope scope, string path)
    {
        ArgumentNullException.ThrowIfNull(secret);
        string? problem = null;
        if (!IsHealthchecksKey(secret))
        {
            problem = $"{path} must be a Healthchecks API key: '{HealthchecksReadWritePrefix}' or '{HealthchecksReadOnlyPrefix}' and 28 characters, or 32 characters, of A-Z, a-z, 0-9, '-' and '_'.";
        }
        else if (scope is not (KeyScope.Admin or KeyScope.Read))
        {
            problem = $"{path} can be given to an admin or read key only (Healthchecks has no ingest keys).";
        }
        else if ((secret.StartsWith(HealthchecksReadWritePrefix, StringComparison.Ordinal) && scope != KeyScope.Admin)
            || (secret.StartsWith(HealthchecksReadOnlyPrefix, StringComparison.Ordinal) && scope != KeyScope.Read))
        {
            problem = $"{path} starting '{secret[..4]}' is a Healthchecks {(scope == KeyScope.Admin ? "read-only" : "read-write")} key: give it to {(scope == KeyScope.Admin ? "a read" : "an admin")} key.";
        }

        if (problem is not null)
        {
            throw new Runs.ValidationException([new Runs.FieldError(path, Runs.FieldRules.KeySecret, problem)]);
        }
    }

    private static bool IsHealthchecksKey(string text) =>
        text.Length == HealthchecksKeyLength && text.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_');

    /// <summary>
    /// The active key a presented key text is, or null: not a key's text, unknown, or revoked. Never throws for what
    /// was presented, only when the store cannot be asked.
    /// </summary>
    /// <param name="presented">The key text as presented (a bearer token, an <c>X-Api-Key</c> header).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<ApiKey?> VerifyAsync(string? presented, CancellationToken cancellationToken = default)
    {
        if (presented is null || !((presented.Length == KeyLength && presented.StartsWith(Prefix, StringComparison.Ordinal)) || IsHealthchecksKey(presented)))
        {
            return null;
        }

        var hash = Hash(presented);
        var cacheKey = Convert.ToHexString(hash);
        var now = _timeProvider.GetUtcNow();
        if (_cache.TryGetValue(cacheKey, out var cached) && now - cached.FetchedAt < CacheLifetime && CryptographicOperations.FixedTimeEquals(cached.Hash, hash))
        {
            return cached.Key.IsActive ? cached.Key : null;
        }

        var key = await _store.FindKeyAsync(hash, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            // Unknown keys are not cached: anyone may present any number of them.
            _cache.TryRemove(cacheKey, out _);
            return null;
        }

        if (_cache.Count >= MaxCachedKeys)
        {
            _cache.Clear();
        }

        _cache[cacheKey] = new CachedKey(hash, key, now);
        return key.IsActive ? key : null;
    }

    /// <summary>Whether a key may record runs of a script: admin always, read never, ingest when one of its patterns matches (or it has none).</summary>
    /// <param name="key">The verified key.</param>
    /// <param name="scriptName">The script's name.</param>
    public static bool AllowsScript(ApiKey key, string scriptName)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(scriptName);
        return key.Scope switch
        {
            KeyScope.Admin => true,
            KeyScope.Ingest => ScriptPattern.AnyMatch(key.ScriptPatterns, scriptName),
            _ => false,
        };
    }

    /// <summary>Every key, revoked ones too, oldest first; never a secret or a hash.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken = default) => _store.ListKeysAsync(cancellationToken);

    /// <summary>Revokes the active key with this id or name; this instance stops accepting it at once.</summary>
    /// <param name="nameOrId">The key's id or name.</param>
    /// <param name="actor">Who revokes it: an admin key's name, or <c>cli</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when a key was revoked; false when no active key matched.</returns>
    public async Task<bool> RevokeAsync(string nameOrId, string actor, CancellationToken cancellationToken = default)
    {
        var revoked = await _store.RevokeKeyAsync(nameOrId, _timeProvider.GetUtcNow(), actor, cancellationToken).ConfigureAwait(false);
        if (revoked)
        {
            // The key's hash is not known by its name: every cached key is asked for again.
            _cache.Clear();
        }

        return revoked;
    }

    /// <summary>The SHA-256 hash of a key text, as the store keeps it.</summary>
    /// <param name="keyText">The whole key text.</param>
    public static byte[] Hash(string keyText)
    {
        ArgumentNullException.ThrowIfNull(keyText);
        return SHA256.HashData(Encoding.UTF8.GetBytes(keyText));
    }

    private static string NewId(ReadOnlySpan<byte> random)
    {
        ulong bits = 0;
        foreach (var b in random)
        {
            bits = (bits << 8) | b;
        }

        var id = new char[KeyValidation.IdLength];
        for (var i = id.Length - 1; i >= 0; i--)
        {
            id[i] = KeyValidation.IdAlphabet[(int)(bits & 31)];
            bits >>= 5;
        }

        return new string(id);
    }

    private sealed record CachedKey(byte[] Hash, ApiKey Key, DateTimeOffset FetchedAt);
}

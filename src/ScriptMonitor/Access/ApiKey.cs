namespace ScriptMonitor.Access;

/// <summary>
/// An API key as a store keeps it: everything but its secret, of which the store keeps only a hash
/// (<see cref="IKeyStore.AddKeyAsync"/>). Nothing here is secret; it may be listed and logged.
/// </summary>
/// <param name="Id">A short public id, unique among all keys, revoked or not (<see cref="KeyValidation.IdLength"/> lower-case letters and digits).</param>
/// <param name="Name">A name for people, 1 to <see cref="KeyValidation.MaxNameLength"/> characters by the rules of a script's name; unique among keys not revoked.</param>
/// <param name="Scope">What the key may do.</param>
/// <param name="ScriptPatterns">
/// For an ingest key, the scripts it may record runs of: globs over script names, <c>*</c> for any run of characters and
/// <c>?</c> for one; empty for every script. Empty for the other scopes.
/// </param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="CreatedBy">Who created it: the name of an admin key, or <c>cli</c>.</param>
public sealed record ApiKey(string Id, string Name, KeyScope Scope, IReadOnlyList<string> ScriptPatterns, DateTimeOffset CreatedAt, string CreatedBy)
{
    /// <summary>When it was revoked; null while it is active.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Whether it has not been revoked.</summary>
    public bool IsActive => RevokedAt is null;

    /// <inheritdoc/>
    public bool Equals(ApiKey? other) =>
        other is not null
        && Id == other.Id
        && Name == other.Name
        && Scope == other.Scope
        && ScriptPatterns.SequenceEqual(other.ScriptPatterns)
        && CreatedAt == other.CreatedAt
        && CreatedBy == other.CreatedBy
        && RevokedAt == other.RevokedAt;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Id, Name, Scope, CreatedAt, CreatedBy, RevokedAt);
}

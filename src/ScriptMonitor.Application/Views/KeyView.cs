using ScriptMonitor.Access;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Views;

/// <summary>An API key as every front end shows it (<c>scriptmon key list --json</c>): never its secret or its hash.</summary>
/// <param name="Id">Its short public id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Scope"><c>ingest</c>, <c>read</c> or <c>admin</c>.</param>
/// <param name="Scripts">For an ingest key, the script patterns it may record; empty for every script.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="CreatedBy">Who created it: an admin key's name, or <c>cli</c>.</param>
/// <param name="RevokedAt">When it was revoked; null while it is active.</param>
public sealed record KeyView(string Id, string Name, string Scope, IReadOnlyList<string> Scripts, string CreatedAt, string CreatedBy, string? RevokedAt)
{
    /// <summary>The view of a key.</summary>
    /// <param name="key">The key.</param>
    public static KeyView From(ApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new KeyView(
            key.Id,
            key.Name,
            ScopeName(key.Scope),
            key.ScriptPatterns,
            Timestamps.FormatIso(key.CreatedAt),
            key.CreatedBy,
            key.RevokedAt is { } revoked ? Timestamps.FormatIso(revoked) : null);
    }

    /// <summary>A scope as front ends name it: <c>ingest</c>, <c>read</c>, <c>admin</c>.</summary>
    /// <param name="scope">The scope.</param>
    public static string ScopeName(KeyScope scope) => scope switch
    {
        KeyScope.Ingest => "ingest",
        KeyScope.Read => "read",
        KeyScope.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "Not a key scope."),
    };
}

/// <summary>Every key of a store (<c>scriptmon key list --json</c>).</summary>
/// <param name="Store">The store, as people read it.</param>
/// <param name="Keys">The keys, oldest first, revoked ones too.</param>
public sealed record KeyListView(string Store, IReadOnlyList<KeyView> Keys);

/// <summary>A key just created (<c>scriptmon key create --json</c>): the only time its text is shown.</summary>
/// <param name="Key">The key.</param>
/// <param name="Secret">The whole key text, kept nowhere.</param>
public sealed record KeyCreatedView(KeyView Key, string Secret)
{
    /// <summary>Keeps the secret out of logs and debugger views.</summary>
    public override string ToString() => $"KeyCreatedView {{ Key = {Key} }}";
}

/// <summary>What revoking a key did (<c>scriptmon key revoke --json</c>).</summary>
/// <param name="Key">The name or id given.</param>
/// <param name="Revoked">True when an active key was revoked; false when none matched.</param>
public sealed record KeyRevokedView(string Key, bool Revoked);

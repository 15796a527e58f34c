using ScriptMonitor.Access;

namespace ScriptMonitor.Server.Access;

/// <summary>Who made a request: the key it presented, or anonymous.</summary>
/// <param name="Name">The key's name, for the audit list and logs; "anonymous" without a key.</param>
/// <param name="Key">The key; null for an anonymous caller.</param>
internal sealed record Caller(string Name, ApiKey? Key)
{
    public static Caller Anonymous { get; } = new("anonymous", null);

    /// <summary>Whether this caller may make a call that needs <paramref name="needed"/>: admin may do everything.</summary>
    public bool May(KeyScope needed) => Key is { } key && (key.Scope == KeyScope.Admin || key.Scope == needed);
}

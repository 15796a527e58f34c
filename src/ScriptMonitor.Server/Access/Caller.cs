namespace ScriptMonitor.Server.Access;

/// <summary>Who made a request: the name of its key and what the key allows, or anonymous.</summary>
/// <param name="Name">The key's name, for the audit list and logs; "anonymous" without a key.</param>
/// <param name="Scope">What the key allows; null for an anonymous caller.</param>
internal sealed record Caller(string Name, ApiScope? Scope)
{
    public static Caller Anonymous { get; } = new("anonymous", null);

    /// <summary>Whether this caller may make a call that needs <paramref name="needed"/>.</summary>
    public bool May(ApiScope needed) => Scope == ApiScope.Admin || Scope == needed;
}

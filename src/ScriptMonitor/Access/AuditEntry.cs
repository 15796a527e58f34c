namespace ScriptMonitor.Access;

/// <summary>One change made to the store by someone who holds the right to make it: who, what, to what, when.</summary>
/// <param name="At">When.</param>
/// <param name="Actor">Who: the name of the key that made the change, or <c>cli</c> for the command line on the store's host.</param>
/// <param name="Action">What, as a short dotted word: <c>key.create</c>, <c>key.revoke</c>, <c>expectation.put</c>, <c>script.pause</c>.</param>
/// <param name="Target">What it was done to: a key's name, a script's name.</param>
/// <param name="Detail">More for people, at most <see cref="MaxDetailLength"/> characters; null for nothing more.</param>
public sealed record AuditEntry(DateTimeOffset At, string Actor, string Action, string Target, string? Detail = null)
{
    /// <summary>The most characters <see cref="Detail"/> may hold: a sentence or two, not a document.</summary>
    public const int MaxDetailLength = 1000;

    /// <summary>The most characters <see cref="Action"/> may hold.</summary>
    public const int MaxActionLength = 64;

    /// <summary>The actor of a change made with the command line on the store's host rather than with a key.</summary>
    public const string CommandLine = "cli";
}

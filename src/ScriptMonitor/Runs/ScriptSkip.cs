namespace ScriptMonitor.Runs;

/// <summary>
/// A run that did not start because another run of the script still held its lock. Not a run, and never a success:
/// a script skipped again and again has a holder that is stuck, which is an outage of its own.
/// </summary>
/// <param name="EventId">Identifies the event, so that delivering it twice (from a spool) stores it once.</param>
/// <param name="ScriptName">The script whose run was skipped.</param>
/// <param name="Hostname">The host it was skipped on.</param>
/// <param name="SkippedAt">When it was skipped, in UTC.</param>
/// <param name="Holder">Who held the lock, as far as is known (<c>pid 4242 since 2026-11-29T02:15:00Z</c>).</param>
public sealed record ScriptSkip(Guid EventId, string ScriptName, string Hostname, DateTimeOffset SkippedAt, string Holder)
{
    /// <summary>The most characters of <see cref="Holder"/> a store keeps.</summary>
    public const int MaxHolderLength = 1024;
}

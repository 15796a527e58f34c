namespace ScriptMonitor.Server.Access;

/// <summary>Tells the caller a presented key belongs to.</summary>
internal interface ICallerKeys
{
    /// <summary>The caller the key belongs to, or null for a key that is unknown or revoked.</summary>
    ValueTask<Caller?> FindAsync(string presentedKey, CancellationToken cancellationToken);
}

namespace ScriptMonitor.Server.Access;

/// <summary>No keys exist yet: every key presented is unknown.</summary>
internal sealed class NoCallerKeys : ICallerKeys
{
    public ValueTask<Caller?> FindAsync(string presentedKey, CancellationToken cancellationToken) => ValueTask.FromResult<Caller?>(null);
}

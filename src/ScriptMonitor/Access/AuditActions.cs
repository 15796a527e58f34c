namespace ScriptMonitor.Access;

/// <summary>The actions of audit entries the store words itself (<see cref="AuditEntry.Action"/>).</summary>
public static class AuditActions
{
    /// <summary>A key was created; the target is its name.</summary>
    public const string KeyCreate = "key.create";

    /// <summary>A key was revoked; the target is its name.</summary>
    public const string KeyRevoke = "key.revoke";
}

namespace ScriptMonitor.Health;

/// <summary>A Monitoring Plugins status; the value is the plugin's exit code.</summary>
internal enum CheckStatus
{
    Ok = 0,
    Warning = 1,
    Critical = 2,
    Unknown = 3,
}

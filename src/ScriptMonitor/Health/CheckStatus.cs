namespace ScriptMonitor.Health;

/// <summary>A Monitoring Plugins status; the value is the plugin's exit code.</summary>
public enum CheckStatus
{
    /// <summary>Everything checked is as expected.</summary>
    Ok = 0,

    /// <summary>Something needs a look soon.</summary>
    Warning = 1,

    /// <summary>Something is wrong now.</summary>
    Critical = 2,

    /// <summary>The check could not be answered.</summary>
    Unknown = 3,
}

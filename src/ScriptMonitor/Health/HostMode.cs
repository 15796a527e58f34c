namespace ScriptMonitor.Health;

/// <summary>Which hosts a script must run on.</summary>
public enum HostMode
{
    /// <summary>A run on any host counts.</summary>
    Any = 0,

    /// <summary>Each host of the list must run it.</summary>
    Each = 1,

    /// <summary>At least <see cref="HostRequirement.MinimumCount"/> hosts of the list must run it.</summary>
    AtLeast = 2,
}

namespace ScriptMonitor.Application.Recording;

/// <summary>Where a record went.</summary>
public enum RecordingOutcome
{
    /// <summary>The store took it.</summary>
    Stored,

    /// <summary>The store refused it as breaking a rule, for good; it was logged, not spooled.</summary>
    Refused,

    /// <summary>The store could not take it now; it waits in the spool.</summary>
    Spooled,

    /// <summary>Neither the store nor the spool could take it; it was logged as lost.</summary>
    Lost,
}

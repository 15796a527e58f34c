namespace ScriptMonitor.Runs;

/// <summary>Where a run stands.</summary>
public enum RunOutcome
{
    /// <summary>Started and not yet completed.</summary>
    Running = 0,

    /// <summary>Completed successfully.</summary>
    Succeeded = 1,

    /// <summary>Completed with a failure (an exception, a non-zero exit, a signal, a timeout).</summary>
    Failed = 2,

    /// <summary>
    /// Never completed: the process that ran it is known to be gone (killed, out of memory, a reboot), or it outlived
    /// every bound. A completion that arrives later still replaces it.
    /// </summary>
    Abandoned = 3,
}

namespace ScriptMonitor.Health;

/// <summary>
/// The health of a script or a host. The values are ordered from good to bad: a script with several problems
/// reports the greatest.
/// </summary>
public enum HealthState
{
    /// <summary>Everything as expected.</summary>
    Up = 0,

    /// <summary>Alerting is paused by its expectation.</summary>
    Paused = 1,

    /// <summary>
    /// A maintenance window of the script or of one of its tags is open: nothing is expected of it and nothing is
    /// notified until the window closes.
    /// </summary>
    Maintenance = 2,

    /// <summary>No schedule set and too little history to learn one yet; failures are still alerted on.</summary>
    Learning = 3,

    /// <summary>Runs started more often in the recent window than the schedule expects.</summary>
    TooOften = 4,

    /// <summary>Runs started less often in the recent window than the schedule expects.</summary>
    TooRare = 5,

    /// <summary>The last successful run was shorter than the minimum or the learned band.</summary>
    RuntimeTooShort = 6,

    /// <summary>The last successful run was longer than the maximum or the learned band.</summary>
    RuntimeTooLong = 7,

    /// <summary>An expectation is set but no run was ever recorded.</summary>
    NeverRan = 8,

    /// <summary>
    /// A run started later than the instant of the evaluation: the clock of the host that recorded it, or of the one
    /// evaluating, is wrong. Such runs do not count as on time.
    /// </summary>
    FutureRun = 9,

    /// <summary>A run in progress is older than the maximum runtime or the learned band.</summary>
    RunningTooLong = 10,

    /// <summary>No successful run within the schedule's due time plus grace.</summary>
    Late = 11,

    /// <summary>Several due runs missed in a row, or an expected host has never succeeded.</summary>
    Missing = 12,

    /// <summary>
    /// Runs were skipped several times in a row because another run still held the script's lock: a holder that is
    /// stuck is an outage of its own.
    /// </summary>
    Skipped = 13,

    /// <summary>
    /// The last run never completed: its process is gone (killed, out of memory, a reboot), or it outlived the time
    /// after which a run is presumed gone. Counted as a failure; a later run that completes ends it.
    /// </summary>
    Abandoned = 14,

    /// <summary>More consecutive runs failed than the expectation tolerates.</summary>
    Failing = 15,

    /// <summary>The script's stored data cannot be evaluated; the reason says why. Other scripts are not affected.</summary>
    Unknown = 16,
}

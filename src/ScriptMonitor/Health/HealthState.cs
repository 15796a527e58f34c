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

    /// <summary>No schedule set and too little history to learn one yet; failures are still alerted on.</summary>
    Learning = 2,

    /// <summary>Runs started more often in the recent window than the schedule expects.</summary>
    TooOften = 3,

    /// <summary>Runs started less often in the recent window than the schedule expects.</summary>
    TooRare = 4,

    /// <summary>The last successful run was shorter than the minimum or the learned band.</summary>
    RuntimeTooShort = 5,

    /// <summary>The last successful run was longer than the maximum or the learned band.</summary>
    RuntimeTooLong = 6,

    /// <summary>An expectation is set but no run was ever recorded.</summary>
    NeverRan = 7,

    /// <summary>
    /// A run started later than the instant of the evaluation: the clock of the host that recorded it, or of the one
    /// evaluating, is wrong. Such runs do not count as on time.
    /// </summary>
    FutureRun = 8,

    /// <summary>A run in progress is older than the maximum runtime or the learned band.</summary>
    RunningTooLong = 9,

    /// <summary>No successful run within the schedule's due time plus grace.</summary>
    Late = 10,

    /// <summary>Several due runs missed in a row, or an expected host has never succeeded.</summary>
    Missing = 11,

    /// <summary>
    /// Runs were skipped several times in a row because another run still held the script's lock: a holder that is
    /// stuck is an outage of its own.
    /// </summary>
    Skipped = 12,

    /// <summary>
    /// The last run never completed: its process is gone (killed, out of memory, a reboot), or it outlived the time
    /// after which a run is presumed gone. Counted as a failure; a later run that completes ends it.
    /// </summary>
    Abandoned = 13,

    /// <summary>More consecutive runs failed than the expectation tolerates.</summary>
    Failing = 14,

    /// <summary>The script's stored data cannot be evaluated; the reason says why. Other scripts are not affected.</summary>
    Unknown = 15,
}

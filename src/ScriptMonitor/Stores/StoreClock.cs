using ScriptMonitor.Runs;

namespace ScriptMonitor.Stores;

/// <summary>
/// "In the future" judged by a store's own clock: a store shared by many hosts (a database server) refuses a run
/// further ahead of its clock than hosts' clocks may disagree, since the clock of the host that records may be the
/// wrong one, and its runs would hide a stopped job for as long.
/// </summary>
public static class StoreClock
{
    /// <summary>How far ahead of the store's clock a run's start or end may be: as far as hosts' clocks may disagree.</summary>
    public static TimeSpan MaxSkew => RunValidation.MaxFutureSkew;

    /// <summary>Refuses a run whose start or end is more than <see cref="MaxSkew"/> ahead of the store's clock.</summary>
    /// <param name="run">The run, as it was to be written.</param>
    /// <param name="storeNow">The store's clock when it refused the write.</param>
    /// <param name="clock">The store's clock, as a message names it: "the PostgreSQL server's clock".</param>
    /// <param name="time">Its time, as a message names it: "the server's time".</param>
    /// <exception cref="ValidationException">The run's start or end is too far ahead.</exception>
    public static void RefuseAhead(ScriptRun run, DateTimeOffset storeNow, string clock, string time)
    {
        ArgumentNullException.ThrowIfNull(run);
        foreach (var (instant, name) in new[] { ((DateTimeOffset?)run.StartedAt, "startedAt"), (run.CompletedAt, "completedAt") })
        {
            if (instant is { } value)
            {
                RunValidation.NotAheadOf(value, name, storeNow, $"{name} ({Timestamps.Format(value)}) must not be more than {MaxSkew.TotalHours:0} hours ahead of {clock} ({time} is {Timestamps.Format(storeNow)}); check the clock of this host.");
            }
        }
    }
}

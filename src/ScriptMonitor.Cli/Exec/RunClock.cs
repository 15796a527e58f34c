namespace ScriptMonitor.Cli.Exec;

/// <summary>
/// When a run started and how long it took. The start is an instant of the wall clock; the duration is measured on
/// the monotonic clock around the job, so a clock step during the run (NTP, a VM resumed, an operator's
/// <c>date -s</c>) changes neither: a 2-second job is recorded as 2 seconds, whatever the wall clock did meanwhile.
/// </summary>
internal sealed class RunClock
{
    private readonly TimeProvider _time;
    private readonly long _start;

    private RunClock(TimeProvider time)
    {
        _time = time;
        StartedAt = Runs.Timestamps.Normalize(time.GetUtcNow());
        _start = time.GetTimestamp();
    }

    /// <summary>The wall-clock instant the run started.</summary>
    internal DateTimeOffset StartedAt { get; }

    /// <summary>A monotonic reading, for <see cref="Elapsed"/> and <see cref="CompletedAt"/>.</summary>
    internal long Now => _time.GetTimestamp();

    /// <summary>Starts the clock: now.</summary>
    internal static RunClock Start(TimeProvider time) => new(time);

    /// <summary>The monotonic time from the start to <paramref name="timestamp"/>.</summary>
    internal TimeSpan Elapsed(long timestamp)
    {
        var elapsed = _time.GetElapsedTime(_start, timestamp);
        return elapsed < TimeSpan.Zero ? TimeSpan.Zero : elapsed;
    }

    /// <summary>The instant a run that ended at <paramref name="timestamp"/> completed: the start plus the monotonic duration.</summary>
    internal DateTimeOffset CompletedAt(long timestamp) => Runs.Timestamps.Normalize(StartedAt + Elapsed(timestamp));
}

using ScriptMonitor.Cli.Exec;

namespace ScriptMonitor.Cli.Tests.Exec;

/// <summary>A run's duration comes from the monotonic clock, whatever the wall clock does meanwhile.</summary>
public sealed class RunClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 4, 0, 0, TimeSpan.Zero);

    public static TheoryData<TimeSpan> WallClockSteps => new()
    {
        TimeSpan.FromDays(3),
        -TimeSpan.FromHours(1),
        TimeSpan.Zero,
    };

    [Theory]
    [MemberData(nameof(WallClockSteps))]
    public void A_two_second_run_is_recorded_as_two_seconds_whatever_the_wall_clock_did(TimeSpan step)
    {
        var time = new SteppedClock(Start);
        var clock = RunClock.Start(time);

        time.Run(TimeSpan.FromSeconds(2), step);
        var completedAt = clock.CompletedAt(clock.Now);

        Assert.Equal(Start, clock.StartedAt);
        Assert.Equal(TimeSpan.FromSeconds(2), completedAt - clock.StartedAt);
    }

    /// <summary>A clock whose wall time can be stepped apart from its monotonic time, as NTP or an operator steps a host's.</summary>
    private sealed class SteppedClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _wall = start;
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override DateTimeOffset GetUtcNow() => _wall;

        public override long GetTimestamp() => _ticks;

        /// <summary>Lets <paramref name="elapsed"/> pass, during which the wall clock is also stepped by <paramref name="step"/>.</summary>
        public void Run(TimeSpan elapsed, TimeSpan step)
        {
            _ticks += elapsed.Ticks;
            _wall += elapsed + step;
        }
    }
}

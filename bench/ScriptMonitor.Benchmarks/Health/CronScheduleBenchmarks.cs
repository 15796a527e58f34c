using BenchmarkDotNet.Attributes;
using ScriptMonitor.Health;

namespace ScriptMonitor.Benchmarks.Health;

/// <summary>
/// The schedule calls on the health evaluation's path: the latest occurrence at or before an instant (availability,
/// the rate window) and the next one after it (counting missed runs), for the kinds of schedules people write.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class CronScheduleBenchmarks
{
    private static readonly DateTimeOffset Instant = new(2026, 3, 2, 12, 7, 30, TimeSpan.Zero);

    private CronSchedule _schedule = null!;

    [Params(
        "0 * * * *|UTC",
        "30 2 * * *|Europe/Berlin",
        "*/15 * * * 1-5|America/New_York",
        "0 0 1-7 * 1|Europe/Berlin",
        "0 0 29 2 *|UTC")]
    public string Case { get; set; } = "0 * * * *|UTC";

    [GlobalSetup]
    public void Setup()
    {
        var parts = Case.Split('|');
        _schedule = Schedule.Cron(parts[0], parts[1]);
    }

    [Benchmark]
    public DateTimeOffset? Previous() => _schedule.Previous(Instant);

    [Benchmark]
    public DateTimeOffset? Next() => _schedule.Next(Instant);
}

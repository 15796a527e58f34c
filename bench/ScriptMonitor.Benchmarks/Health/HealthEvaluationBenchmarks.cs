using BenchmarkDotNet.Attributes;
using ScriptMonitor.Health;
using ScriptMonitor.Sqlite;

namespace ScriptMonitor.Benchmarks.Health;

/// <summary>
/// Evaluating every script of a store: 10,000 scripts with 1,000,000 runs, one in ten with a set expectation (half
/// of them hourly cron schedules in five time zones) and the rest learned. The scripts with an expectation tolerate
/// <see cref="FailuresTolerated"/> failures: 100, the most an expectation may, makes the store read their newest 101
/// runs rather than 24; 1 is the population before that limit was lifted. Target: under 500 ms for the whole pass
/// (read and evaluate) with 100.
/// </summary>
[MedianColumn]
[MemoryDiagnoser]
[ShortRunJob]
public class HealthEvaluationBenchmarks
{
    private const int Scripts = 10_000;
    private const int Runs = 1_000_000;

    /// <summary>Every tenth script gets an expectation, so both the configured and the learned paths are measured.</summary>
    private const int ExpectationEvery = 10;

    /// <summary>
    /// The cron schedules are read in these zones in turn: UTC, zones with daylight-saving time (a half-hour one
    /// among them) and one a quarter of an hour off, so the evaluation pays for zone offsets and clock changes.
    /// </summary>
    private static readonly string[] CronZones = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu"];

    private SqliteScriptRunStore _store = null!;
    private HealthMonitor _monitor = null!;

    /// <summary>The failures tolerated by every script with an expectation.</summary>
    [Params(1, 100)]
    public int FailuresTolerated { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _store = SqliteScriptRunStore.Open(BenchmarkData.SqliteWithRuns(Scripts, Runs), new SqliteStoreOptions { FlushEveryCommit = false });
        for (var s = 0; s < Scripts; s += ExpectationEvery)
        {
            _store.SetExpectationAsync(new ScriptExpectation(BenchmarkData.ScriptName(s))
            {
                Schedule = s % (2 * ExpectationEvery) == 0 ? Schedule.Every(TimeSpan.FromHours(1)) : Schedule.Cron("0 * * * *", CronZones[(s / ExpectationEvery) % CronZones.Length]),
                Grace = TimeSpan.FromMinutes(10),
                MaxRuntime = TimeSpan.FromMinutes(5),
                FailuresTolerated = FailuresTolerated,
            }).GetAwaiter().GetResult();
        }

        // Half an hour after the last hourly round of runs was written.
        var lastRound = BenchmarkData.Origin.AddHours((Runs / Scripts) - 1);
        _monitor = new HealthMonitor(_store, new FixedTimeProvider(lastRound.AddMinutes(30)));
    }

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    [Benchmark(Description = "Evaluate all, 10k scripts / 1M runs")]
    public IReadOnlyList<ScriptHealth> EvaluateAll() => _monitor.EvaluateAsync().GetAwaiter().GetResult();

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

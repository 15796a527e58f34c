using BenchmarkDotNet.Attributes;
using ScriptMonitor.Runs;
using ScriptMonitor.Sqlite;

namespace ScriptMonitor.Benchmarks.Runs;

/// <summary>GetLastActivity with 1,000,000 runs over 1,000 scripts. Target: median under 50 µs.</summary>
[MedianColumn]
public class LastActivityBenchmarks
{
    private const int Scripts = 1_000;
    private const int Runs = 1_000_000;

    private SqliteScriptRunStore _store = null!;
    private int _next;

    [GlobalSetup]
    public void Setup() => _store = SqliteScriptRunStore.Open(BenchmarkData.SqliteWithRuns(Scripts, Runs));

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    [Benchmark(Description = "GetLastActivity, 1M runs / 1k scripts")]
    public ScriptActivity? GetLastActivity() => _store.GetLastActivity(BenchmarkData.ScriptName(_next++ % Scripts));
}

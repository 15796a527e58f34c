using BenchmarkDotNet.Attributes;
using ScriptMonitor.Runs;
using ScriptMonitor.Scripts;
using ScriptMonitor.Application.Configuration;
using ScriptMonitor.Sqlite;

namespace ScriptMonitor.Benchmarks.Scripts;

/// <summary>
/// What the base class costs a script. The baseline is what a script that records itself by hand must do anyway:
/// open the store, write one run, close it. The other is a whole <see cref="MonitoredScript.RunAsync"/> of a script
/// with an empty Main against the same store: option parsing, loggers, cron control, the lock file, the signal
/// handlers, the spool check and the same open-write-close. The third runs the same script against a store that
/// keeps nothing, which leaves the base class alone. Target: the base class adds under 5 ms.
/// Both sides write with synchronous=NORMAL so that the disk's fsync time, the same for both, does not drown the
/// difference.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class MonitoredScriptBenchmarks
{
    private static readonly SqliteStoreOptions StoreOptions = new() { FlushEveryCommit = false };

    private string _directory = null!;
    private string _database = null!;
    private MonitoredScriptOptions _options = null!;
    private MonitoredScriptOptions _discardingOptions = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("scriptmon-bench-script-").FullName;
        _database = Path.Combine(_directory, "runs.db");
        SqliteScriptRunStore.Open(_database, StoreOptions).Dispose();
        _options = new MonitoredScriptOptions
        {
            Settings = new ScriptSettings(Path.Combine(_directory, "locks"), Path.Combine(_directory, "spool"), Path.Combine(_directory, "cron-control.ini")),
            OpenStore = () => SqliteScriptRunStore.Open(_database, StoreOptions),
        };
        _discardingOptions = new MonitoredScriptOptions { Settings = _options.Settings, OpenStore = () => new DiscardingStore() };
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark(Baseline = true, Description = "open store, record run, close")]
    public async Task<bool> StoreAlone()
    {
        await using var store = SqliteScriptRunStore.Open(_database, StoreOptions);
        var now = TimeProvider.System.GetUtcNow();
        return await store.ImportRunAsync(new ScriptRun(Guid.NewGuid(), "bench-script", "bench-host", now, now, RunOutcome.Succeeded, 0, null));
    }

    [Benchmark(Description = "MonitoredScript.RunAsync, empty Main")]
    public Task<int> WholeScript() => new EmptyScript(_options).RunAsync([]);

    [Benchmark(Description = "MonitoredScript.RunAsync, empty Main, no store")]
    public Task<int> BaseClassAlone() => new EmptyScript(_discardingOptions).RunAsync([]);

    private sealed class EmptyScript(MonitoredScriptOptions options) : MonitoredScript("bench-script", options)
    {
        protected override void Main()
        {
        }
    }
}

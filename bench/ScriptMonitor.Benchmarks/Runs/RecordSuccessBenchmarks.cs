using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using ScriptMonitor.Runs;
using ScriptMonitor.Sqlite;

namespace ScriptMonitor.Benchmarks.Runs;

/// <summary>
/// RecordSuccess against the floor: a bare prepared INSERT of the same row through Microsoft.Data.Sqlite, on the
/// same schema with the same durability (WAL, synchronous=FULL), one commit per run. Target: the store keeps at
/// least 0.7 of the bare insert rate, i.e. a Ratio of at most 1.43.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class RecordSuccessBenchmarks
{
    private string _storePath = null!;
    private string _barePath = null!;
    private SqliteScriptRunStore _store = null!;
    private SqliteConnection _bare = null!;
    private SqliteCommand _bareInsert = null!;
    private long _sequence;

    [GlobalSetup]
    public void Setup()
    {
        _storePath = BenchmarkData.TempDatabase("record-store.db");
        _barePath = BenchmarkData.TempDatabase("record-bare.db");
        BenchmarkData.Delete(_storePath);
        BenchmarkData.Delete(_barePath);
        _store = SqliteScriptRunStore.Open(_storePath);

        // The same schema, created by the store, then written without it.
        SqliteScriptRunStore.Open(_barePath).Dispose();
        _bare = new SqliteConnection($"Data Source={_barePath};Pooling=False");
        _bare.Open();
        using (var pragmas = _bare.CreateCommand())
        {
            pragmas.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;";
            pragmas.ExecuteNonQuery();
        }

        _bareInsert = _bare.CreateCommand();
        _bareInsert.CommandText = "INSERT INTO runs (run_id, script_name, hostname, started_at, completed_at, outcome, exit_code, output) VALUES ($id, $name, $host, $started, $completed, 1, NULL, NULL)";
        _bareInsert.Parameters.Add("$id", SqliteType.Blob);
        _bareInsert.Parameters.Add("$name", SqliteType.Text);
        _bareInsert.Parameters.Add("$host", SqliteType.Text);
        _bareInsert.Parameters.Add("$started", SqliteType.Integer);
        _bareInsert.Parameters.Add("$completed", SqliteType.Integer);
        _bareInsert.Prepare();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        _bareInsert.Dispose();
        _bare.Dispose();
        BenchmarkData.Delete(_storePath);
        BenchmarkData.Delete(_barePath);
    }

    [Benchmark(Baseline = true, Description = "bare prepared INSERT")]
    public int BareInsert()
    {
        var started = BenchmarkData.Origin.AddSeconds(Interlocked.Increment(ref _sequence));
        var p = _bareInsert.Parameters;
        p[0].Value = Guid.NewGuid().ToByteArray();
        p[1].Value = BenchmarkData.ScriptName((int)(_sequence % 1000));
        p[2].Value = "bench-host";
        p[3].Value = Timestamps.ToUnixMicroseconds(started);
        p[4].Value = Timestamps.ToUnixMicroseconds(started.AddSeconds(30));
        return _bareInsert.ExecuteNonQuery();
    }

    [Benchmark(Description = "RecordSuccess")]
    public ScriptActivity RecordSuccess()
    {
        var started = BenchmarkData.Origin.AddSeconds(Interlocked.Increment(ref _sequence));
        return _store.RecordSuccess(BenchmarkData.ScriptName((int)(_sequence % 1000)), started, started.AddSeconds(30), "bench-host");
    }
}

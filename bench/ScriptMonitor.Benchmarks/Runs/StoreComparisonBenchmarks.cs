using BenchmarkDotNet.Attributes;
using Npgsql;
using ScriptMonitor.PostgreSql;
using ScriptMonitor.Runs;
using ScriptMonitor.Sqlite;
using ScriptMonitor.Storage.Tests.PostgreSql;

namespace ScriptMonitor.Benchmarks.Runs;

/// <summary>
/// RecordSuccess and GetLastActivity on both stores, each holding 1,000,000 runs over 1,000 scripts, in one run so
/// the figures stand side by side. PostgreSQL is <c>SCRIPTMON_BENCH_POSTGRES</c> (a connection string) when set,
/// else a throwaway local server started with fsync on, as a real server runs.
/// </summary>
[MedianColumn]
public class StoreComparisonBenchmarks
{
    private const int Scripts = 1_000;
    private const int Runs = 1_000_000;

    private IScriptRunStore _store = null!;
    private ThrowawayPostgreSqlServer? _server;
    private string? _sqliteCopy;
    private int _next;
    private long _sequence;

    [Params(BenchStore.Sqlite, BenchStore.PostgreSql)]
    public BenchStore Store { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _store = Store == BenchStore.Sqlite ? OpenSqlite() : OpenPostgreSql();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        _server?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (_sqliteCopy is not null)
        {
            BenchmarkData.Delete(_sqliteCopy);
        }
    }

    [Benchmark(Description = "GetLastActivity")]
    public ScriptActivity? GetLastActivity() => _store.GetLastActivity(BenchmarkData.ScriptName(_next++ % Scripts));

    [Benchmark(Description = "RecordSuccess")]
    public ScriptActivity RecordSuccess()
    {
        var started = BenchmarkData.Origin.AddHours(Runs / Scripts).AddSeconds(++_sequence);
        return _store.RecordSuccess(BenchmarkData.ScriptName((int)(_sequence % Scripts)), started, started.AddSeconds(30), "bench-host");
    }

    private SqliteScriptRunStore OpenSqlite()
    {
        // A copy, so that the runs recorded here leave the cached million-run file as it was.
        _sqliteCopy = BenchmarkData.TempDatabase("comparison.db");
        BenchmarkData.Delete(_sqliteCopy);
        File.Copy(BenchmarkData.SqliteWithRuns(Scripts, Runs), _sqliteCopy);
        return SqliteScriptRunStore.Open(_sqliteCopy);
    }

    private PostgreSqlScriptRunStore OpenPostgreSql()
    {
        var connectionString = Environment.GetEnvironmentVariable("SCRIPTMON_BENCH_POSTGRES");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var bin = ThrowawayPostgreSqlServer.FindBinDirectory()
                ?? throw new InvalidOperationException("PostgreSQL server binaries (initdb, pg_ctl) not found; install postgresql-15 or set SCRIPTMON_BENCH_POSTGRES.");
            _server = ThrowawayPostgreSqlServer.StartAsync(bin, durable: true).GetAwaiter().GetResult();
            connectionString = _server.ConnectionString;
        }

        var options = new PostgreSqlStoreOptions { Schema = "scriptmon_bench" };
        using (var connection = new NpgsqlConnection(connectionString))
        {
            connection.Open();
            using var drop = new NpgsqlCommand("DROP SCHEMA IF EXISTS scriptmon_bench CASCADE", connection);
            drop.ExecuteNonQuery();
        }

        PostgreSqlScriptRunStore.Open(connectionString, options).Dispose();
        using (var connection = new NpgsqlConnection(connectionString))
        {
            connection.Open();
            // The same shape of history as the SQLite file: one run per script per hour, one in ten failed.
            Execute(connection, "INSERT INTO scriptmon_bench.scripts (name) SELECT format('script-%s', lpad(s::text, 5, '0')) FROM generate_series(0, $1 - 1) AS s");
            Execute(
                connection,
                """
                INSERT INTO scriptmon_bench.runs (run_id, script_name, hostname, started_at, completed_at, outcome, exit_code)
                SELECT gen_random_uuid(),
                       format('script-%s', lpad((i % $1)::text, 5, '0')),
                       'host-' || (i % $1 % 4),
                       t.started,
                       t.started + interval '45 seconds',
                       CASE WHEN i % 10 = 0 THEN 2 ELSE 1 END,
                       CASE WHEN i % 10 = 0 THEN 1 ELSE 0 END
                FROM generate_series(0, $2 - 1) AS i,
                     LATERAL (SELECT timestamptz '2025-01-01 00:00:00+00' + (i / $1) * interval '1 hour' + (i % 97) * interval '1 second' AS started) AS t
                """);
            Execute(connection, "ANALYZE scriptmon_bench.runs");
            Execute(connection, "ANALYZE scriptmon_bench.scripts");
        }

        return PostgreSqlScriptRunStore.Open(connectionString, options);
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        if (sql.Contains("$1", StringComparison.Ordinal))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = Scripts });
        }

        if (sql.Contains("$2", StringComparison.Ordinal))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = Runs });
        }

        command.ExecuteNonQuery();
    }
}

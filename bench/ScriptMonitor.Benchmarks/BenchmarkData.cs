using Microsoft.Data.Sqlite;
using ScriptMonitor.Runs;
using ScriptMonitor.Sqlite;

namespace ScriptMonitor.Benchmarks;

/// <summary>Databases for benchmarks, kept in the temp folder between runs because a million rows take a while to write.</summary>
internal static class BenchmarkData
{
    internal static readonly DateTimeOffset Origin = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    internal static string ScriptName(int index) => $"script-{index:D5}";

    internal static string TempDatabase(string name)
    {
        var directory = Path.Combine(Path.GetTempPath(), "scriptmon-bench");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, name);
    }

    internal static void Delete(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// A SQLite store holding <paramref name="runCount"/> runs spread evenly over <paramref name="scriptCount"/>
    /// scripts and 4 hosts: one run per script per hour, one in ten failed, written in one transaction.
    /// </summary>
    internal static string SqliteWithRuns(int scriptCount, int runCount)
    {
        var path = TempDatabase($"runs-{scriptCount}-{runCount}-v{SqliteSchemaVersion()}.db");
        if (File.Exists(path))
        {
            return path;
        }

        var building = path + ".building";
        Delete(building);
        SqliteScriptRunStore.Open(building).Dispose();
        using (var connection = new SqliteConnection($"Data Source={building};Pooling=False"))
        {
            connection.Open();
            using var transaction = connection.BeginTransaction();
            using (var scripts = connection.CreateCommand())
            {
                scripts.Transaction = transaction;
                scripts.CommandText = "INSERT INTO scripts (name) VALUES ($name)";
                var name = scripts.Parameters.Add("$name", SqliteType.Text);
                for (var s = 0; s < scriptCount; s++)
                {
                    name.Value = ScriptName(s);
                    scripts.ExecuteNonQuery();
                }
            }

            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO runs (run_id, script_name, hostname, started_at, completed_at, outcome, exit_code, output) VALUES ($id, $name, $host, $started, $completed, $outcome, $exit, NULL)";
            var id = insert.Parameters.Add("$id", SqliteType.Blob);
            var scriptName = insert.Parameters.Add("$name", SqliteType.Text);
            var host = insert.Parameters.Add("$host", SqliteType.Text);
            var started = insert.Parameters.Add("$started", SqliteType.Integer);
            var completed = insert.Parameters.Add("$completed", SqliteType.Integer);
            var outcome = insert.Parameters.Add("$outcome", SqliteType.Integer);
            var exit = insert.Parameters.Add("$exit", SqliteType.Integer);
            var random = new Random(42);
            for (var i = 0; i < runCount; i++)
            {
                var script = i % scriptCount;
                var start = Origin.AddHours(i / scriptCount).AddSeconds(random.Next(0, 120));
                var failed = random.Next(10) == 0;
                id.Value = Guid.NewGuid().ToByteArray();
                scriptName.Value = ScriptName(script);
                host.Value = $"host-{script % 4}";
                started.Value = Timestamps.ToUnixMicroseconds(start);
                completed.Value = Timestamps.ToUnixMicroseconds(start.AddSeconds(30 + random.Next(0, 30)));
                outcome.Value = failed ? (int)RunOutcome.Failed : (int)RunOutcome.Succeeded;
                exit.Value = failed ? 1 : 0;
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
            using var analyze = connection.CreateCommand();
            analyze.CommandText = "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);";
            analyze.ExecuteNonQuery();
        }

        File.Move(building, path);
        Delete(building);
        return path;
    }

    private static int SqliteSchemaVersion()
    {
        var probe = TempDatabase("schema-probe.db");
        Delete(probe);
        using var store = SqliteScriptRunStore.Open(probe);
        return store.GetInfoAsync().GetAwaiter().GetResult().SchemaVersion;
    }
}

using Microsoft.Data.Sqlite;
using ScriptMonitor.Runs;
using ScriptMonitor.Sqlite;
using ScriptMonitor.Testing;

namespace ScriptMonitor.Storage.Tests.Sqlite;

/// <summary>
/// The SQLite file keeps one script-ordered index on runs, so that a committed run touches as few pages as it can; the
/// reads of the last run of an outcome must still be walks of that index, never a scan of the table or a sort of a
/// script's whole history.
/// </summary>
public sealed class SqliteQueryPlanTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Runs_have_one_script_ordered_index_besides_the_run_id_and_the_runs_in_progress()
    {
        using var connection = await OpenNewStoreAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'runs' ORDER BY name";
        var indexes = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                indexes.Add(reader.GetString(0));
            }
        }

        Assert.Equal(["runs_history", "runs_in_progress", "sqlite_autoindex_runs_1"], indexes);
    }

    [Fact]
    public async Task The_last_run_of_an_outcome_anywhere_or_on_one_host_is_a_backward_walk_of_runs_history()
    {
        using var connection = await OpenNewStoreAsync();
        Execute(connection, """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
            INSERT INTO runs (run_id, script_name, hostname, started_at, completed_at, outcome)
            SELECT randomblob(16), 'script-' || (i % 50), 'h' || (i % 4), 1767225600000000 + i * 60000000,
                   1767225600000000 + i * 60000000 + 1000000, 1 + (i % 3 = 0)
            FROM n;
            INSERT OR IGNORE INTO scripts (name) SELECT DISTINCT script_name FROM runs;
            """);

        var lastSuccess = Plan(connection, $"SELECT id FROM runs WHERE script_name = 'script-7' AND outcome = {(int)RunOutcome.Succeeded} ORDER BY started_at DESC, id DESC LIMIT 1");
        var onHost = Plan(connection, $"SELECT id FROM runs WHERE script_name = 'script-7' AND hostname = 'h1' AND outcome = {(int)RunOutcome.Succeeded} ORDER BY started_at DESC, id DESC LIMIT 1");
        var window = Plan(connection, "SELECT id FROM runs WHERE script_name = 'script-7' AND started_at >= 1767312000000000 AND started_at < 1767398400000000 ORDER BY started_at DESC, id DESC LIMIT 100");
        // As the evaluation asks for the runs in progress of some scripts: the small partial index, not their histories.
        var inProgress = Plan(connection, $"SELECT script_name, started_at FROM runs WHERE outcome = {(int)RunOutcome.Running} AND script_name IN (SELECT value FROM json_each('[\"script-7\"]')) ORDER BY script_name, started_at DESC");
        Assert.Contains("INDEX runs_in_progress (script_name=?)", inProgress, StringComparison.Ordinal);

        foreach (var plan in new[] { lastSuccess, onHost, window })
        {
            Assert.Contains("SEARCH runs USING COVERING INDEX runs_history (script_name=?", plan, StringComparison.Ordinal);
            // Runs that started at the same instant are ordered by id among themselves only: never the whole history.
            Assert.DoesNotContain("USE TEMP B-TREE FOR ORDER BY", plan, StringComparison.Ordinal);
            Assert.DoesNotContain("SCAN runs", plan, StringComparison.Ordinal);
        }
    }

    /// <summary>A store made by the current schema, with one run, opened as a plain SQLite connection.</summary>
    private async Task<SqliteConnection> OpenNewStoreAsync()
    {
        var path = _directory.File("runs.db");
        using (var store = SqliteScriptRunStore.Open(path))
        {
            await store.RecordSuccessAsync("script-0", DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
        }

        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string Plan(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add(reader.GetString(3));
        }

        return string.Join('\n', lines);
    }
}

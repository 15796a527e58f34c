using Microsoft.Data.Sqlite;
using ScriptMonitor.Health;
using ScriptMonitor.Sqlite;
using ScriptMonitor.Testing;

namespace ScriptMonitor.Storage.Tests.Sqlite;

/// <summary>The alert tables' migration of a SQLite file made before them.</summary>
public sealed class SqliteAlertSchemaTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_version_8_file_migrates_with_every_known_script_in_the_feed_and_a_build_of_version_8_may_still_write_it()
    {
        var path = _directory.File("v8.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            SqliteSchema.Migrate(connection, path, SqliteSchema.Migrations, toVersion: 8);
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO scripts (name) VALUES ('with-runs');
                INSERT INTO runs (run_id, script_name, hostname, started_at, completed_at, outcome, exit_code)
                VALUES (randomblob(16), 'with-runs', 'db1', 1767225600000000, 1767225660000000, 1, 0);
                INSERT INTO expectations (script_name, period_us, grace_us, host_mode, hosts, min_hosts, failures_tolerated, paused, tags, updated_at)
                VALUES ('planned', 3600000000, 300000000, 0, '', 0, 0, 0, '', 1767225600000000);
                """;
            command.ExecuteNonQuery();
        }

        await using var store = SqliteScriptRunStore.Open(path);
        var info = await store.GetInfoAsync();
        var feed = await store.ReadChangesAsync(0, 100);
        await store.RecordSuccessAsync("with-runs", Start.AddHours(1), Start.AddHours(1).AddMinutes(1), "db1");

        Assert.Equal(SqliteSchema.LatestVersion, info.SchemaVersion);
        Assert.True(info.OldestWriterVersion <= 8, $"the store accepts writers from version {info.OldestWriterVersion}");
        Assert.Equal(["planned", "with-runs"], feed.Select(c => c.ScriptName));
        Assert.Equal("with-runs", Assert.Single(await store.ReadChangesAsync(feed[^1].Sequence, 100)).ScriptName);
        Assert.Equal(Schedule.Every(TimeSpan.FromHours(1)), (await store.GetExpectationAsync("planned"))!.Schedule);
    }
}

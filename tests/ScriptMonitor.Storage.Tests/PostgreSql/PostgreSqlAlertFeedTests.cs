using Npgsql;
using ScriptMonitor.Alerts;
using ScriptMonitor.Health;
using ScriptMonitor.PostgreSql;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Storage.Tests.PostgreSql;

/// <summary>What is particular to PostgreSQL in the alert store: concurrent writers of the feed, the database's clock, the migration.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlAlertFeedTests(PostgreSqlServer server)
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Of_two_writers_of_one_script_the_one_that_commits_last_has_the_higher_number()
    {
        var schema = PostgreSqlServer.NewSchemaName();
        await using var store = await OpenAsync(schema);
        await store.RecordSuccessAsync("nightly", Start, Start.AddMinutes(1), "db1");

        // Another writer holds the script's feed row: the store's write must wait for it, and take its number after.
        await using var other = new NpgsqlConnection(server.ConnectionString);
        await other.OpenAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await Execute(other, $"SELECT 1 FROM \"{schema}\".script_changes WHERE script_name = 'nightly' FOR UPDATE");
        var waiting = store.RecordSuccessAsync("nightly", Start.AddHours(1), Start.AddHours(1).AddMinutes(1), "db2");
        await WaitUntilBlockedAsync(waiting);
        await using var bump = new NpgsqlCommand($"UPDATE \"{schema}\".script_changes SET change_seq = nextval('\"{schema}\".change_seq') WHERE script_name = 'nightly' RETURNING change_seq", other);
        var first = (long)(await bump.ExecuteScalarAsync())!;
        await transaction.CommitAsync();
        await waiting;

        var change = Assert.Single(await store.ReadChangesAsync(first, 100));
        Assert.Equal("nightly", change.ScriptName);
        Assert.True(change.Sequence > first, $"the later commit has {change.Sequence}, not above {first}");
    }

    [Fact]
    public async Task The_lease_runs_on_the_databases_clock_not_the_callers()
    {
        // The store's own clock is months behind; the lease's expiry is the server's now plus the duration.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start);
        await using var store = await PostgreSqlScriptRunStore.OpenAsync(server.ConnectionString, new PostgreSqlStoreOptions { Schema = PostgreSqlServer.NewSchemaName(), TimeProvider = clock });
        var before = await server.ScalarAsync<DateTime>("SELECT now()");

        var lease = await store.TryTakeLeaseAsync("server-a", TimeSpan.FromMinutes(5));

        Assert.NotNull(lease);
        Assert.True(lease.ExpiresAt >= new DateTimeOffset(before, TimeSpan.Zero).AddMinutes(5), $"the lease expires at {lease.ExpiresAt}, before the server's now {before:O} + 5 min");
    }

    [Fact]
    public async Task A_schema_before_the_alert_tables_migrates_with_every_known_script_in_the_feed()
    {
        var schema = PostgreSqlServer.NewSchemaName();
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await PostgreSqlSchema.MigrateAsync(connection, schema, "test", PostgreSqlSchema.Migrations, async: true, CancellationToken.None, toVersion: 7); // the version before the alert tables (migration 8)
        }

        await server.ExecuteAsync($"""
            INSERT INTO "{schema}".scripts (name) VALUES ('with-runs');
            INSERT INTO "{schema}".runs (run_id, script_name, hostname, started_at, completed_at, outcome, exit_code)
            VALUES (gen_random_uuid(), 'with-runs', 'db1', '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', 1, 0);
            INSERT INTO "{schema}".expectations (script_name, period, grace, host_mode, hosts, min_hosts, failures_tolerated, paused, tags, updated_at)
            VALUES ('planned', interval '1 hour', interval '5 minutes', 0, ARRAY[]::text[], 0, 0, false, ARRAY[]::text[], now());
            """);

        await using var store = await OpenAsync(schema);
        var info = await store.GetInfoAsync();
        var feed = await store.ReadChangesAsync(0, 100);
        await store.RecordSuccessAsync("with-runs", Start.AddHours(1), Start.AddHours(1).AddMinutes(1), "db1");

        Assert.Equal(PostgreSqlSchema.LatestVersion, info.SchemaVersion);
        Assert.Equal(["planned", "with-runs"], feed.Select(c => c.ScriptName));
        Assert.Equal("with-runs", Assert.Single(await store.ReadChangesAsync(feed[^1].Sequence, 100)).ScriptName);
    }

    private async Task<PostgreSqlScriptRunStore> OpenAsync(string schema) =>
        await PostgreSqlScriptRunStore.OpenAsync(server.ConnectionString, new PostgreSqlStoreOptions { Schema = schema });

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Waits until some statement of the server waits for a lock, as the store's write must.</summary>
    private async Task WaitUntilBlockedAsync(Task write)
    {
        for (var polls = 0; polls < 300; polls++)
        {
            Assert.False(write.IsCompleted, "the write finished while the other writer held the script's feed row");
            if (await server.ScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE NOT granted") > 0)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("The store's write never waited for the other writer's lock.");
    }
}

using Npgsql;
using ScriptMonitor.Health;
using ScriptMonitor.PostgreSql;
using ScriptMonitor.Runs;
using ScriptMonitor.Application.Stores;

namespace ScriptMonitor.Storage.Tests.PostgreSql;

/// <summary>What is particular to PostgreSQL: migrations, indexes, grants, clocks and stored values.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlStoreTests(PostgreSqlServer server)
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Open_creates_the_schema_at_the_latest_version_and_describes_itself_without_the_password()
    {
        var database = await server.CreateDatabaseAsync();
        var uri = server.Uri(new NpgsqlConnectionStringBuilder(database).Database!);

        await using var store = await PostgreSqlScriptRunStore.OpenAsync(uri);
        var info = await store.GetInfoAsync();

        Assert.Equal($"postgresql://{server.Username}@{server.Host}:{server.Port}/{new NpgsqlConnectionStringBuilder(database).Database}", store.Description);
        Assert.DoesNotContain(server.Password!, store.Description, StringComparison.Ordinal);
        Assert.Equal("scriptmon", store.Schema);
        Assert.Equal(info.LatestSchemaVersion, info.SchemaVersion);
        Assert.True(info.SizeBytes > 0);
        Assert.Equal(info.LatestSchemaVersion, await server.ScalarAsync<long>("SELECT count(*) FROM scriptmon.schema_version", database));
    }

    [Fact]
    public async Task A_version_1_schema_with_runs_migrates_to_the_latest_and_keeps_them()
    {
        var schema = PostgreSqlServer.NewSchemaName();
        var runId = Guid.NewGuid();
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await PostgreSqlSchema.MigrateAsync(connection, schema, "test", PostgreSqlSchema.Migrations, async: true, CancellationToken.None, toVersion: 1);
        }

        await server.ExecuteAsync($"""
            INSERT INTO "{schema}".scripts (name) VALUES ('legacy');
            INSERT INTO "{schema}".runs (run_id, script_name, hostname, started_at, completed_at, outcome, exit_code)
            VALUES ('{runId}', 'legacy', 'db1', '2026-01-01 00:00:00+00', '2026-01-01 00:01:00+00', 1, 0),
                   (gen_random_uuid(), 'legacy', 'db1', '2026-01-01 00:01:00+00', NULL, 0, NULL);
            """);
        Assert.Equal(1, await server.ScalarAsync<int>($"SELECT max(version) FROM \"{schema}\".schema_version"));

        await using var store = await OpenSchemaAsync(schema);
        var info = await store.GetInfoAsync();
        Assert.Equal(PostgreSqlSchema.LatestVersion, info.SchemaVersion);
        Assert.Equal(2, info.RunCount);
        Assert.Equal(runId, (await store.ListRunsAsync(new RunQuery("legacy") { Outcome = RunOutcome.Succeeded })).Single().RunId);

        Assert.True(await store.SetExpectationAsync(new ScriptExpectation("legacy") { Hosts = HostRequirement.Each("db1") }));
        var snapshot = Assert.Single(await store.ReadSnapshotsAsync());
        Assert.Equal(2, snapshot.History.RecentRuns.Count);
        Assert.Single(snapshot.History.InProgress);
        Assert.Equal(Start, snapshot.History.LastSuccessByHost["db1"].StartedAt);

        var running = Assert.Single(await store.ListRunningAsync());
        Assert.Null(running.Runner);
        Assert.True(await store.AbandonRunAsync(running.RunId, Start.AddDays(1), "the process is gone"));
        await Assert.ThrowsAsync<PostgresException>(() => server.ExecuteAsync($"UPDATE \"{schema}\".runs SET outcome = 4"));
    }

    [Fact]
    public async Task The_keys_migration_only_expands_so_a_build_one_version_behind_may_still_write()
    {
        var schema = PostgreSqlServer.NewSchemaName();
        var behind = PostgreSqlSchema.LatestVersion - 1;
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await PostgreSqlSchema.MigrateAsync(connection, schema, "test", PostgreSqlSchema.Migrations, async: true, CancellationToken.None, toVersion: behind);
        }

        await using var store = await OpenSchemaAsync(schema);
        await store.AddKeyAsync(new Access.ApiKey("aaaaaaaa", "after", Access.KeyScope.Admin, [], DateTimeOffset.UtcNow, "cli"), new byte[Access.KeyValidation.SecretHashLength]);
        var info = await store.GetInfoAsync();

        Assert.Equal(PostgreSqlSchema.LatestVersion, info.SchemaVersion);
        Assert.True(info.OldestWriterVersion <= behind, $"the store accepts writers from version {info.OldestWriterVersion}");
        Assert.Equal(Stores.SchemaAccess.NewerCompatible, Stores.SchemaCompatibility.Judge(info.SchemaVersion, info.OldestWriterVersion, behind));
    }

    [Fact]
    public async Task OpenReadOnly_creates_no_schema_and_refuses_an_older_one_without_migrating_it()
    {
        var schema = PostgreSqlServer.NewSchemaName();
        var options = new PostgreSqlStoreOptions { Schema = schema };

        var absent = PostgreSqlScriptRunStore.OpenReadOnly(server.ConnectionString, options);
        var created = await server.ScalarAsync<bool>($"SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = '{schema}')");
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await PostgreSqlSchema.MigrateAsync(connection, schema, "test", PostgreSqlSchema.Migrations, async: true, CancellationToken.None, toVersion: 1);
        }

        var error = Assert.Throws<StoreUnavailableException>(() => PostgreSqlScriptRunStore.OpenReadOnly(server.ConnectionString, options));
        await using var inspected = PostgreSqlScriptRunStore.OpenReadOnly(server.ConnectionString, new PostgreSqlStoreOptions { Schema = schema, AcceptOlderSchema = true })!;

        Assert.Null(absent);
        Assert.False(created);
        Assert.Contains("is at schema version 1, older than this ScriptMonitor reads", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await inspected.GetInfoAsync()).SchemaVersion);
        Assert.Equal(1, await server.ScalarAsync<int>($"SELECT max(version) FROM \"{schema}\".schema_version"));
    }

    [Fact]
    public async Task Setting_an_equal_expectation_leaves_the_row_untouched()
    {
        var schema = PostgreSqlServer.NewSchemaName();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start);
        await using var store = await PostgreSqlScriptRunStore.OpenAsync(server.ConnectionString, new PostgreSqlStoreOptions { Schema = schema, TimeProvider = clock });
        var expectation = new ScriptExpectation("nightly") { Schedule = Schedule.Cron("0 3 * * *", "Europe/Berlin"), Tags = ["ops"] };
        Assert.True(await store.SetExpectationAsync(expectation));
        var before = await server.ScalarAsync<string>($"SELECT xmin::text || '/' || updated_at::text FROM \"{schema}\".expectations");

        clock.Advance(TimeSpan.FromHours(1));
        Assert.False(await store.SetExpectationAsync(expectation));

        Assert.Equal(before, await server.ScalarAsync<string>($"SELECT xmin::text || '/' || updated_at::text FROM \"{schema}\".expectations"));
    }

    [Fact]
    public async Task The_history_read_walks_indexes()
    {
        var schema = PostgreSqlServer.NewSchemaName();
        await using var store = await OpenSchemaAsync(schema);
        await server.ExecuteAsync($"""
            INSERT INTO "{schema}".scripts (name) SELECT 'script-' || s FROM generate_series(0, 49) AS s;
            INSERT INTO "{schema}".runs (run_id, script_name, hostname, started_at, completed_at, outcome)
            SELECT gen_random_uuid(), 'script-' || (n % 50), 'h' || (n % 4), timestamptz '2026-01-01 00:00:00+00' + n * interval '1 minute',
                   timestamptz '2026-01-01 00:00:00+00' + n * interval '1 minute' + interval '1 second', 1 + (n % 3 = 0)::int
            FROM generate_series(1, 20000) AS n;
            ANALYZE "{schema}".runs;
            """);

        var recent = await ExplainAsync($"SELECT r.* FROM unnest(ARRAY['script-1','script-2']) AS n(name) CROSS JOIN LATERAL (SELECT * FROM \"{schema}\".runs WHERE script_name = n.name ORDER BY started_at DESC, id DESC LIMIT 25) r");
        var onHost = await ExplainAsync($"SELECT * FROM \"{schema}\".runs WHERE script_name = 'script-1' AND hostname = 'h1' AND outcome = 1 ORDER BY started_at DESC, id DESC LIMIT 1");
        var running = await ExplainAsync($"SELECT * FROM \"{schema}\".runs WHERE outcome = 0 ORDER BY script_name, started_at DESC, id DESC");

        Assert.DoesNotContain("Seq Scan on runs", recent + onHost, StringComparison.Ordinal);
        Assert.Contains("runs_history", recent, StringComparison.Ordinal);
        Assert.Contains("runs_by_script_host_outcome_start", onHost, StringComparison.Ordinal);
        Assert.Contains("runs_in_progress", running, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timestamps_are_stored_as_timestamptz_in_UTC()
    {
        var database = await server.CreateDatabaseAsync();
        await using (var store = await PostgreSqlScriptRunStore.OpenAsync(database))
        {
            await store.RecordSuccessAsync("tz", new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(2)), new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(2)).AddTicks(1234567));
        }

        Assert.Equal("timestamp with time zone", await server.ScalarAsync<string>("SELECT data_type FROM information_schema.columns WHERE table_schema = 'scriptmon' AND table_name = 'runs' AND column_name = 'started_at'", database));
        Assert.Equal("2026-03-01 10:00:00.123456", await server.ScalarAsync<string>("SELECT (completed_at AT TIME ZONE 'UTC')::text FROM scriptmon.runs", database));
    }

    [Fact]
    public async Task Concurrent_opens_of_a_fresh_database_migrate_once()
    {
        const int Openers = 8;
        var database = await server.CreateDatabaseAsync();

        var stores = await Task.WhenAll(Enumerable.Range(0, Openers).Select(_ => Task.Run(() => PostgreSqlScriptRunStore.OpenAsync(database))));
        try
        {
            await stores[0].RecordSuccessAsync("shared", Start, Start.AddMinutes(1), "db1");
            foreach (var store in stores)
            {
                Assert.Equal(Start, (await store.GetLastActivityAsync("shared"))!.DateStarted);
            }
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }

        Assert.Equal(PostgreSqlSchema.LatestVersion, await server.ScalarAsync<long>("SELECT count(*) FROM scriptmon.schema_version", database));
        Assert.Equal(1L, await server.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'scriptmon'", database));
    }

    [Fact]
    public async Task Importing_one_run_from_many_connections_at_once_stores_it_once()
    {
        await using var store = await OpenSchemaAsync();
        var run = new ScriptRun(Guid.NewGuid(), "spooled", "web1", Start, Start.AddMinutes(1), RunOutcome.Succeeded, 0, "ok");

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => store.ImportRunAsync(run))));

        Assert.Equal(1, results.Count(changed => changed));
        Assert.Equal(run, Assert.Single(await store.ListRunsAsync(new RunQuery("spooled"))));
    }

    [Fact]
    public async Task Prune_deletes_in_batches_and_keeps_the_rules()
    {
        const int Runs = 5_000;
        var schema = PostgreSqlServer.NewSchemaName();
        await using var store = await OpenSchemaAsync(schema);
        await store.RecordSuccessAsync("bulk", Start, Start);
        await server.ExecuteAsync($"""
            INSERT INTO "{schema}".runs (run_id, script_name, hostname, started_at, completed_at, outcome)
            SELECT gen_random_uuid(), 'bulk', 'h', timestamptz '2026-01-01 00:00:00+00' + n * interval '1 minute',
                   timestamptz '2026-01-01 00:00:00+00' + n * interval '1 minute' + interval '1 second', 2
            FROM generate_series(1, {Runs - 1}) AS n
            """);

        var deleted = await store.PruneAsync(Start.AddYears(1), keepLast: 10);

        Assert.Equal(Runs - 10 - 1, deleted);
        Assert.Equal(11, (await store.GetInfoAsync()).RunCount);
        Assert.Equal(Start, (await store.GetLastActivityAsync("bulk"))!.DateStarted);
    }

    [Fact]
    public async Task Output_is_pruned_in_batches_across_every_run()
    {
        const int Runs = 5_000;
        var schema = PostgreSqlServer.NewSchemaName();
        await using var store = await OpenSchemaAsync(schema);
        await store.RecordSuccessAsync("bulk", Start, Start);
        await server.ExecuteAsync($"""
            INSERT INTO "{schema}".runs (run_id, script_name, hostname, started_at, completed_at, outcome, output)
            SELECT gen_random_uuid(), 'bulk', 'h', timestamptz '2026-01-01 00:00:00+00' + n * interval '1 minute',
                   timestamptz '2026-01-01 00:00:00+00' + n * interval '1 minute' + interval '1 second', 2, 'output ' || n
            FROM generate_series(1, {Runs}) AS n
            """);

        // The newest 1,000 runs started on or after this.
        var cleared = await store.PruneOutputAsync(Start.AddMinutes(Runs - 1_000 + 1));

        Assert.Equal(Runs - 1_000, cleared);
        var kept = await store.ListRunsAsync(new RunQuery("bulk") { Limit = RunQuery.MaxLimit });
        Assert.Equal(1_000, kept.Count(r => r.Output is not null));
        Assert.Equal(Runs + 1, (await store.GetInfoAsync()).RunCount);
    }

    [Fact]
    public async Task Last_success_and_window_queries_are_index_seeks()
    {
        var schema = PostgreSqlServer.NewSchemaName();
        await using var store = await OpenSchemaAsync(schema);
        await server.ExecuteAsync($"""
            INSERT INTO "{schema}".scripts (name) SELECT 'script-' || s FROM generate_series(1, 50) AS s;
            INSERT INTO "{schema}".runs (run_id, script_name, hostname, started_at, completed_at, outcome)
            SELECT gen_random_uuid(), 'script-' || (n % 50), 'h', timestamptz '2026-01-01 00:00:00+00' + n * interval '1 minute',
                   timestamptz '2026-01-01 00:00:00+00' + n * interval '1 minute' + interval '1 second', 1 + (n % 3 = 0)::int
            FROM generate_series(1, 20000) AS n;
            ANALYZE "{schema}".runs;
            """);

        var lastSuccess = await ExplainAsync($"SELECT * FROM \"{schema}\".runs WHERE script_name = 'script-7' AND outcome = 1 ORDER BY started_at DESC, id DESC LIMIT 1");
        var window = await ExplainAsync($"SELECT * FROM \"{schema}\".runs WHERE script_name = 'script-7' AND started_at >= '2026-01-02' AND started_at < '2026-01-03' ORDER BY started_at DESC, id DESC LIMIT 100");

        Assert.DoesNotContain("Seq Scan", lastSuccess + window, StringComparison.Ordinal);
        // A window is a range of one index: PostgreSQL may walk it backwards or collect it in a bitmap and sort.
        Assert.Contains("Index Scan Backward using runs_by_script_outcome_start", lastSuccess, StringComparison.Ordinal);
        Assert.Contains(" runs_history ", window, StringComparison.Ordinal);
        Assert.Contains("Index Cond: ((script_name = 'script-7'::text) AND (started_at >= ", window, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_from_a_newer_version_that_accepts_no_older_writer_is_refused_with_a_clear_message()
    {
        var schema = PostgreSqlServer.NewSchemaName();
        await (await OpenSchemaAsync(schema)).DisposeAsync();
        await server.ExecuteAsync($"INSERT INTO \"{schema}\".schema_version (version, description, oldest_writer_version) VALUES (99, 'from the future', 99)");

        var error = await Assert.ThrowsAsync<StoreIncompatibleException>(() => OpenSchemaAsync(schema));

        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
        Assert.Contains(server.Host, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_with_only_the_documented_writer_grants_records_reads_and_prunes()
    {
        var database = await server.CreateDatabaseAsync();
        var databaseName = new NpgsqlConnectionStringBuilder(database).Database;
        await (await PostgreSqlScriptRunStore.OpenAsync(database)).DisposeAsync();
        var role = "writer_" + Guid.NewGuid().ToString("N");
        var password = Guid.NewGuid().ToString("N");
        await server.ExecuteAsync($"CREATE ROLE {role} LOGIN PASSWORD '{password}'");
        try
        {
            await server.ExecuteAsync(
                $"""
                GRANT CONNECT ON DATABASE "{databaseName}" TO {role};
                GRANT USAGE ON SCHEMA scriptmon TO {role};
                GRANT SELECT ON scriptmon.schema_version TO {role};
                GRANT SELECT, INSERT, UPDATE ON scriptmon.runs, scriptmon.scripts TO {role};
                GRANT SELECT, INSERT ON scriptmon.skips TO {role};
                GRANT DELETE ON scriptmon.runs, scriptmon.skips TO {role};
                GRANT DELETE ON scriptmon.script_events TO {role};
                GRANT SELECT, INSERT, UPDATE, DELETE ON scriptmon.expectations TO {role};
                GRANT SELECT, INSERT, UPDATE ON scriptmon.script_changes TO {role};
                GRANT USAGE ON SEQUENCE scriptmon.change_seq TO {role};
                """,
                database);
            var asWriter = new NpgsqlConnectionStringBuilder(database) { Username = role, Password = password }.ConnectionString;

            await using var store = await PostgreSqlScriptRunStore.OpenAsync(asWriter);
            await store.RecordSuccessAsync("nightly", Start, Start.AddMinutes(1), "web1");
            await store.RecordFailureAsync("nightly", Start.AddDays(1), Start.AddDays(1).AddMinutes(1), 1, "failed", "web1");
            var running = await store.RecordStartAsync("nightly", Start.AddDays(2), "web1");
            await store.CompleteRunAsync(running.RunId, Start.AddDays(2).AddMinutes(1), RunOutcome.Succeeded);
            Assert.True(await store.ImportRunAsync(new ScriptRun(Guid.NewGuid(), "spooled", "web2", Start, Start.AddSeconds(5), RunOutcome.Succeeded, 0, null)));
            var stuck = await store.RecordStartAsync("nightly", Start.AddDays(2).AddHours(1), "web1", runner: RunnerProcess.Current());
            Assert.Single(await store.ListRunningAsync("web1"));
            Assert.True(await store.AbandonRunAsync(stuck.RunId, Start.AddDays(2).AddHours(2), "the process is gone"));
            Assert.True(await store.RecordSkipAsync(new ScriptSkip(Guid.NewGuid(), "nightly", "web1", Start.AddDays(2).AddHours(3), "pid 1")));
            Assert.Single(await store.ListSkipsAsync("nightly"));

            Assert.Equal(Start.AddDays(2), (await store.GetLastActivityAsync("nightly"))!.DateStarted);
            Assert.Equal(2, (await store.ListScriptsAsync()).Count);
            Assert.Equal(2, (await store.GetRuntimeStatisticsAsync("nightly", Start, Start.AddDays(3))).Count);
            Assert.Equal(5, (await store.GetInfoAsync()).RunCount);
            Assert.Equal(2, await store.PruneAsync(Start.AddDays(3), keepLast: 1));
            Assert.True(await store.SetExpectationAsync(new ScriptExpectation("nightly") { Schedule = Schedule.Every(TimeSpan.FromDays(1)) }));
            Assert.Equal(2, (await store.ReadSnapshotsAsync()).Count);
            Assert.True(await store.RemoveExpectationAsync("nightly"));
        }
        finally
        {
            await server.ExecuteAsync($"DROP OWNED BY {role}", database);
            await server.ExecuteAsync($"DROP ROLE {role}");
        }
    }

    [Fact]
    public async Task A_role_that_may_not_create_the_schema_gives_StoreUnavailableException_saying_so()
    {
        var database = await server.CreateDatabaseAsync();
        var databaseName = new NpgsqlConnectionStringBuilder(database).Database;
        var role = "reader_" + Guid.NewGuid().ToString("N");
        var password = Guid.NewGuid().ToString("N");
        await server.ExecuteAsync($"CREATE ROLE {role} LOGIN PASSWORD '{password}'");
        try
        {
            await server.ExecuteAsync($"REVOKE CREATE ON DATABASE \"{databaseName}\" FROM PUBLIC; GRANT CONNECT ON DATABASE \"{databaseName}\" TO {role}", database);
            var asRole = new NpgsqlConnectionStringBuilder(database) { Username = role, Password = password }.ConnectionString;

            var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => PostgreSqlScriptRunStore.OpenAsync(asRole));

            Assert.Contains("prepare schema scriptmon", error.Message, StringComparison.Ordinal);
            Assert.Contains("permission denied", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await server.ExecuteAsync($"DROP OWNED BY {role}", database);
            await server.ExecuteAsync($"DROP ROLE {role}");
        }
    }

    [Fact]
    public async Task A_host_whose_clock_is_days_ahead_cannot_record_runs_from_the_future_into_the_shared_store()
    {
        var ahead = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(3));
        var schema = PostgreSqlServer.NewSchemaName();
        await using var store = await PostgreSqlScriptRunStore.OpenAsync(server.ConnectionString, new PostgreSqlStoreOptions { Schema = schema, TimeProvider = ahead });
        var hostNow = ahead.GetUtcNow();

        var start = await Assert.ThrowsAsync<ValidationException>(() => store.RecordStartAsync("skewed", hostNow, "db9"));
        var success = await Assert.ThrowsAsync<ValidationException>(() => store.RecordSuccessAsync("skewed", hostNow.AddMinutes(-1), hostNow, "db9"));
        var import = await Assert.ThrowsAsync<ValidationException>(() => store.ImportRunAsync(new ScriptRun(Guid.NewGuid(), "skewed", "db9", hostNow.AddMinutes(-1), hostNow, RunOutcome.Failed, 1, null)));

        Assert.Contains("ahead of the PostgreSQL server's clock", start.Message, StringComparison.Ordinal);
        Assert.Contains("ahead of the PostgreSQL server's clock", success.Message, StringComparison.Ordinal);
        Assert.Contains("ahead of the PostgreSQL server's clock", import.Message, StringComparison.Ordinal);
        Assert.All(new[] { start, success, import }, e => Assert.Equal(FieldRules.NotInFuture, e.Errors.Single().Rule));
        Assert.Equal(0L, await server.ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".runs"));
    }

    [Fact]
    public async Task A_completion_from_a_host_whose_clock_is_days_ahead_is_refused_and_the_run_stays_open()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var store = await PostgreSqlScriptRunStore.OpenAsync(server.ConnectionString, new PostgreSqlStoreOptions { Schema = PostgreSqlServer.NewSchemaName(), TimeProvider = clock });
        var run = await store.RecordStartAsync("stepped", clock.GetUtcNow(), "db9");
        clock.Advance(TimeSpan.FromDays(3));

        var error = await Assert.ThrowsAsync<ValidationException>(() => store.CompleteRunAsync(run.RunId, clock.GetUtcNow(), RunOutcome.Succeeded));

        Assert.Contains("completedAt", error.Message, StringComparison.Ordinal);
        Assert.Equal(("completedAt", FieldRules.NotInFuture), (error.Errors.Single().Path, error.Errors[0].Rule));
        Assert.Equal(RunOutcome.Running, Assert.Single(await store.ListRunningAsync()).Outcome);
    }

    [Fact]
    public async Task A_stored_expectation_this_version_cannot_read_makes_only_its_script_unknown()
    {
        var schema = PostgreSqlServer.NewSchemaName();
        await using var store = await OpenSchemaAsync(schema);
        var now = DateTimeOffset.UtcNow;
        await store.RecordSuccessAsync("good", now.AddMinutes(-30), now.AddMinutes(-29), "db1");
        await store.RecordSuccessAsync("bad", now.AddMinutes(-30), now.AddMinutes(-29), "db1");
        await store.SetExpectationAsync(new ScriptExpectation("good") { Schedule = Schedule.Every(TimeSpan.FromHours(1)) });
        await store.SetExpectationAsync(new ScriptExpectation("bad") { Schedule = Schedule.Every(TimeSpan.FromHours(1)) });
        await server.ExecuteAsync($"UPDATE \"{schema}\".expectations SET period = interval '731 days' WHERE script_name = 'bad'");

        var health = await new HealthMonitor(store).EvaluateAsync();

        Assert.Equal([("bad", HealthState.Unknown), ("good", HealthState.Up)], health.Select(h => (h.ScriptName, h.State)));
        Assert.StartsWith("the health of bad cannot be evaluated: its stored expectation cannot be read (", health[0].Summary, StringComparison.Ordinal);
    }

    private async Task<PostgreSqlScriptRunStore> OpenSchemaAsync(string? schema = null) =>
        await PostgreSqlScriptRunStore.OpenAsync(server.ConnectionString, new PostgreSqlStoreOptions { Schema = schema ?? PostgreSqlServer.NewSchemaName() });

    private async Task<string> ExplainAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("EXPLAIN " + sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var plan = new List<string>();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(0));
        }

        return string.Join('\n', plan);
    }
}

using Microsoft.Data.Sqlite;
using ScriptMonitor.Runs;
using ScriptMonitor.Sqlite;
using ScriptMonitor.Testing;

namespace ScriptMonitor.Storage.Tests.Sqlite;

/// <summary>What is particular to the SQLite file: its settings, its schema versions, many writers at once.</summary>
public sealed class SqliteFileTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task In_a_set_group_id_directory_the_database_and_its_log_files_are_writable_by_the_group_whatever_the_umask()
    {
        // A shared store's directory: group-owned, set-group-id, as install.sh --system makes /var/lib/scriptmon.
        var shared = _directory.File("shared");
        Directory.CreateDirectory(shared);
        File.SetUnixFileMode(shared, (UnixFileMode)0b_010_111_111_000); // 2770: rwxrws---
        var path = Path.Combine(shared, "runs.db");

        using (var store = SqliteScriptRunStore.Open(path))
        {
            await store.RecordSuccessAsync("backup", DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                Assert.True(File.Exists(file), file);
                Assert.True((File.GetUnixFileMode(file) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite)) == (UnixFileMode.GroupRead | UnixFileMode.GroupWrite), $"{file}: {File.GetUnixFileMode(file)}");
            }
        }

        // Outside such a directory nothing is changed: the file keeps what the umask gave it.
        var plain = _directory.File("plain.db");
        using (var store = SqliteScriptRunStore.Open(plain))
        {
            await store.RecordSuccessAsync("backup", DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
        }

        var ordinary = _directory.File("ordinary");
        File.WriteAllText(ordinary, string.Empty);
        Assert.Equal(File.GetUnixFileMode(ordinary), File.GetUnixFileMode(plain));
    }

    [Fact]
    public async Task Output_is_pruned_in_batches_across_every_run()
    {
        const int Runs = 5_000;
        var path = _directory.File("runs.db");
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var store = SqliteScriptRunStore.Open(path);
        await store.RecordSuccessAsync("bulk", start, start);
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var insert = connection.CreateCommand();
            // One run a minute from 2026-01-01, in microseconds since the epoch as the store keeps instants.
            insert.CommandText = $"""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Runs})
                INSERT INTO runs (run_id, script_name, hostname, started_at, completed_at, outcome, output)
                SELECT randomblob(16), 'bulk', 'h', {start.ToUnixTimeMilliseconds() * 1000} + i * 60000000, {start.ToUnixTimeMilliseconds() * 1000} + i * 60000000 + 1000000, 2, 'output ' || i FROM n
                """;
            insert.ExecuteNonQuery();
        }

        // The newest 1,000 runs started on or after this.
        var cleared = await store.PruneOutputAsync(start.AddMinutes(Runs - 1_000 + 1));

        Assert.Equal(Runs - 1_000, cleared);
        var kept = await store.ListRunsAsync(new RunQuery("bulk") { Limit = RunQuery.MaxLimit });
        Assert.Equal(1_000, kept.Count(r => r.Output is not null));
        Assert.Equal(Runs + 1, (await store.GetInfoAsync()).RunCount);
    }

    [Fact]
    public async Task Recording_goes_on_while_a_prune_scans_a_large_table()
    {
        // Large enough that choosing what to prune means a scan far longer than one recording; few old enough to go,
        // so the prune is mostly that scan and a single delete batch.
        const int Runs = 300_000;
        const int Old = 500;
        var path = _directory.File("runs.db");
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var store = SqliteScriptRunStore.Open(path);
        await store.RecordSuccessAsync("bulk", start, start);

        // A first prune, of nothing, so that the one below starts scanning at once rather than after its code's
        // first-call start-up, while recordings slip in.
        Assert.Equal(0, await store.PruneAsync(start, keepLast: 10));
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var insert = connection.CreateCommand();
            // Failed runs one a minute from 2026-01-01, in microseconds since the epoch as the store keeps instants.
            insert.CommandText = $"""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Runs})
                INSERT INTO runs (run_id, script_name, hostname, started_at, completed_at, outcome)
                SELECT randomblob(16), 'bulk', 'h', {start.ToUnixTimeMilliseconds() * 1000} + i * 60000000, {start.ToUnixTimeMilliseconds() * 1000} + i * 60000000 + 1000000, 2 FROM n
                """;
            insert.ExecuteNonQuery();
        }

        using var pruneStarted = new ManualResetEventSlim();
        var prune = Task.Run(() =>
        {
            pruneStarted.Set();
            return store.PruneAsync(start.AddMinutes(Old + 1), keepLast: 10);
        });
        pruneStarted.Wait();

        // Recorded while the prune is in progress: with the scan holding the store's connection, only the odd one
        // slips in before or after it.
        var recordedDuringPrune = 0;
        var recorded = 0;
        while (!prune.IsCompleted)
        {
            var at = start.AddMinutes(Runs + 1).AddSeconds(recorded);
            await store.RecordSuccessAsync("meanwhile", at, at);
            recorded++;
            if (!prune.IsCompleted)
            {
                recordedDuringPrune++;
            }
        }

        // The success at the start stays (the script's last success), and every failed run from then to the cutoff goes.
        Assert.Equal(Old, await prune);
        Assert.True(recordedDuringPrune >= 100, $"only {recordedDuringPrune} runs were recorded while the prune was in progress");
        Assert.Equal(recorded, await store.CountRunsAsync(new RunQuery("meanwhile")));
        Assert.Equal(Runs - Old + 1 + recorded, (await store.GetInfoAsync()).RunCount);
        Assert.Equal(start, (await store.GetLastActivityAsync("bulk"))!.DateStarted);
    }

    [Fact]
    public void Open_creates_the_file_and_its_directory_in_WAL_mode_at_the_latest_schema()
    {
        var path = _directory.File("nested/dir/runs.db");

        using (var store = SqliteScriptRunStore.Open(path))
        {
            Assert.Equal(path, store.Path);
            Assert.Equal($"sqlite:{path}", store.Description);
        }

        Assert.True(File.Exists(path));
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        Assert.Equal("wal", Pragma(connection, "journal_mode"));
        Assert.Equal((long)SqliteSchema.LatestVersion, Convert.ToInt64(Pragma(connection, "user_version"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Reopening_keeps_the_data_and_applies_no_migration_twice()
    {
        var path = _directory.File("runs.db");
        using (var store = SqliteScriptRunStore.Open(path))
        {
            store.RecordSuccess("kept", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 1, 0, 1, 0, TimeSpan.Zero));
        }

        using var reopened = SqliteScriptRunStore.Open(path);

        Assert.NotNull(reopened.GetLastActivity("kept"));
    }

    [Fact]
    public void A_database_from_a_newer_version_that_accepts_no_older_writer_is_refused_with_a_clear_message()
    {
        var path = _directory.File("future.db");
        SqliteScriptRunStore.Open(path).Dispose();
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99; UPDATE schema_compatibility SET oldest_writer_version = 99";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<StoreIncompatibleException>(() => SqliteScriptRunStore.Open(path));
        var reading = Assert.Throws<StoreIncompatibleException>(() => SqliteScriptRunStore.OpenReadOnly(path));

        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("schema version 99, newer than this ScriptMonitor knows", reading.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_refused()
    {
        var path = _directory.File("not-a-db.db");
        File.WriteAllText(path, new string('x', 4096));

        var writing = Assert.Throws<StoreUnavailableException>(() => SqliteScriptRunStore.Open(path));
        var reading = Assert.Throws<StoreUnavailableException>(() => SqliteScriptRunStore.OpenReadOnly(path));

        Assert.Contains($"The SQLite database {path} is not a SQLite database", writing.Message, StringComparison.Ordinal);
        Assert.Equal(writing.Message, reading.Message);
        Assert.Equal(new string('x', 4096), File.ReadAllText(path));
    }

    [Fact]
    public void A_file_locked_by_another_writer_past_the_busy_timeout_gives_StoreUnavailableException()
    {
        var path = _directory.File("busy.db");
        using var store = SqliteScriptRunStore.Open(path, new SqliteStoreOptions { BusyTimeout = TimeSpan.FromMilliseconds(100) });
        using var other = new SqliteConnection($"Data Source={path};Pooling=False");
        other.Open();
        using (var hold = other.BeginTransaction(deferred: false))
        {
            var error = Assert.Throws<StoreUnavailableException>(() => store.RecordSuccess("blocked", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 1, 0, 1, 0, TimeSpan.Zero)));

            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Contains("locked by another writer", error.Message, StringComparison.Ordinal);
        }

        store.RecordSuccess("unblocked", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 1, 0, 1, 0, TimeSpan.Zero));
        Assert.Null(store.GetLastActivity("blocked"));
        Assert.NotNull(store.GetLastActivity("unblocked"));
    }

    [Fact]
    public void The_busy_timeout_bounds_the_whole_wait_for_a_locked_file()
    {
        // The driver retried a busy statement until its own timeout had passed, each retry waiting the busy timeout
        // again: 2.5 s became 5 s. The bound a caller such as exec chooses must be the bound. The reference is SQLite's
        // own busy wait for the same bound, measured in the same run, so a loaded machine slows both alike.
        var busy = TimeSpan.FromSeconds(1.5);
        var path = _directory.File("bounded.db");
        using var store = ScriptMonitor.Application.Stores.ScriptRunStores.Open(ScriptMonitor.Application.Stores.ScriptRunStores.Parse(path), waitBound: busy);
        using var other = new SqliteConnection($"Data Source={path};Pooling=False");
        other.Open();
        using var hold = other.BeginTransaction(deferred: false);

        var reference = SqliteOwnBusyWait(path, busy);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        Assert.Throws<StoreUnavailableException>(() => store.RecordStartAsync("blocked", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)).GetAwaiter().GetResult());
        waited.Stop();

        Assert.True(waited.Elapsed < reference * 1.5, $"waited {waited.Elapsed} where SQLite's own busy wait took {reference}");
    }

    /// <summary>How long SQLite itself waits on a locked file with this busy timeout, with no driver retrying around it.</summary>
    private static TimeSpan SqliteOwnBusyWait(string path, TimeSpan busy)
    {
        Assert.Equal(SQLitePCL.raw.SQLITE_OK, SQLitePCL.raw.sqlite3_open(path, out var db));
        using (db)
        {
            SQLitePCL.raw.sqlite3_busy_timeout(db, (int)busy.TotalMilliseconds);
            var waited = System.Diagnostics.Stopwatch.StartNew();
            var result = SQLitePCL.raw.sqlite3_exec(db, "BEGIN IMMEDIATE");
            waited.Stop();
            Assert.Equal(SQLitePCL.raw.SQLITE_BUSY, result);
            return waited.Elapsed;
        }
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(30.0 * 86400)]
    public void A_busy_timeout_out_of_range_is_refused(double seconds)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SqliteScriptRunStore.Open(_directory.File("never.db"), new SqliteStoreOptions { BusyTimeout = TimeSpan.FromSeconds(seconds) }));

        Assert.Contains("options.BusyTimeout", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_directory.File("never.db")));
    }

    [Fact]
    public void A_path_that_cannot_be_opened_gives_StoreUnavailableException_naming_it()
    {
        var directoryPath = _directory.File("a-directory");
        Directory.CreateDirectory(directoryPath);
        var underAFile = _directory.File("a-file");
        File.WriteAllText(underAFile, "not a directory");

        var cannotOpen = Assert.Throws<StoreUnavailableException>(() => SqliteScriptRunStore.Open(directoryPath));
        var cannotCreate = Assert.Throws<StoreUnavailableException>(() => SqliteScriptRunStore.Open(Path.Combine(underAFile, "runs.db")));

        Assert.Equal($"The SQLite database {directoryPath} cannot be used: it is a directory, not a database file.", cannotOpen.Message);
        Assert.Equal($"The SQLite database {Path.Combine(underAFile, "runs.db")} cannot be used: {underAFile} is not a directory.", cannotCreate.Message);
    }

    [Theory]
    [InlineData("/dev/null")]
    [InlineData("/dev/zero")]
    public void A_device_is_no_database_for_reading_or_writing(string path)
    {
        var reading = Assert.Throws<StoreUnavailableException>(() => SqliteScriptRunStore.OpenReadOnly(path));
        var writing = Assert.Throws<StoreUnavailableException>(() => SqliteScriptRunStore.Open(path));

        Assert.Equal($"The SQLite database {path} cannot be used: it is not a regular file (a device, a pipe or a socket), so it cannot hold a database.", reading.Message);
        Assert.Equal(reading.Message, writing.Message);
    }

    [Fact]
    public void OpenReadOnly_of_a_file_that_does_not_exist_returns_null_and_creates_nothing()
    {
        var path = _directory.File("nested/absent.db");

        Assert.Null(SqliteScriptRunStore.OpenReadOnly(path));
        Assert.False(Directory.Exists(_directory.File("nested")));
    }

    [Fact]
    public async Task OpenReadOnly_reads_a_store_and_writes_nothing_to_it()
    {
        var path = _directory.File("runs.db");
        using (var writer = SqliteScriptRunStore.Open(path))
        {
            writer.RecordSuccess("job", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 1, 0, 1, 0, TimeSpan.Zero));
        }

        var database = File.ReadAllBytes(path);
        var log = File.ReadAllBytes(path + "-wal");
        using (var reader = SqliteScriptRunStore.OpenReadOnly(path)!)
        {
            Assert.NotNull(reader.GetLastActivity("job"));
            await Assert.ThrowsAsync<StoreUnavailableException>(() => reader.RecordStartAsync("job", new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero)));
        }

        Assert.Equal(database, File.ReadAllBytes(path));
        Assert.Equal(log, File.ReadAllBytes(path + "-wal"));
    }

    [Fact]
    public void Another_applications_database_is_refused_for_reading_and_writing_and_left_as_it_was()
    {
        var path = _directory.File("app.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE orders (id INTEGER PRIMARY KEY); CREATE TABLE runs (id INTEGER PRIMARY KEY, note TEXT);";
            command.ExecuteNonQuery();
        }

        var before = File.ReadAllBytes(path);

        var reading = Assert.Throws<StoreUnavailableException>(() => SqliteScriptRunStore.OpenReadOnly(path));
        var writing = Assert.Throws<StoreUnavailableException>(() => SqliteScriptRunStore.Open(path));

        Assert.Contains("is a SQLite database of another application (orders, runs)", reading.Message, StringComparison.Ordinal);
        Assert.Equal(reading.Message, writing.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.False(File.Exists(path + "-wal"));
    }

    [Fact]
    public void A_new_store_is_marked_with_ScriptMonitors_application_id()
    {
        var path = _directory.File("runs.db");
        SqliteScriptRunStore.Open(path).Dispose();

        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Assert.Equal("1397583726", Pragma(connection, "application_id"));
    }

    [Fact]
    public async Task OpenReadOnly_refuses_an_older_schema_unless_asked_to_report_on_it_and_migrates_nothing()
    {
        var path = _directory.File("v1.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            SqliteSchema.Migrate(connection, path, SqliteSchema.Migrations, toVersion: 1);
        }

        var error = Assert.Throws<StoreUnavailableException>(() => SqliteScriptRunStore.OpenReadOnly(path));
        await using var inspected = SqliteScriptRunStore.OpenReadOnly(path, new SqliteStoreOptions { AcceptOlderSchema = true })!;
        var info = await inspected.GetInfoAsync();

        Assert.Contains("is at schema version 1, older than this ScriptMonitor reads", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, info.SchemaVersion);
        using var check = new SqliteConnection($"Data Source={path};Pooling=False");
        check.Open();
        Assert.Equal("1", Pragma(check, "user_version"));
    }

    [Fact]
    public async Task The_keys_migration_only_expands_so_a_build_one_version_behind_may_still_write()
    {
        var path = _directory.File("before-keys.db");
        var behind = SqliteSchema.LatestVersion - 1;
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            SqliteSchema.Migrate(connection, path, SqliteSchema.Migrations, toVersion: behind);
        }

        await using var store = SqliteScriptRunStore.Open(path);
        await store.AddKeyAsync(new Access.ApiKey("aaaaaaaa", "after", Access.KeyScope.Admin, [], DateTimeOffset.UtcNow, "cli"), new byte[Access.KeyValidation.SecretHashLength]);
        var info = await store.GetInfoAsync();

        Assert.Equal(SqliteSchema.LatestVersion, info.SchemaVersion);
        Assert.True(info.OldestWriterVersion <= behind, $"the store accepts writers from version {info.OldestWriterVersion}");
        Assert.Equal(Stores.SchemaAccess.NewerCompatible, Stores.SchemaCompatibility.Judge(info.SchemaVersion, info.OldestWriterVersion, behind));
    }

    [Fact]
    public void OpenReadOnly_of_an_empty_file_returns_null_and_leaves_it_empty()
    {
        var path = _directory.File("empty.db");
        File.WriteAllBytes(path, []);

        Assert.Null(SqliteScriptRunStore.OpenReadOnly(path));
        Assert.Equal(0, new FileInfo(path).Length);
    }

    [Fact]
    public async Task A_version_1_file_with_runs_migrates_to_the_latest_and_keeps_them()
    {
        var path = _directory.File("v1.db");
        var started = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var runId = Guid.NewGuid();
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            SqliteSchema.Migrate(connection, path, SqliteSchema.Migrations, toVersion: 1);
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO scripts (name) VALUES ('legacy');
                INSERT INTO runs (run_id, script_name, hostname, started_at, completed_at, outcome, exit_code, output)
                VALUES ($id, 'legacy', 'db1', $started, $completed, 1, 0, NULL),
                       (randomblob(16), 'legacy', 'db1', $completed, NULL, 0, NULL, NULL);
                """;
            command.Parameters.AddWithValue("$id", runId.ToByteArray());
            command.Parameters.AddWithValue("$started", (started - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond);
            command.Parameters.AddWithValue("$completed", (started.AddMinutes(1) - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond);
            command.ExecuteNonQuery();
            Assert.Equal("1", Pragma(connection, "user_version"));
        }

        await using var store = SqliteScriptRunStore.Open(path);
        var info = await store.GetInfoAsync();
        Assert.Equal(SqliteSchema.LatestVersion, info.SchemaVersion);
        Assert.Equal(2, info.RunCount);
        Assert.Equal(runId, (await store.ListRunsAsync(new RunQuery("legacy") { Outcome = RunOutcome.Succeeded })).Single().RunId);

        Assert.True(await store.SetExpectationAsync(new ScriptMonitor.Health.ScriptExpectation("legacy") { Hosts = ScriptMonitor.Health.HostRequirement.Each("db1") }));
        var snapshot = Assert.Single(await store.ReadSnapshotsAsync());
        Assert.Equal(2, snapshot.History.RecentRuns.Count);
        Assert.Single(snapshot.History.InProgress);
        Assert.Equal(started, snapshot.History.LastSuccessByHost["db1"].StartedAt);

        // Version 3 widened the outcome check in place: a run of the old file can now be abandoned, and the file is sound.
        var running = Assert.Single(await store.ListRunningAsync());
        Assert.Null(running.Runner);
        Assert.True(await store.AbandonRunAsync(running.RunId, started.AddDays(1), "the process is gone"));
        Assert.Equal(RunOutcome.Abandoned, (await store.ListRunsAsync(new RunQuery("legacy") { Outcome = RunOutcome.Abandoned })).Single().Outcome);
        using var check = new SqliteConnection($"Data Source={path};Pooling=False");
        check.Open();
        Assert.Equal("ok", Pragma(check, "integrity_check"));
    }

    [Fact]
    public void The_outcome_check_still_refuses_values_outside_the_known_outcomes()
    {
        var path = _directory.File("check.db");
        using (SqliteScriptRunStore.Open(path))
        {
        }

        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO runs (run_id, script_name, hostname, started_at, outcome) VALUES (randomblob(16), 'x', 'h', 0, 4)";
        var error = Assert.Throws<SqliteException>(() => command.ExecuteNonQuery());
        Assert.Contains("CHECK", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writers_that_write_once_each_keep_the_write_ahead_log_bounded()
    {
        // One write per connection never lets SQLite restart its log; a store written by short-lived processes must
        // not grow it forever (each open would read it all).
        const long Limit = 64 * 1024;
        var path = _directory.File("once.db");
        var options = new SqliteStoreOptions { FlushEveryCommit = false, WriteAheadLogLimit = Limit };
        var started = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        long largest = 0;
        for (var i = 0; i < 300; i++)
        {
            await using var store = SqliteScriptRunStore.Open(path, options);
            await store.RecordSuccessAsync("once", started.AddMinutes(i), started.AddMinutes(i).AddSeconds(1), "web1");
            largest = Math.Max(largest, new FileInfo(path + "-wal").Length);
        }

        await using var reader = SqliteScriptRunStore.Open(path, options);
        Assert.Equal(300, (await reader.GetInfoAsync()).RunCount);
        // Without the truncation the log keeps every write: over a megabyte here.
        Assert.True(largest < 4 * Limit, $"the write-ahead log grew to {largest} bytes");
    }

    private static string Pragma(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}

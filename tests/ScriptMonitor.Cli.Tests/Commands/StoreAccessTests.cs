using Microsoft.Data.Sqlite;
using ScriptMonitor.Cli.Tests.Support;

namespace ScriptMonitor.Cli.Tests.Commands;

/// <summary>
/// A store path that cannot be used is an error with its reason, never "no runs yet"; reading never creates, migrates
/// or otherwise writes; and another application's SQLite database is refused by every command and left untouched.
/// </summary>
public sealed class StoreAccessTests : IDisposable
{
    private const UnixFileMode ReadableByAll = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode EnterableByAll = ReadableByAll | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Theory]
    [InlineData("status")]
    [InlineData("db", "info")]
    public void A_database_path_that_is_a_directory_is_an_error_naming_it_never_an_empty_store(params string[] args)
    {
        Directory.CreateDirectory(_sandbox.Database);

        var result = _sandbox.Run(args);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains($"The SQLite database {_sandbox.Database} cannot be used: it is a directory, not a database file.", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("No runs recorded yet", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void The_window_check_of_a_database_path_that_is_a_directory_is_unknown_not_critical()
    {
        Directory.CreateDirectory(_sandbox.Database);

        var result = _sandbox.Run("check", "--window", "60", "web1:job");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.StartsWith($"SCRIPTMON UNKNOWN - The SQLite database {_sandbox.Database} cannot be used: it is a directory", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_database_path_through_a_file_names_the_file()
    {
        File.WriteAllText(_sandbox.File("plain"), "not a directory");
        _sandbox.Database = _sandbox.File("plain", "scriptmon.db");

        var result = _sandbox.Run("status");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains($"{_sandbox.File("plain")} is not a directory", result.Stderr, StringComparison.Ordinal);
    }

    [RootFact]
    public void A_database_in_a_directory_the_user_may_not_enter_is_an_error_naming_the_directory()
    {
        // The sandbox is 0700 and root's: for nobody it is what /root is to a Nagios started from a root shell.
        RecordOneRun(_sandbox.Database);
        var denied = $"the user nobody may not enter the directory {_sandbox.Root} (permission denied)";

        var status = _sandbox.RunUnprivileged("status");
        var info = _sandbox.RunUnprivileged("db", "info");
        var check = _sandbox.RunUnprivileged("check", "--window", "60", "web1:job");

        Assert.True(status.ExitCode == 3, status.ToString());
        Assert.Contains(denied, status.Stderr, StringComparison.Ordinal);
        Assert.True(info.ExitCode == 3, info.ToString());
        Assert.Equal("cannot tell", info.Field("exists"));
        Assert.Contains(denied, info.Stderr, StringComparison.Ordinal);
        Assert.True(check.ExitCode == 3, check.ToString());
        Assert.StartsWith("SCRIPTMON UNKNOWN - ", check.Stdout, StringComparison.Ordinal);
        Assert.Contains(denied, check.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_applications_database_is_refused_by_every_command_and_left_byte_for_byte()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_sandbox.Database)!);
        Execute(_sandbox.Database, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Ada');");
        var before = File.ReadAllBytes(_sandbox.Database);
        const string refusal = "it is a SQLite database of another application (customers), not a ScriptMonitor store";

        // A command that only reads, and one that writes: the two ways every command opens a store.
        var results = new[] { _sandbox.Run("status"), _sandbox.Run("record", "job", "--started", "-1h", "--completed", "now") };
        var check = _sandbox.Run("check");
        var exec = _sandbox.Run("exec", "job", "--", "sh", "-c", "exit 4");

        Assert.All(results, r =>
        {
            Assert.True(r.ExitCode == 3, r.ToString());
            Assert.Contains(refusal, r.Stderr, StringComparison.Ordinal);
        });
        Assert.Equal(3, check.ExitCode);
        Assert.Contains(refusal, check.Stdout, StringComparison.Ordinal);
        Assert.Equal(4, exec.ExitCode);
        Assert.Contains(refusal, exec.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(_sandbox.Database));
        Assert.False(File.Exists(_sandbox.Database + "-wal"), "the database was switched to WAL");
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_refused_and_left_alone()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_sandbox.Database)!);
        File.WriteAllText(_sandbox.Database, "these are my notes, not a database\n");

        var record = _sandbox.Run("record", "job", "--started", "-1h", "--completed", "now");

        Assert.Equal(3, record.ExitCode);
        Assert.Contains("is not a SQLite database", record.Stderr, StringComparison.Ordinal);
        Assert.Equal("these are my notes, not a database\n", File.ReadAllText(_sandbox.Database));
    }

    [Fact]
    public void A_store_of_an_older_schema_is_shown_by_db_info_and_refused_by_read_commands_until_migrated()
    {
        CreateFirstSchemaStore(_sandbox.Database);
        var before = File.ReadAllBytes(_sandbox.Database);

        var info = _sandbox.Run("db", "info");
        var status = _sandbox.Run("status");
        var unchanged = File.ReadAllBytes(_sandbox.Database);
        var migrate = _sandbox.Run("db", "migrate");
        var after = _sandbox.Run("status");

        Assert.True(info.ExitCode == 0, info.ToString());
        Assert.StartsWith("1 (latest ", info.Field("schema version"), StringComparison.Ordinal);
        Assert.Contains("'scriptmon db migrate' upgrades it", info.Field("schema version"), StringComparison.Ordinal);
        Assert.Equal("1", info.Field("runs"));
        Assert.True(status.ExitCode == 3, status.ToString());
        Assert.Contains("is at schema version 1, older than this ScriptMonitor reads", status.Stderr, StringComparison.Ordinal);
        Assert.Contains("'scriptmon db migrate'", status.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, unchanged);
        Assert.Equal(0, migrate.ExitCode);
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Contains("old-job", after.Stdout, StringComparison.Ordinal);
    }

    [RootFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_store_in_a_directory_the_user_may_only_read_is_read_without_writing_anything()
    {
        var directory = _sandbox.File("readonly");
        _sandbox.Database = Path.Combine(directory, "scriptmon.db");
        RecordOneRun(_sandbox.Database);
        File.SetUnixFileMode(_sandbox.Root, EnterableByAll | UnixFileMode.UserWrite);
        foreach (var file in Directory.GetFiles(directory))
        {
            File.SetUnixFileMode(file, ReadableByAll);
        }

        File.SetUnixFileMode(directory, EnterableByAll);

        // WAL mode, with the -wal and -shm files that every scriptmon writer leaves: read through a read-only -shm.
        var withSharedMemory = _sandbox.RunUnprivileged("status");

        // No -shm, and a -wal to read: SQLite cannot read the log without creating one, and the user may not.
        File.Delete(_sandbox.Database + "-shm");
        var withoutSharedMemory = _sandbox.RunUnprivileged("status");

        // Neither: everything is in the file itself, which is read as it is.
        Execute(_sandbox.Database, "PRAGMA wal_checkpoint(TRUNCATE);");
        var checkpointed = _sandbox.RunUnprivileged("status");

        Assert.True(withSharedMemory.ExitCode == 0, withSharedMemory.ToString());
        Assert.Contains("job", withSharedMemory.Stdout, StringComparison.Ordinal);
        Assert.True(withoutSharedMemory.ExitCode == 3, withoutSharedMemory.ToString());
        Assert.Contains($"its shared-memory file {_sandbox.Database}-shm is missing, and the user nobody may not create it in {directory}", withoutSharedMemory.Stderr, StringComparison.Ordinal);
        Assert.True(checkpointed.ExitCode == 0, checkpointed.ToString());
        Assert.Contains("job", checkpointed.Stdout, StringComparison.Ordinal);
        Assert.Equal([_sandbox.Database], Directory.GetFiles(directory));
    }

    /// <summary>A store as scriptmon leaves it, with its -wal and -shm files, holding one run of "job".</summary>
    private static void RecordOneRun(string path)
    {
        using var store = ScriptMonitor.Sqlite.SqliteScriptRunStore.Open(path);
        store.RecordSuccess("job", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow, "web1");
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>A store as the first release of ScriptMonitor wrote it: schema version 1, one run of "old-job".</summary>
    private static void CreateFirstSchemaStore(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var started = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds() * 1000;
        Execute(path, $"""
            CREATE TABLE scripts (name TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID;
            CREATE TABLE runs (
                id INTEGER PRIMARY KEY, run_id BLOB NOT NULL UNIQUE, script_name TEXT NOT NULL, hostname TEXT NOT NULL,
                started_at INTEGER NOT NULL, completed_at INTEGER, outcome INTEGER NOT NULL CHECK (outcome IN (0, 1, 2)),
                exit_code INTEGER, output TEXT);
            CREATE INDEX runs_by_script_outcome_start ON runs (script_name, outcome, started_at);
            CREATE INDEX runs_by_script_start ON runs (script_name, started_at);
            INSERT INTO scripts (name) VALUES ('old-job');
            INSERT INTO runs (run_id, script_name, hostname, started_at, completed_at, outcome)
                VALUES (randomblob(16), 'old-job', 'web1', {started}, {started + 1_000_000}, 1);
            PRAGMA user_version = 1;
            """);
    }
}

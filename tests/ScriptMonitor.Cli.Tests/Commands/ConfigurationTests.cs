using ScriptMonitor.Cli.Tests.Support;

namespace ScriptMonitor.Cli.Tests.Commands;

/// <summary>Where the configuration says the store is: relative to the file that says it, and never a guess.</summary>
public sealed class ConfigurationTests : IDisposable
{
    /// <summary>Runs from a directory other than the configuration file's, with only the file to go by.</summary>
    private const string FromElsewhere = "mkdir -p elsewhere && cd elsewhere && unset SCRIPTMON_DATABASE SCRIPTMON_SPOOL_DIR && \"$@\"";

    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void A_relative_path_in_the_configuration_file_is_beside_the_file_wherever_the_command_runs()
    {
        File.WriteAllText(_sandbox.File("config.json"), """{ "database": "data/runs.db", "spoolDirectory": "data/spool" }""");

        var record = _sandbox.RunShell(FromElsewhere, "record", "job", "--started", "-1h", "--completed", "now");
        var info = _sandbox.RunShell(FromElsewhere, "db", "info");

        Assert.True(record.ExitCode == 0, record.ToString());
        Assert.True(File.Exists(_sandbox.File("data", "runs.db")));
        Assert.False(Directory.Exists(_sandbox.File("elsewhere", "data")));
        Assert.Equal($"sqlite:{_sandbox.File("data", "runs.db")}", info.Field("store"));
        Assert.Equal("the configuration file", info.Field("chosen by"));
        Assert.Equal(_sandbox.File("data", "spool"), info.Field("spool"));
    }

    [Fact]
    public void Without_a_setting_of_their_own_every_user_records_into_the_store_the_system_file_names()
    {
        Directory.CreateDirectory(_sandbox.File("etc"));
        File.WriteAllText(_sandbox.File("etc", "config.json"), """{ "database": "shared/runs.db", "spoolDirectory": "shared/spool" }""");

        var record = _sandbox.RunShell(FromElsewhere, "record", "job", "--started", "-1h", "--completed", "now");
        var info = _sandbox.RunShell(FromElsewhere, "db", "info");
        File.WriteAllText(_sandbox.File("config.json"), """{ "database": "mine.db" }""");
        var own = _sandbox.RunShell(FromElsewhere, "db", "info");

        Assert.True(record.ExitCode == 0, record.ToString());
        Assert.True(File.Exists(_sandbox.File("etc", "shared", "runs.db")));
        Assert.Equal($"sqlite:{_sandbox.File("etc", "shared", "runs.db")}", info.Field("store"));
        Assert.Equal("the system configuration file", info.Field("chosen by"));
        Assert.Equal(_sandbox.File("etc", "shared", "spool"), info.Field("spool"));
        Assert.Equal($"sqlite:{_sandbox.File("mine.db")}", own.Field("store"));
        Assert.Equal("the configuration file", own.Field("chosen by"));
    }

    [Fact]
    public void A_server_configured_beside_a_database_wins_and_a_command_that_needs_a_store_says_so()
    {
        var status = _sandbox.RunShell("SCRIPTMON_SERVER=https://monitor.example/ \"$@\"", "db", "info");
        var explicitDatabase = _sandbox.RunShell("SCRIPTMON_SERVER=https://monitor.example/ \"$@\"", "--database", _sandbox.File("runs.db"), "status");

        Assert.True(status.ExitCode == 3, status.ToString());
        Assert.StartsWith("scriptmon: error: server:https://monitor.example/ (SCRIPTMON_SERVER) names a ScriptMonitor server", status.Stderr, StringComparison.Ordinal);
        Assert.True(explicitDatabase.ExitCode == 0, explicitDatabase.ToString());
    }

    [Fact]
    public void An_empty_entry_in_the_configuration_file_is_an_error_not_the_default()
    {
        File.WriteAllText(_sandbox.File("config.json"), """{ "database": "" }""");

        var result = _sandbox.RunShell(FromElsewhere, "status");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Equal($"scriptmon: error: Configuration file {_sandbox.File("config.json")}: \"database\" is empty; give a value or remove the entry to use the default.\n", result.Stderr);
    }

    [Fact]
    public void A_connection_string_without_a_host_in_the_environment_is_an_error_not_a_file_name()
    {
        var result = _sandbox.RunShell("SCRIPTMON_DATABASE='Database=runs;Username=mon;Password=secret' \"$@\"", "record", "job", "--started", "-1h", "--completed", "now");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("SCRIPTMON_DATABASE: The store setting 'Database=runs;Username=mon;Password=***' is a PostgreSQL connection string that names no host", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_sandbox.Root));
    }

    [Fact]
    public void A_framework_message_reaches_the_user_as_a_sentence_not_a_resource_key()
    {
        File.WriteAllText(_sandbox.File("config.json"), """{ "database": "runs.db" """);

        var result = _sandbox.RunShell(FromElsewhere, "status");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains($"Configuration file {_sandbox.File("config.json")} is not valid JSON: Expected depth to be zero at the end of the JSON payload.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_native_SQLite_library_is_named_with_where_it_belongs()
    {
        var copy = _sandbox.File("install");
        Directory.CreateDirectory(copy);
        var build = Path.GetDirectoryName(ScriptmonBuild.Dll)!;
        foreach (var file in Directory.GetFiles(build, "*.dll").Concat(Directory.GetFiles(build, "*.json")))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        using (var store = ScriptMonitor.Sqlite.SqliteScriptRunStore.Open(_sandbox.Database))
        {
            store.RecordSuccess("job", DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow);
        }

        // The build's own copy of libe_sqlite3.so lives under runtimes/, which is not copied.
        var result = _sandbox.RunShell($"shift {ScriptmonBuild.Command.Count}; exec dotnet '{copy}/scriptmon.dll' \"$@\"", "status");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Equal($"scriptmon: error: The SQLite library libe_sqlite3.so cannot be loaded, so the store sqlite:{_sandbox.Database} cannot be opened; it belongs beside the scriptmon program in {copy}/ (reinstall scriptmon).\n", result.Stderr);
    }
}

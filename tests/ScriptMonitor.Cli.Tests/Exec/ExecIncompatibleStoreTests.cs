using Microsoft.Data.Sqlite;
using ScriptMonitor.Cli.Tests.Support;

namespace ScriptMonitor.Cli.Tests.Exec;

/// <summary>
/// A store migrated by a newer ScriptMonitor that no longer accepts this one is a configuration problem, not an
/// outage: every command says so, check is UNKNOWN, and exec still runs the job and spools its run.
/// </summary>
public sealed class ExecIncompatibleStoreTests : IDisposable
{
    private readonly Sandbox _sandbox = new();

    public ExecIncompatibleStoreTests()
    {
        Assert.Equal(0, _sandbox.Run("db", "migrate").ExitCode);
        using var connection = new SqliteConnection($"Data Source={_sandbox.Database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version = 99; UPDATE schema_compatibility SET oldest_writer_version = 99";
        command.ExecuteNonQuery();
    }

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void Exec_runs_the_job_reports_the_store_and_spools_the_run()
    {
        var result = _sandbox.Run("exec", "upgraded-store", "--", "sh", "-c", "echo job ran; exit 3");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Equal("job ran\n", result.Stdout);
        Assert.Contains("spooled", result.Stderr, StringComparison.Ordinal);
        var spooled = Assert.Single(Runs.Spooled(_sandbox));
        Assert.Equal("upgraded-store", spooled.GetProperty("script").GetString());
        Assert.Contains(spooled.GetProperty("reason").GetString()!, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Commands_exit_3_with_the_reason_and_check_is_unknown()
    {
        var status = _sandbox.Run("status");
        var check = _sandbox.Run("check", "upgraded-store");

        Assert.True(status.ExitCode == 3, status.ToString());
        Assert.StartsWith("scriptmon: error: ", status.Stderr, StringComparison.Ordinal);
        Assert.Contains("99", status.Stderr, StringComparison.Ordinal);
        Assert.True(check.ExitCode == 3, check.ToString());
        Assert.StartsWith("SCRIPTMON UNKNOWN - ", check.Stdout, StringComparison.Ordinal);
    }
}

using System.Globalization;
using ScriptMonitor.Cli.Tests.Support;
using ScriptMonitor.Storage.Tests.PostgreSql;

namespace ScriptMonitor.Cli.Tests.Exec;

/// <summary>
/// The PostgreSQL server goes away while <c>scriptmon exec</c> runs a command: the run is spooled, and once the
/// server is back <c>scriptmon spool flush</c> delivers it exactly once. The server is this test's own, since it is
/// stopped; where PostgreSQL is not installed the test fails rather than skips.
/// </summary>
public sealed class PostgreSqlOutageTests : IDisposable
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(60);

    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task A_run_during_a_server_outage_is_spooled_and_flush_delivers_it_once()
    {
        var bin = ThrowawayPostgreSqlServer.FindBinDirectory() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) are not installed: install postgresql (Debian: apt-get install postgresql).");
        await using var server = await ThrowawayPostgreSqlServer.StartAsync(bin);
        _sandbox.Database = server.ConnectionString;
        var started = _sandbox.File("started");
        var go = _sandbox.File("go");

        using var exec = _sandbox.Start("exec", "pg-outage", "--", "sh", "-c", "touch started; while [ ! -e go ]; do sleep 0.05; done; exit 7");
        var execDone = Sandbox.CompleteAsync(exec);
        await WaitUntilAsync(() => File.Exists(started) || execDone.IsCompleted, "the command to start");
        Assert.False(execDone.IsCompleted, $"exec finished before the server was stopped:\n{(execDone.IsCompleted ? await execDone : null)}");
        var beforeStop = DateTimeOffset.UtcNow;
        await server.StopAsync();
        var afterStop = DateTimeOffset.UtcNow;
        await File.WriteAllTextAsync(go, string.Empty);
        var result = await execDone.WaitAsync(WaitLimit);

        Assert.True(result.ExitCode == 7, result.ToString());
        Assert.Contains("spooled", result.Stderr, StringComparison.Ordinal);
        var spooled = Assert.Single(_sandbox.Run("spool", "list", "--json").Json().GetProperty("entries").EnumerateArray());
        Assert.Equal("pg-outage", spooled.GetProperty("script").GetString());

        await server.RestartAsync();
        var flush = _sandbox.Run("spool", "flush", "--json");

        Assert.True(flush.ExitCode == 0, flush.ToString());
        Assert.Equal(1, flush.Json().GetProperty("delivered").GetInt32());
        var runs = _sandbox.Run("runs", "pg-outage", "--json");
        Assert.True(runs.ExitCode == 0, runs.ToString());
        var run = Assert.Single(runs.Json().GetProperty("runs").EnumerateArray());
        Assert.Equal(spooled.GetProperty("runId").GetGuid(), run.GetProperty("runId").GetGuid());
        Assert.Equal(spooled.GetProperty("startedAt").GetString(), run.GetProperty("startedAt").GetString());
        Assert.Equal(7, run.GetProperty("exitCode").GetInt32());
        var startedAt = Timestamp(run, "startedAt");
        var completedAt = Timestamp(run, "completedAt");
        Assert.True(startedAt <= beforeStop, $"started {startedAt:O}, server stopped from {beforeStop:O}");
        Assert.True(completedAt >= afterStop, $"completed {completedAt:O}, server stopped by {afterStop:O}");

        var again = _sandbox.Run("spool", "flush", "--json");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(0, again.Json().GetProperty("delivered").GetInt32());
        Assert.Empty(_sandbox.Run("spool", "list", "--json").Json().GetProperty("entries").EnumerateArray());
        Assert.Single(_sandbox.Run("runs", "pg-outage", "--json").Json().GetProperty("runs").EnumerateArray());
    }

    private static DateTimeOffset Timestamp(System.Text.Json.JsonElement run, string property) =>
        DateTimeOffset.Parse(run.GetProperty(property).GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(WaitLimit);
        while (!condition())
        {
            try
            {
                await Task.Delay(20, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Gave up waiting for {what} after {WaitLimit}.");
            }
        }
    }
}

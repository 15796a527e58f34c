using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using ScriptMonitor.Cli.Tests.Support;

namespace ScriptMonitor.Cli.Tests.Exec;

/// <summary>
/// A store that will not answer never holds up the job: its timeout, its output and its status are the same, and the
/// run is spooled after a bounded wait once the job ended.
/// </summary>
public sealed class ExecStoreOutageTests : IDisposable
{
    private const int OutputSize = 300_000;

    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Exec_enforces_the_timeout_and_passes_output_on_while_the_SQLite_store_is_locked_then_spools_the_run()
    {
        Assert.Equal(0, _sandbox.Run("db", "migrate").ExitCode);
        await using (var holder = new SqliteConnection($"Data Source={_sandbox.Database};Pooling=False"))
        {
            await holder.OpenAsync();
            await using (var begin = holder.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE";
                await begin.ExecuteNonQueryAsync();
            }

            var result = await _sandbox.RunAsync("exec", "locked-store", "--timeout", "1s", "--", "sh", "-c", $"head -c {OutputSize} /dev/zero; sleep 60");

            Assert.True(result.ExitCode == 124, result.ToString());
            Assert.Equal(OutputSize, result.StdoutBytes.Length);
            Assert.Contains("did not answer within 5s", result.Stderr, StringComparison.Ordinal);
            Assert.Contains("spooled", result.Stderr, StringComparison.Ordinal);
        }

        Assert.Equal(0, _sandbox.Run("spool", "flush").ExitCode);
        var run = Runs.Only(_sandbox, "locked-store");
        Assert.Equal("failed", run.GetProperty("outcome").GetString());
        Assert.Equal(143, run.GetProperty("exitCode").GetInt32());
        Assert.Contains("timed out after 1s", run.Output(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_enforces_the_timeout_while_a_PostgreSQL_server_accepts_connections_and_never_answers()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<Socket>();
        using var stop = new CancellationTokenSource();
        var accepting = AcceptForeverAsync(silent, accepted, stop.Token);
        _sandbox.Database = $"Host=127.0.0.1;Port={((IPEndPoint)silent.LocalEndpoint).Port};Database=scriptmon;Username=scriptmon;Password=unused";

        var result = await _sandbox.RunAsync("exec", "silent-store", "--timeout", "1s", "--", "sleep", "60");
        await stop.CancelAsync();
        await accepting;

        Assert.True(result.ExitCode == 124, result.ToString());
        Assert.Contains("spooled", result.Stderr, StringComparison.Ordinal);
        var spooled = Assert.Single(Runs.Spooled(_sandbox));
        Assert.Equal("silent-store", spooled.GetProperty("script").GetString());
        Assert.Equal(143, spooled.GetProperty("exitCode").GetInt32());
        foreach (var socket in accepted)
        {
            socket.Dispose();
        }
    }

    /// <summary>Accepts every connection and keeps it open without a word: a server that hangs.</summary>
    private static async Task AcceptForeverAsync(TcpListener listener, List<Socket> accepted, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                accepted.Add(await listener.AcceptSocketAsync(cancellationToken));
            }
        }
        catch (OperationCanceledException)
        {
            // The test is over.
        }
    }
}

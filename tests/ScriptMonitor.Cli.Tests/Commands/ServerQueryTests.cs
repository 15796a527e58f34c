using ScriptMonitor.Access;
using ScriptMonitor.Application.Access;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Cli.Tests.Support;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Tests.Support;

namespace ScriptMonitor.Cli.Tests.Commands;

/// <summary>A scriptmon-server with a few runs, and keys to read and to administer it.</summary>
public sealed class QueriedServer : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("scriptmon-cli-server-").FullName;

    public ServerProcess Server { get; private set; } = null!;

    public string Read { get; private set; } = string.Empty;

    public string Admin { get; private set; } = string.Empty;

    public DateTimeOffset BackupStarted { get; } = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds());

    public async Task InitializeAsync()
    {
        var database = Path.Combine(_folder, "server.db");
        using (var store = ScriptRunStores.Open(database))
        {
            for (var run = 3; run >= 1; run--)
            {
                var started = BackupStarted.AddDays(-run + 1);
                await store.RecordSuccessAsync("backup", started, started.AddSeconds(90), "db1");
            }

            await store.RecordFailureAsync("report", BackupStarted, BackupStarted.AddSeconds(3), exitCode: 1, message: "no data", hostname: "web1");
            var keys = new KeyService(store, TimeProvider.System);
            Read = (await keys.CreateAsync("monitoring", KeyScope.Read, [], "cli")).Secret;
            Admin = (await keys.CreateAsync("ops", KeyScope.Admin, [], "cli")).Secret;
        }

        Server = await ServerProcess.Start(database).WaitUntilListeningAsync();
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A sandbox whose scriptmon reads through the server (SCRIPTMON_SERVER, SCRIPTMON_KEY), with no store of its own.</summary>
    public Sandbox Sandbox(string key)
    {
        var sandbox = new Sandbox();
        sandbox.Variables["SCRIPTMON_SERVER"] = Server.BaseAddress.ToString();
        sandbox.Variables["SCRIPTMON_KEY"] = key;
        return sandbox;
    }
}

/// <summary>status, runs, last, stats, check and expect against a running scriptmon-server, as against a store.</summary>
public sealed class ServerQueryTests(QueriedServer server) : IClassFixture<QueriedServer>
{
    [Fact]
    public void Status_lists_the_servers_scripts_in_text_and_json()
    {
        using var sandbox = server.Sandbox(server.Read);

        var text = sandbox.Run("status");
        var json = sandbox.Run("status", "--json");

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("backup", text.Stdout, StringComparison.Ordinal);
        Assert.Equal(["backup", "report"], json.Json().GetProperty("scripts").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.False(File.Exists(sandbox.Database), "reading through a server creates no store of its own");
    }

    [Fact]
    public void Runs_last_and_stats_answer_from_the_server_and_an_unknown_script_is_bad_input()
    {
        using var sandbox = server.Sandbox(server.Read);

        var runs = sandbox.Run("runs", "backup", "--json");
        var last = sandbox.Run("last", "backup", "--json");
        var never = sandbox.Run("last", "report");
        var stats = sandbox.Run("stats", "backup", "--json");
        var unknown = sandbox.Run("runs", "bakup");

        Assert.True(runs.ExitCode == 0, runs.ToString());
        Assert.Equal(3, runs.Json().GetProperty("runs").GetArrayLength());
        Assert.Equal(Timestamps.FormatIso(server.BackupStarted), last.Json().GetProperty("startedAt").GetString());
        Assert.Equal(1, never.ExitCode);
        Assert.Equal(3, stats.Json().GetProperty("count").GetInt32());
        Assert.True(unknown.ExitCode == 2, unknown.ToString());
        Assert.Contains("bakup", unknown.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_gives_the_plugins_status_line_and_exit_code_from_the_server()
    {
        using var sandbox = server.Sandbox(server.Read);

        var failing = sandbox.Run("check", "report");

        Assert.True(failing.ExitCode == 2, failing.ToString());
        Assert.StartsWith("SCRIPTMON CRITICAL", failing.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Expect_sets_an_expectation_through_the_server_with_an_admin_key_and_a_read_key_is_refused()
    {
        using var admin = server.Sandbox(server.Admin);
        using var read = server.Sandbox(server.Read);

        var refused = read.Run("expect", "backup", "--every", "1d");
        var set = admin.Run("expect", "backup", "--every", "1d");
        var shown = read.Run("expect", "backup", "--show", "--json");

        Assert.True(refused.ExitCode == 3, refused.ToString());
        Assert.Contains("scope", refused.Stderr, StringComparison.Ordinal);
        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.Equal(86400, shown.Json().GetProperty("everySeconds").GetDouble());
    }

    [Fact]
    public void Commands_that_change_the_store_itself_say_to_run_them_on_the_servers_host()
    {
        using var sandbox = server.Sandbox(server.Admin);

        var prune = sandbox.Run("prune", "--older-than", "30d");
        var record = sandbox.Run("record", "backup", "--started", "-2h", "--completed", "-1h");

        Assert.True(prune.ExitCode == 3, prune.ToString());
        Assert.Contains("run it on the server's host", prune.Stderr, StringComparison.Ordinal);
        Assert.True(record.ExitCode == 3, record.ToString());
        Assert.Contains("scriptmon record", record.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_that_does_not_answer_is_the_store_unavailable_exit_code_with_a_message_naming_it()
    {
        using var sandbox = new Sandbox();
        sandbox.Variables["SCRIPTMON_SERVER"] = $"http://127.0.0.1:{ThrowawayPort()}/";
        sandbox.Variables["SCRIPTMON_KEY"] = server.Read;

        var status = sandbox.Run("status");
        var check = sandbox.Run("check");

        Assert.True(status.ExitCode == 3, status.ToString());
        Assert.Contains("server:http://127.0.0.1:", status.Stderr, StringComparison.Ordinal);
        Assert.Equal(3, check.ExitCode);
        Assert.StartsWith("SCRIPTMON UNKNOWN - server:http://127.0.0.1:", check.Stdout, StringComparison.Ordinal);
    }

    /// <summary>A loopback port nothing listens on: one the system just handed out and took back.</summary>
    private static int ThrowawayPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

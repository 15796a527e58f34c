using System.Text.Json;
using ScriptMonitor.Cli.Tests.Support;
using ScriptMonitor.Server.Tests.Support;

namespace ScriptMonitor.Cli.Tests.Exec;

/// <summary>
/// <c>scriptmon exec</c> with <c>SCRIPTMON_SERVER</c> and <c>SCRIPTMON_KEY</c> set records through a real
/// scriptmon-server; whatever the server does, the job runs unchanged, its status passes through and the run waits in
/// the spool until <c>spool flush</c> delivers it once. What the server stored is read from its store, as
/// <c>scriptmon runs</c> shows it.
/// </summary>
public sealed class ExecThroughServerTests : IDisposable
{
    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Exec_records_the_run_on_the_server_with_its_exit_status_and_output()
    {
        var key = CreateKey("db1", "ingest", "backup-*");
        await using var server = await ServerProcess.Start(_sandbox.Database).WaitUntilListeningAsync();

        var result = await ThroughServer(server, key, "exec", "backup-db", "--", "sh", "-c", "echo dumped 42 tables; echo disk almost full >&2; exit 3");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Equal("dumped 42 tables\n", result.Stdout);
        Assert.Equal("disk almost full\n", result.Stderr);
        var run = Runs.Only(_sandbox, "backup-db");
        Assert.Equal("failed", run.GetProperty("outcome").GetString());
        Assert.Equal(3, run.GetProperty("exitCode").GetInt32());
        Assert.Contains("dumped 42 tables", run.Output(), StringComparison.Ordinal);
        Assert.Contains("disk almost full", run.Output(), StringComparison.Ordinal);
        Assert.Empty(Runs.Spooled(_sandbox));
    }

    [Fact]
    public async Task A_server_that_goes_away_during_the_run_leaves_the_job_alone_and_spool_flush_delivers_the_run_once()
    {
        var key = CreateKey("db1", "ingest", "backup-*");
        var started = _sandbox.File("started");
        var go = _sandbox.File("go");
        var first = await ServerProcess.Start(_sandbox.Database).WaitUntilListeningAsync();
        Task<CliResult> exec;
        await using (first)
        {
            exec = ThroughServer(first, key, "exec", "backup-home", "--", "sh", "-c", $"touch '{started}'; while [ ! -e '{go}' ]; do sleep 0.05; done; echo copied; exit 4");
            await Sandbox.WaitForFileAsync(started);
            await Sandbox.WaitUntilAsync(() => Runs.Recorded(_sandbox, "backup-home").Length == 1, "the start on the server");
            first.Signal("TERM");
            Assert.Equal(0, await first.WaitForExitAsync());
        }

        await File.WriteAllTextAsync(go, string.Empty);
        var result = await exec;

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Equal("copied\n", result.Stdout);
        Assert.Contains("spooled", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(first.BaseAddress.Authority, result.Stderr, StringComparison.Ordinal);
        var spooled = Assert.Single(Runs.Spooled(_sandbox));
        Assert.Equal("running", Runs.Only(_sandbox, "backup-home").GetProperty("outcome").GetString());

        await using var second = await ServerProcess.Start(_sandbox.Database).WaitUntilListeningAsync();
        var flush = await ThroughServer(second, key, "spool", "flush", "--json");
        var again = await ThroughServer(second, key, "spool", "flush", "--json");

        Assert.True(flush.ExitCode == 0, flush.ToString());
        Assert.Equal(1, flush.Json().GetProperty("delivered").GetInt32());
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(0, again.Json().GetProperty("delivered").GetInt32());
        Assert.Empty(Runs.Spooled(_sandbox));
        var run = Runs.Only(_sandbox, "backup-home");
        Assert.Equal(spooled.GetProperty("runId").GetString(), run.GetProperty("runId").GetString());
        Assert.Equal("failed", run.GetProperty("outcome").GetString());
        Assert.Equal(4, run.GetProperty("exitCode").GetInt32());
        Assert.Equal(Instant(spooled, "startedAt"), Instant(run, "startedAt"));
        Assert.Equal(Instant(spooled, "completedAt"), Instant(run, "completedAt"));
    }

    [Fact]
    public async Task A_key_the_server_refuses_leaves_the_job_alone_says_why_and_spools_the_run()
    {
        var key = CreateKey("db1", "ingest", "backup-*");
        await using var server = await ServerProcess.Start(_sandbox.Database).WaitUntilListeningAsync();

        var unknown = await ThroughServer(server, "smk_not-a-key-the-server-issued", "exec", "backup-db", "--", "sh", "-c", "echo done");
        var outOfScope = await ThroughServer(server, key, "exec", "report-daily", "--", "sh", "-c", "exit 2");

        Assert.True(unknown.ExitCode == 0, unknown.ToString());
        Assert.Equal("done\n", unknown.Stdout);
        Assert.Contains("401", unknown.Stderr, StringComparison.Ordinal);
        Assert.Contains("SCRIPTMON_KEY", unknown.Stderr, StringComparison.Ordinal);
        Assert.Contains("spooled", unknown.Stderr, StringComparison.Ordinal);
        Assert.True(outOfScope.ExitCode == 2, outOfScope.ToString());
        Assert.Contains("403", outOfScope.Stderr, StringComparison.Ordinal);
        Assert.Contains("may not record runs of 'report-daily'", outOfScope.Stderr, StringComparison.Ordinal);
        Assert.Equal(["backup-db", "report-daily"], Runs.Spooled(_sandbox).Select(e => e.GetProperty("script").GetString()).Order());
        Assert.Empty(Runs.Recorded(_sandbox, "backup-db"));
    }

    [Fact]
    public async Task A_host_delivering_its_spool_reports_its_backlog_and_the_server_shows_it_in_its_metrics()
    {
        var ingest = CreateKey("db1", "ingest", "*");
        var read = _sandbox.Run("key", "create", "--name", "prometheus", "--scope", "read", "--json").Json().GetProperty("secret").GetString()!;
        await using var server = await ServerProcess.Start(_sandbox.Database).WaitUntilListeningAsync();
        foreach (var script in new[] { "backup-a", "backup-b", "backup-c" })
        {
            // A key the server does not know: the run is spooled, as it would be during an outage.
            Assert.Equal(0, (await ThroughServer(server, "smk_not-a-key-the-server-issued", "exec", script, "--", "true")).ExitCode);
        }

        Assert.Equal(3, Runs.Spooled(_sandbox).Length);
        var flush = await ThroughServer(server, ingest, "spool", "flush", "--json");

        Assert.True(flush.ExitCode == 0, flush.ToString());
        Assert.Equal(3, flush.Json().GetProperty("delivered").GetInt32());
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", read);
        var metrics = await client.GetStringAsync("/metrics");
        var host = System.Net.Dns.GetHostName();
        Assert.Contains($"scriptmon_host_spool_backlog{{host=\"{host}\"}} 0\n", metrics, StringComparison.Ordinal);
        Assert.Contains($"scriptmon_host_spool_backlog_reported_timestamp_seconds{{host=\"{host}\"}} ", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_backlog_report_that_breaks_a_rule_is_400_naming_the_field()
    {
        var ingest = CreateKey("db1", "ingest", "*");
        await using var server = await ServerProcess.Start(_sandbox.Database).WaitUntilListeningAsync();
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", ingest);

        using var negative = await client.PostAsync("/api/v1/spool-backlog", new StringContent("{\"host\":\"db1\",\"waiting\":-1}", System.Text.Encoding.UTF8, "application/json"));
        using var noHost = await client.PostAsync("/api/v1/spool-backlog", new StringContent("{\"waiting\":3}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, negative.StatusCode);
        Assert.Contains("\"waiting\"", await negative.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, noHost.StatusCode);
        Assert.Contains("\"host\"", await noHost.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static DateTimeOffset Instant(JsonElement element, string name) =>
        DateTimeOffset.Parse(element.GetProperty(name).GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Issues a key as an operator does, with <c>scriptmon key create</c> on the server's store.</summary>
    private string CreateKey(string name, string scope, string scripts)
    {
        var created = _sandbox.Run("key", "create", "--name", name, "--scope", scope, "--script", scripts, "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        return created.Json().GetProperty("secret").GetString()!;
    }

    /// <summary>Runs scriptmon with the server and the key in its environment, as a crontab line sets them.</summary>
    private Task<CliResult> ThroughServer(ServerProcess server, string key, params string[] args) =>
        Sandbox.CompleteAsync(_sandbox.Start(
            ["env", $"SCRIPTMON_SERVER={server.BaseAddress}", $"SCRIPTMON_KEY={key}"],
            args));
}

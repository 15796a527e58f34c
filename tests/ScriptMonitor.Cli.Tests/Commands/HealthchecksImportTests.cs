using System.Net;
using System.Net.Sockets;
using System.Text;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Cli.Tests.Support;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Tests.Support;

namespace ScriptMonitor.Cli.Tests.Commands;

/// <summary>
/// <c>scriptmon import healthchecks</c> against a Healthchecks-shaped API on 127.0.0.1, then the old ping URLs on a
/// real scriptmon-server over the imported store.
/// </summary>
public sealed class HealthchecksImportTests
{
    private const string ReadWriteKey = "hcw_0123456789abcdefghijklmnopqr";
    private const string ReadOnlyKey = "hcr_0123456789abcdefghijklmnopqr";
    private const string BackupUuid = "0a7c6e1e-4b8f-4f43-9a52-2f0d8d1c3b11";
    private const string RotateUuid = "7d1f5b0e-93c2-4c55-8e0a-6f4b2a9d8c22";

    private const string ReadWriteChecks = $$"""
        {"checks": [
          {"name": "Nightly Backup", "slug": "nightly-backup", "tags": "prod db", "desc": "pg_dump", "grace": 900, "n_pings": 10,
           "status": "up", "started": false, "last_ping": null, "next_ping": null, "manual_resume": false, "methods": "",
           "schedule": "15 3 * * *", "tz": "Europe/Riga", "uuid": "{{BackupUuid}}",
           "ping_url": "https://hc-ping.com/{{BackupUuid}}", "update_url": "https://healthchecks.io/api/v3/checks/{{BackupUuid}}"},
          {"name": "rotate logs", "slug": "", "tags": "", "desc": "", "grace": 3600, "n_pings": 0, "status": "paused",
           "started": false, "last_ping": null, "next_ping": null, "manual_resume": false, "methods": "", "timeout": 86400,
           "ping_url": "https://hc-ping.com/{{RotateUuid}}", "update_url": "https://healthchecks.io/api/v3/checks/{{RotateUuid}}"},
          {"name": "Weekday report", "slug": "weekday-report", "tags": "", "desc": "", "grace": 3600, "n_pings": 0,
           "status": "new", "started": false, "schedule": "Mon..Fri *-*-* 07:00", "tz": "UTC",
           "uuid": "3c9e2d4a-1111-4a2b-8c3d-4e5f60718293"}
        ]}
        """;

    private const string ReadOnlyChecks = """
        {"checks": [{"name": "Nightly Backup", "slug": "nightly-backup", "tags": "", "grace": 900, "status": "up",
          "timeout": 86400, "unique_key": "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3"}]}
        """;

    [Fact]
    public async Task An_import_keeps_uuids_slugs_and_schedules_skips_on_calendar_is_idempotent_and_the_old_ping_urls_record_runs()
    {
        await using var healthchecks = HealthchecksFixture.Start();
        using var sandbox = new Sandbox();

        var dryRun = await sandbox.RunAsync("import", "healthchecks", "--url", healthchecks.Url, "--key", ReadWriteKey, "--dry-run");
        var storeAfterDryRun = File.Exists(sandbox.Database);
        var first = await sandbox.RunAsync("import", "healthchecks", "--url", healthchecks.Url + "/", "--key", ReadWriteKey);
        var again = await sandbox.RunAsync("import", "healthchecks", "--url", healthchecks.Url, "--key", ReadWriteKey);
        var wrongKey = await sandbox.RunAsync("import", "healthchecks", "--url", healthchecks.Url, "--key", "hcw_" + new string('z', 28));

        Assert.True(dryRun.ExitCode == 1, dryRun.ToString());
        Assert.Contains("would import nightly-backup: cron '15 3 * * *' (Europe/Riga), grace 900 s, tags prod db, UUID " + BackupUuid, dryRun.Stdout, StringComparison.Ordinal);
        Assert.False(storeAfterDryRun, "a dry run changes nothing");
        Assert.True(first.ExitCode == 1, first.ToString());
        Assert.Contains("Imported 2 checks", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("skipped 'Weekday report': its schedule 'Mon..Fri *-*-* 07:00' is a systemd OnCalendar schedule", first.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("[1/3]", first.Stderr, StringComparison.Ordinal);
        Assert.Equal((1, first.Stdout), (again.ExitCode, again.Stdout));
        Assert.Equal(2, wrongKey.ExitCode);
        Assert.Contains("--key", wrongKey.Stderr, StringComparison.Ordinal);

        using (var store = ScriptRunStores.Open(sandbox.Database))
        {
            Assert.Equal(
                [new PingIdentity("nightly-backup", Guid.Parse(BackupUuid), "nightly-backup"), new PingIdentity("rotate-logs", Guid.Parse(RotateUuid), "rotate-logs")],
                await store.ListPingIdentitiesAsync());
            var backup = (await store.GetExpectationAsync("nightly-backup"))!;
            Assert.Equal(("15 3 * * *", "Europe/Riga"), (((Health.CronSchedule)backup.Schedule!).Expression, ((Health.CronSchedule)backup.Schedule!).TimeZone));
            Assert.Equal(TimeSpan.FromSeconds(900), backup.Grace);
            Assert.Equal(["db", "prod"], backup.Tags.Order(StringComparer.Ordinal));
            var rotate = (await store.GetExpectationAsync("rotate-logs"))!;
            Assert.Equal(TimeSpan.FromDays(1), ((Health.PeriodSchedule)rotate.Schedule!).Period);
            Assert.True(rotate.Paused);
        }

        await using var server = await ServerProcess.Start(sandbox.Database).WaitUntilListeningAsync();
        using var client = server.CreateClient();
        using var ping = await client.PostAsync(new Uri($"/hc/ping/{BackupUuid}", UriKind.Relative), new StringContent("dumped"));
        using var kuma = await client.GetAsync(new Uri($"/uptime-kuma/api/push/{RotateUuid.Replace("-", string.Empty, StringComparison.Ordinal)}?status=up", UriKind.Relative));

        Assert.Equal(("OK", HttpStatusCode.OK), (await ping.Content.ReadAsStringAsync(), kuma.StatusCode));
        using var after = ScriptRunStores.Open(sandbox.Database);
        Assert.Equal(RunOutcome.Succeeded, Assert.Single(await after.ListRunsAsync(new RunQuery("nightly-backup"))).Outcome);
        Assert.Single(await after.ListRunsAsync(new RunQuery("rotate-logs")));
    }

    [Fact]
    public async Task A_read_only_key_stops_the_import_unless_new_uuids_are_asked_for()
    {
        await using var healthchecks = HealthchecksFixture.Start();
        using var sandbox = new Sandbox();

        var refused = await sandbox.RunAsync("import", "healthchecks", "--url", healthchecks.Url, "--key", ReadOnlyKey);
        var storeAfterRefusal = File.Exists(sandbox.Database);
        var renewed = await sandbox.RunAsync("import", "healthchecks", "--url", healthchecks.Url, "--key", ReadOnlyKey, "--new-uuids");

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("--key: the key is read-only", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("Nothing was imported", refused.Stderr, StringComparison.Ordinal);
        Assert.False(storeAfterRefusal);
        Assert.True(renewed.ExitCode == 0, renewed.ToString());
        using var store = ScriptRunStores.Open(sandbox.Database);
        Assert.Equal("nightly-backup", Assert.Single(await store.ListPingIdentitiesAsync()).ScriptName);
        Assert.Equal(TimeSpan.FromDays(1), ((Health.PeriodSchedule)(await store.GetExpectationAsync("nightly-backup"))!.Schedule!).Period);
    }

    /// <summary>A Healthchecks-shaped <c>/api/v3/checks/</c> on 127.0.0.1 that answers by the key given.</summary>
    private sealed class HealthchecksFixture : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _serving;

        private HealthchecksFixture(int port)
        {
            Url = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Url + "/");
            _listener.Start();
            _serving = Task.Run(ServeAsync);
        }

        public string Url { get; }

        public static HealthchecksFixture Start()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return new HealthchecksFixture(port);
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            _listener.Close();
            try
            {
                await _serving;
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
            }
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                var key = context.Request.Headers["X-Api-Key"];
                var (status, body) = context.Request.Url!.AbsolutePath != "/api/v3/checks/"
                    ? (404, "not found")
                    : key == ReadWriteKey ? (200, ReadWriteChecks)
                    : key == ReadOnlyKey ? (200, ReadOnlyChecks)
                    : (401, """{"error": "wrong api key"}""");
                var bytes = Encoding.UTF8.GetBytes(body);
                context.Response.StatusCode = status;
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        }
    }
}

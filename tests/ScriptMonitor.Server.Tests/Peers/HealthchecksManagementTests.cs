using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ScriptMonitor.Access;
using ScriptMonitor.Alerts;
using ScriptMonitor.Application.Alerts;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Tests.Support;

namespace ScriptMonitor.Server.Tests.Peers;

/// <summary>
/// A server whose keys are Healthchecks keys kept with their own text (a team moving over keeps its Terraform and
/// dashboard settings), with two channels and a script whose ping UUID was set rather than made.
/// </summary>
public sealed class HealthchecksKeptKeysServer : IAsyncLifetime
{
    public const string ReadWriteKey = "hcw_0123456789abcdefghijklmnopqr";
    public const string ReadOnlyKey = "hcr_0123456789abcdefghijklmnopqr";
    public static readonly Guid KeptUuid = Guid.Parse("5b1d2a0c-9f7e-4e11-8f35-0c2a6b7d9e01");

    private readonly TempFolder _folder = new();

    public ServerProcess Server { get; private set; } = null!;

    public string Database { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        Database = _folder.File("scriptmon.db");
        using (var store = ScriptRunStores.Open(Database))
        {
            var keys = new ScriptMonitor.Application.Access.KeyService(store, TimeProvider.System);
            await keys.AdoptAsync("terraform", KeyScope.Admin, ReadWriteKey, "cli");
            await keys.AdoptAsync("grafana", KeyScope.Read, ReadOnlyKey, "cli");
            foreach (var name in new[] { "ops-mail", "chat" })
            {
                Assert.True(await store.SaveChannelAsync(new AlertChannel(name, ChannelKind.Webhook)
                {
                    Settings = new Dictionary<string, string> { [ChannelSettings.Url] = "http://127.0.0.1:9/" + name, [ChannelSettings.AllowPrivate] = "true" },
                    ScriptNames = ["nobody"],
                    CreatedAt = DateTimeOffset.UtcNow,
                }));
            }

            await store.SetPingIdentityAsync("db-dump", KeptUuid);
        }

        Server = await ServerProcess.Start(Database).WaitUntilListeningAsync();
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        _folder.Dispose();
    }
}

/// <summary>
/// Healthchecks' management API beyond reading checks, and its Prometheus endpoint, as Terraform, Ansible and
/// Grafana call them, with Healthchecks keys kept as ScriptMonitor keys.
/// </summary>
public sealed class HealthchecksManagementTests(HealthchecksKeptKeysServer fixture) : IClassFixture<HealthchecksKeptKeysServer>
{
    private const string ReadWrite = HealthchecksKeptKeysServer.ReadWriteKey;
    private const string ReadOnly = HealthchecksKeptKeysServer.ReadOnlyKey;

    [Fact]
    public async Task Terraforms_sequence_with_channels_creates_finds_updates_pauses_and_deletes_a_check()
    {
        using var channels = await SendAsync(HttpMethod.Get, "/hc/api/v1/channels/", ReadWrite);
        var channelIds = (await JsonAsync(channels)).GetProperty("channels").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => (Id: c.GetProperty("id").GetString()!, Kind: c.GetProperty("kind").GetString()));
        var mail = channelIds["ops-mail"].Id;
        using var created = await SendAsync(HttpMethod.Post, "/hc/api/v1/checks/", ReadWrite,
            $$"""{"name": "tf-backup", "slug": "tf-backup", "tags": "prod", "timeout": 3600, "grace": 300, "channels": "{{mail}}", "desc": "", "methods": "", "schedule": "", "tz": "UTC", "unique": ["name"]}""".Replace("\"schedule\": \"\", ", string.Empty, StringComparison.Ordinal));
        var check = await JsonAsync(created);
        var updateUrl = check.GetProperty("update_url").GetString()!;
        var id = updateUrl[(updateUrl.LastIndexOf('/') + 1)..];
        using var list = await SendAsync(HttpMethod.Get, "/hc/api/v1/checks/", ReadWrite);
        var listed = (await JsonAsync(list)).GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("update_url").GetString()!.EndsWith("/" + id, StringComparison.Ordinal));
        using var update = await SendAsync(HttpMethod.Post, updateUrl, ReadWrite, """{"name": "tf-backup", "timeout": 7200, "grace": 600, "channels": "*"}""");
        using var unknownChannel = await SendAsync(HttpMethod.Post, updateUrl, ReadWrite, """{"channels": "no-such-channel"}""");
        using var pause = await SendAsync(HttpMethod.Post, updateUrl + "/pause", ReadWrite, string.Empty);
        using var ping = await new HttpClient().PostAsync(new Uri(check.GetProperty("ping_url").GetString()!), new StringContent("ok"));
        using var delete = await SendAsync(HttpMethod.Delete, updateUrl, ReadWrite);
        using var gone = await SendAsync(HttpMethod.Get, updateUrl, ReadWrite);
        using var deleteAgain = await SendAsync(HttpMethod.Delete, updateUrl, ReadWrite);
        using var pingAfterDelete = await new HttpClient().PostAsync(new Uri(check.GetProperty("ping_url").GetString()!), new StringContent("late"));

        Assert.Equal("webhook", channelIds["chat"].Kind);
        Assert.True(Guid.TryParse(mail, out _));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(mail, check.GetProperty("channels").GetString());
        Assert.Equal(mail, listed.GetProperty("channels").GetString());
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        var updated = await JsonAsync(update);
        Assert.Equal((7200L, 600L), (updated.GetProperty("timeout").GetInt64(), updated.GetProperty("grace").GetInt64()));
        Assert.Equal(string.Join(',', new[] { mail, channelIds["chat"].Id }.Order(StringComparer.Ordinal)), updated.GetProperty("channels").GetString());
        Assert.Equal((HttpStatusCode.BadRequest, """{"error":"invalid channel identifier: no-such-channel"}"""), (unknownChannel.StatusCode, await unknownChannel.Content.ReadAsStringAsync()));
        Assert.Equal("paused", (await JsonAsync(pause)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal(id, (await JsonAsync(delete)).GetProperty("uuid").GetString());
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, deleteAgain.StatusCode);
        Assert.Equal((HttpStatusCode.NotFound, "not found"), (pingAfterDelete.StatusCode, await pingAfterDelete.Content.ReadAsStringAsync()));
        using var store = ScriptRunStores.Open(fixture.Database);
        Assert.Null(await store.GetExpectationAsync("tf-backup"));
        Assert.DoesNotContain("tf-backup", (await store.ListChannelsAsync()).SelectMany(c => c.ScriptNames));
        Assert.Single(await store.ListRunsAsync(new RunQuery("tf-backup")));
    }

    [Fact]
    public async Task A_checks_runs_are_its_pings_newest_first_with_durations_bodies_and_state()
    {
        using var made = await SendAsync(HttpMethod.Post, "/hc/api/v3/checks/", ReadWrite, """{"name": "pings-job"}""");
        var uuid = (await JsonAsync(made)).GetProperty("uuid").GetString();
        using var client = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        var rid = Guid.NewGuid();
        (await client.PostAsync(new Uri($"/hc/ping/{uuid}/start?rid={rid}", UriKind.Relative), new StringContent(string.Empty))).Dispose();
        using var running = await SendAsync(HttpMethod.Get, $"/hc/api/v3/checks/{uuid}", ReadWrite);
        (await client.PostAsync(new Uri($"/hc/ping/{uuid}?rid={rid}", UriKind.Relative), new StringContent("dumped 3 databases"))).Dispose();
        (await client.PostAsync(new Uri($"/hc/ping/{uuid}/3", UriKind.Relative), new StringContent("disk full"))).Dispose();
        using var pings = await SendAsync(HttpMethod.Get, $"/hc/api/v3/checks/{uuid}/pings/", ReadWrite);
        var listed = (await JsonAsync(pings)).GetProperty("pings").EnumerateArray().ToList();
        using var failureBody = await SendAsync(HttpMethod.Get, $"/hc/api/v3/checks/{uuid}/pings/{listed[0].GetProperty("n").GetInt64()}/body", ReadWrite);
        using var successBody = await SendAsync(HttpMethod.Get, new Uri(listed[1].GetProperty("body_url").GetString()!).PathAndQuery, ReadWrite);
        using var startBody = await SendAsync(HttpMethod.Get, $"/hc/api/v3/checks/{uuid}/pings/{listed[2].GetProperty("n").GetInt64()}/body", ReadWrite);
        using var readOnlyPings = await SendAsync(HttpMethod.Get, $"/hc/api/v3/checks/{uuid}/pings/", ReadOnly);
        using var after = await SendAsync(HttpMethod.Get, $"/hc/api/v3/checks/{uuid}", ReadWrite);

        var check = await JsonAsync(running);
        Assert.True(check.GetProperty("started").GetBoolean());
        Assert.Equal(["fail", "success", "start"], listed.Select(p => p.GetProperty("type").GetString()));
        Assert.Equal([4L, 2L, 1L], listed.Select(p => p.GetProperty("n").GetInt64()));
        Assert.True(listed[1].GetProperty("duration").GetDouble() >= 0);
        Assert.False(listed[0].TryGetProperty("duration", out _) && listed[0].GetProperty("duration").GetDouble() > 0);
        Assert.Equal(listed[1].GetProperty("rid").GetString(), listed[2].GetProperty("rid").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$", listed[0].GetProperty("date").GetString()!);
        Assert.Equal("disk full", await failureBody.Content.ReadAsStringAsync());
        Assert.Equal("dumped 3 databases", await successBody.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, startBody.StatusCode);
        Assert.Equal((HttpStatusCode.Unauthorized, """{"error":"wrong api key"}"""), (readOnlyPings.StatusCode, await readOnlyPings.Content.ReadAsStringAsync()));
        var now = await JsonAsync(after);
        Assert.Equal((4L, false), (now.GetProperty("n_pings").GetInt64(), now.GetProperty("started").GetBoolean()));
    }

    [Fact]
    public async Task Flips_badges_and_kept_keys_answer_in_healthchecks_shape()
    {
        using var readOnlyList = await SendAsync(HttpMethod.Get, "/hc/api/v3/checks/", ReadOnly);
        var uniqueKey = (await JsonAsync(readOnlyList)).GetProperty("checks").EnumerateArray().First().GetProperty("unique_key").GetString();
        using var flips = await SendAsync(HttpMethod.Get, $"/hc/api/v3/checks/{uniqueKey}/flips/?seconds=3600", ReadOnly);
        using var badFlips = await SendAsync(HttpMethod.Get, $"/hc/api/v3/checks/{uniqueKey}/flips/?start=yesterday", ReadOnly);
        using var badges = await SendAsync(HttpMethod.Get, "/hc/api/v3/badges/", ReadOnly);
        using var readOnlyWrite = await SendAsync(HttpMethod.Post, "/hc/api/v3/checks/", ReadOnly, """{"name": "sneaky"}""");
        using var readOnlyChannels = await SendAsync(HttpMethod.Get, "/hc/api/v3/channels/", ReadOnly);
        using var wrongKey = await SendAsync(HttpMethod.Get, "/hc/api/v3/checks/", "hcw_" + new string('x', 28));

        Assert.Equal(HttpStatusCode.OK, flips.StatusCode);
        Assert.Equal(JsonValueKind.Array, (await JsonAsync(flips)).GetProperty("flips").ValueKind);
        Assert.Equal(HttpStatusCode.BadRequest, badFlips.StatusCode);
        Assert.Contains("start", (await JsonAsync(badFlips)).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Object, (await JsonAsync(badges)).GetProperty("badges").ValueKind);
        Assert.Equal((HttpStatusCode.Unauthorized, """{"error":"wrong api key"}"""), (readOnlyWrite.StatusCode, await readOnlyWrite.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Unauthorized, readOnlyChannels.StatusCode);
        Assert.Equal((HttpStatusCode.Unauthorized, """{"error":"wrong api key"}"""), (wrongKey.StatusCode, await wrongKey.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task The_prometheus_endpoint_gives_healthchecks_gauges_and_scriptmonitors_series_to_a_read_key_and_promtool_accepts_them()
    {
        using var client = fixture.Server.CreateClient();
        // Started first, so that the run has a duration: a success alone has none, and no duration series.
        (await client.PostAsync(new Uri($"/hc/ping/{HealthchecksKeptKeysServer.KeptUuid}/start", UriKind.Relative), new StringContent(string.Empty))).Dispose();
        (await client.PostAsync(new Uri($"/hc/ping/{HealthchecksKeptKeysServer.KeptUuid}", UriKind.Relative), new StringContent("ok"))).Dispose();
        using var inPath = await client.GetAsync(new Uri($"/hc/projects/{Guid.NewGuid()}/metrics/{ReadOnly}", UriKind.Relative));
        using var legacy = await client.GetAsync(new Uri($"/hc/projects/{Guid.NewGuid()}/checks/metrics/{ReadOnly}", UriKind.Relative));
        using var bearer = new HttpRequestMessage(HttpMethod.Get, new Uri($"/hc/projects/{Guid.NewGuid()}/metrics/", UriKind.Relative));
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ReadOnly);
        using var byBearer = await client.SendAsync(bearer);
        using var noBearer = await client.GetAsync(new Uri($"/hc/projects/{Guid.NewGuid()}/metrics/", UriKind.Relative));
        using var readWrite = await client.GetAsync(new Uri($"/hc/projects/{Guid.NewGuid()}/metrics/{ReadWrite}", UriKind.Relative));
        using var shortKey = await client.GetAsync(new Uri($"/hc/projects/{Guid.NewGuid()}/metrics/abc", UriKind.Relative));

        var text = await inPath.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, inPath.StatusCode);
        Assert.Equal(text, await legacy.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, byBearer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noBearer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, readWrite.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, shortKey.StatusCode);
        var uniqueKey = ScriptMonitor.Server.Peers.HealthchecksApi.UniqueKey(HealthchecksKeptKeysServer.KeptUuid);
        Assert.Contains("# HELP hc_check_up Whether the check is currently up (1 for yes, 0 for no).\n# TYPE hc_check_up gauge\n", text, StringComparison.Ordinal);
        Assert.Contains($"hc_check_up{{name=\"db-dump\", tags=\"\", unique_key=\"{uniqueKey}\"}} 1\n", text, StringComparison.Ordinal);
        Assert.Contains($"hc_check_started{{name=\"db-dump\", tags=\"\", unique_key=\"{uniqueKey}\"}} ", text, StringComparison.Ordinal);
        Assert.Matches(@"\nhc_checks_total \d+\n", text);
        Assert.Contains("\nhc_checks_down_total ", text, StringComparison.Ordinal);
        Assert.Matches($@"\nscriptmon_check_last_success_timestamp_seconds\{{name=""db-dump"", unique_key=""{uniqueKey}""\}} \d{{10}}", text);
        Assert.Contains($"\nscriptmon_check_last_duration_seconds{{name=\"db-dump\", unique_key=\"{uniqueKey}\"}} ", text, StringComparison.Ordinal);
        // promtool parses the whole exposition; its only remarks are on the two gauges Healthchecks itself names
        // with "_total", kept word for word so that its users' dashboards and rules keep working.
        var (_, output) = await PromtoolAsync(text);
        Assert.Equal(
            ["hc_checks_down_total non-counter metrics should not have \"_total\" suffix", "hc_checks_total non-counter metrics should not have \"_total\" suffix"],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal));
        var (cleanStatus, cleanOutput) = await PromtoolAsync(text.Replace("hc_checks_total", "hc_checks", StringComparison.Ordinal).Replace("hc_checks_down_total", "hc_checks_down", StringComparison.Ordinal));
        Assert.True(cleanStatus == 0, cleanOutput);
    }

    /// <summary>Runs Prometheus' own checker over an exposition, as a scrape would read it.</summary>
    private static async Task<(int Status, string Output)> PromtoolAsync(string exposition)
    {
        var start = new ProcessStartInfo("promtool", "check metrics") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, string? body = null) =>
        HealthchecksClient.SendAsync(fixture.Server, method, path, key, body);

    private static Task<JsonElement> JsonAsync(HttpResponseMessage response) => HealthchecksClient.JsonAsync(response);
}

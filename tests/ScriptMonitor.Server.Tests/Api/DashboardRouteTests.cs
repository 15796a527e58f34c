using System.Globalization;
using System.Net;
using System.Text.Json;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Access;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Tests.Support;
using static ScriptMonitor.Server.Tests.Api.ApiServer;

namespace ScriptMonitor.Server.Tests.Api;

/// <summary>The routes the dashboard reads besides the native ones: the paged overview, due times, runtimes, ping addresses.</summary>
public sealed class DashboardRouteTests(ApiServer api) : IClassFixture<ApiServer>
{
    private static List<string?> Names(JsonElement overview) =>
        [.. overview.GetProperty("scripts").EnumerateArray().Select(s => s.GetProperty("name").GetString())];

    private static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await JsonAsync(response);
    }

    [Fact]
    public async Task The_overview_pages_and_filters_on_the_server_and_counts_every_state()
    {
        using var client = api.Client(api.Read);

        var second = await GetAsync(client, "/api/v1/overview?limit=1&offset=1");
        var failing = await GetAsync(client, "/api/v1/overview?state=failing");
        var search = await GetAsync(client, "/api/v1/overview?q=REP");
        var tagged = await GetAsync(client, "/api/v1/overview?tag=weekly");
        var onHost = await GetAsync(client, "/api/v1/overview?host=db2");
        var named = await GetAsync(client, "/api/v1/overview?name=report");
        var partOfAName = await GetAsync(client, "/api/v1/overview?name=rep");

        Assert.Equal(["report"], Names(second));
        Assert.Equal(3, second.GetProperty("total").GetInt32());
        Assert.Equal(3, second.GetProperty("matched").GetInt32());
        Assert.Equal(1, second.GetProperty("offset").GetInt32());
        var counts = second.GetProperty("counts").EnumerateArray().ToDictionary(c => c.GetProperty("state").GetString()!, c => c.GetProperty("count").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["Failing"] = 2, ["NeverRan"] = 1 }, counts);
        Assert.Equal(["nightly", "weekly"], second.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["db1", "db2", "web1"], second.GetProperty("hosts").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["backup", "report"], Names(failing));
        Assert.Equal(["report"], Names(search));
        Assert.Equal(["cleanup"], Names(tagged));
        Assert.Equal(["backup"], Names(onHost));
        Assert.Equal(["report"], Names(named));
        Assert.Empty(Names(partOfAName));
    }

    [Fact]
    public async Task An_overview_row_has_its_next_due_time_and_its_recent_runtimes_oldest_first()
    {
        using var client = api.Client(api.Read);

        var overview = await GetAsync(client, "/api/v1/overview?q=backup");

        var backup = overview.GetProperty("scripts")[0];
        // Hourly, and last started 30 minutes before the seed's "now".
        Assert.Equal(api.Now.AddMinutes(30), backup.GetProperty("nextDueAt").GetDateTimeOffset());
        var runtimes = backup.GetProperty("runtimes").EnumerateArray().Select(r => r.GetDouble()).ToList();
        Assert.Equal(api.BackupRuns.Count, runtimes.Count);
        Assert.Equal(70, runtimes[0]);
        Assert.Equal(5, runtimes[^1]);
    }

    [Fact]
    public async Task Bad_overview_queries_are_400_naming_each_field()
    {
        using var client = api.Client(api.Read);

        using var response = await client.GetAsync(new Uri("/api/v1/overview?limit=0&offset=-1&state=broken", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["limit", "offset", "state"], (await ErrorPathsAsync(response)).Order());
    }

    [Fact]
    public async Task The_overview_is_read_from_the_alert_loops_states_once_it_has_evaluated_every_script()
    {
        using var client = api.Client(api.Read);

        var source = string.Empty;
        for (var attempt = 0; attempt < 100 && source != "evaluation-loop"; attempt++)
        {
            source = (await GetAsync(client, "/api/v1/overview")).GetProperty("source").GetString();
            if (source != "evaluation-loop")
            {
                await Task.Delay(100);
            }
        }

        var overview = await GetAsync(client, "/api/v1/overview");
        Assert.Equal("evaluation-loop", overview.GetProperty("source").GetString());
        Assert.Equal(["backup", "report", "cleanup"], Names(overview));
    }

    [Fact]
    public async Task Without_the_alert_loop_the_overview_is_evaluated_for_the_answer()
    {
        using var folder = new TempFolder();
        var database = folder.File("scriptmon.db");
        string read;
        using (var store = ScriptRunStores.Open(database))
        {
            await store.RecordFailureAsync("nightly", DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(-4), exitCode: 1, hostname: "h1");
            read = (await new KeyService(store, TimeProvider.System).CreateAsync("grafana", KeyScope.Read, [], "cli")).Secret;
        }

        await using var server = await ServerProcess.Start(database, "--Alerts:Enabled=false").WaitUntilListeningAsync();
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", read);

        var overview = await GetAsync(client, "/api/v1/overview");

        Assert.Equal("evaluated", overview.GetProperty("source").GetString());
        Assert.Equal(["nightly"], Names(overview));
        Assert.Equal("Failing", overview.GetProperty("scripts")[0].GetProperty("health").GetString());
    }

    [Fact]
    public async Task Interval_due_times_count_from_the_last_start()
    {
        using var client = api.Client(api.Read);
        var from = Uri.EscapeDataString(api.Now.AddHours(-2).ToString("O", CultureInfo.InvariantCulture));
        var to = Uri.EscapeDataString(api.Now.AddHours(1).ToString("O", CultureInfo.InvariantCulture));

        var due = await GetAsync(client, $"/api/v1/scripts/backup/due?from={from}&to={to}");

        Assert.Equal("period", due.GetProperty("schedule").GetString());
        Assert.Equal(
            [api.Now.AddMinutes(-90), api.Now.AddMinutes(-30), api.Now.AddMinutes(30)],
            due.GetProperty("due").EnumerateArray().Select(d => d.GetDateTimeOffset()));
    }

    [Theory]
    [InlineData("/api/v1/scripts/backup/due?from=yesterday", "from")]
    [InlineData("/api/v1/scripts/backup/due?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    [InlineData("/api/v1/scripts/backup/due?limit=5000", "limit")]
    [InlineData("/api/v1/scripts/backup/runtimes?to=2026-01-01", "to")]
    [InlineData("/api/v1/scripts/backup/runtimes?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    public async Task Bad_ranges_are_400_naming_the_field(string path, string field)
    {
        using var client = api.Client(api.Read);

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], await ErrorPathsAsync(response));
    }

    [Theory]
    [InlineData("/api/v1/scripts/bakup/due")]
    [InlineData("/api/v1/scripts/bakup/runtimes")]
    public async Task An_unknown_script_is_404_naming_the_name(string path)
    {
        using var client = api.Client(api.Read);

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(["name"], await ErrorPathsAsync(response));
    }

    [Fact]
    public async Task Runtimes_are_parallel_arrays_oldest_first_with_outcome_codes()
    {
        using var client = api.Client(api.Read);
        var from = Uri.EscapeDataString(api.Now.AddDays(-1).ToString("O", CultureInfo.InvariantCulture));

        var runtimes = await GetAsync(client, $"/api/v1/scripts/backup/runtimes?from={from}");

        var starts = runtimes.GetProperty("startedAt").EnumerateArray().Select(s => s.GetInt64()).ToList();
        var durations = runtimes.GetProperty("duration").EnumerateArray().Select(d => d.GetDouble()).ToList();
        var outcomes = runtimes.GetProperty("outcome").EnumerateArray().Select(o => o.GetInt32()).ToList();
        Assert.Equal(api.BackupRuns.Count, starts.Count);
        Assert.Equal(starts.Order(), starts);
        Assert.Equal(api.Now.AddMinutes(-30).ToUnixTimeSeconds(), starts[^1]);
        Assert.Equal(5, durations[^1]);
        Assert.Equal(1, outcomes[^1]);
        Assert.All(outcomes[..^1], o => Assert.Equal(0, o));
        Assert.False(runtimes.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task Ping_addresses_are_for_admin_keys_only()
    {
        using var read = api.Client(api.Read);
        using var admin = api.Client(api.Admin);

        using var refused = await read.GetAsync(new Uri("/api/v1/scripts/backup/ping-identity", UriKind.Relative));
        using var unknown = await admin.GetAsync(new Uri("/api/v1/scripts/bakup/ping-identity", UriKind.Relative));
        var ping = await GetAsync(admin, "/api/v1/scripts/backup/ping-identity");
        var again = await GetAsync(admin, "/api/v1/scripts/backup/ping-identity");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var id = ping.GetProperty("pingId").GetString();
        Assert.Equal(new Uri(api.Server.BaseAddress, $"/hc/ping/{id}").ToString(), ping.GetProperty("pingUrl").GetString());
        Assert.EndsWith("/backup", ping.GetProperty("slugPingUrl").GetString(), StringComparison.Ordinal);
        Assert.Equal(Guid.Parse(id!).ToString("N", CultureInfo.InvariantCulture), ping.GetProperty("kumaToken").GetString());
        Assert.EndsWith("/uptime-kuma/api/push/" + ping.GetProperty("kumaToken").GetString(), ping.GetProperty("kumaPushUrl").GetString(), StringComparison.Ordinal);
        Assert.Equal(id, again.GetProperty("pingId").GetString());
    }
}

/// <summary>Due times of a cron schedule: its own server, since the test adds a script that the overview would count.</summary>
public sealed class CronDueTimeTests(ApiServer api) : IClassFixture<ApiServer>
{
    private static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await JsonAsync(response);
    }

    [Fact]
    public async Task Cron_due_times_are_computed_in_the_schedules_zone()
    {
        using (var admin = api.Client(api.Admin))
        {
            using var put = await admin.PutAsync(new Uri("/api/v1/scripts/berlin-nightly/expectation", UriKind.Relative), Body("""{"cron":"0 2 * * *","timeZone":"Europe/Berlin"}"""));
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        using var client = api.Client(api.Read);
        var due = await GetAsync(client, "/api/v1/scripts/berlin-nightly/due?from=2026-01-01T00:00:00Z&to=2026-01-04T00:00:00Z");
        var summer = await GetAsync(client, "/api/v1/scripts/berlin-nightly/due?from=2026-07-01T00:00:00Z&to=2026-07-01T12:00:00Z");
        var capped = await GetAsync(client, "/api/v1/scripts/berlin-nightly/due?from=2026-01-01T00:00:00Z&to=2026-12-31T00:00:00Z&limit=2");

        Assert.Equal("cron", due.GetProperty("schedule").GetString());
        Assert.Equal("Europe/Berlin", due.GetProperty("timeZone").GetString());
        Assert.Equal(
            [DateTimeOffset.Parse("2026-01-01T01:00:00Z", CultureInfo.InvariantCulture), DateTimeOffset.Parse("2026-01-02T01:00:00Z", CultureInfo.InvariantCulture), DateTimeOffset.Parse("2026-01-03T01:00:00Z", CultureInfo.InvariantCulture)],
            due.GetProperty("due").EnumerateArray().Select(d => d.GetDateTimeOffset()));
        Assert.Equal([DateTimeOffset.Parse("2026-07-01T00:00:00Z", CultureInfo.InvariantCulture)], summer.GetProperty("due").EnumerateArray().Select(d => d.GetDateTimeOffset()));
        Assert.Equal(2, capped.GetProperty("due").GetArrayLength());
        Assert.True(capped.GetProperty("truncated").GetBoolean());
    }
}

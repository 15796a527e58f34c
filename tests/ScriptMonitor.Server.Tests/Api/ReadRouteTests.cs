using System.Net;
using System.Text.Json;
using static ScriptMonitor.Server.Tests.Api.ApiServer;

namespace ScriptMonitor.Server.Tests.Api;

/// <summary>The read routes of the native API over real HTTP, against a SQLite store.</summary>
public sealed class ReadRouteTests(ApiServer api) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task Scripts_come_in_pages_by_name_and_the_last_page_has_no_next()
    {
        using var client = api.Client(api.Read);

        var first = await JsonAsync(await client.GetAsync(new Uri("/api/v1/scripts?limit=2", UriKind.Relative)));
        var second = await JsonAsync(await client.GetAsync(new Uri($"/api/v1/scripts?limit=2&after={first.GetProperty("next").GetString()}", UriKind.Relative)));

        Assert.Equal(["backup", "cleanup"], Names(first));
        Assert.Equal("cleanup", first.GetProperty("next").GetString());
        Assert.Equal(["report"], Names(second));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);
        Assert.Equal("Failing", first.GetProperty("scripts")[0].GetProperty("health").GetString());
    }

    [Fact]
    public async Task Scripts_are_filtered_by_tag_host_and_state()
    {
        using var client = api.Client(api.Read);
        var all = await JsonAsync(await client.GetAsync(new Uri("/api/v1/scripts", UriKind.Relative)));
        var cleanupState = all.GetProperty("scripts").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "cleanup").GetProperty("health").GetString();

        var nightly = await JsonAsync(await client.GetAsync(new Uri("/api/v1/scripts?tag=nightly", UriKind.Relative)));
        var onWeb1 = await JsonAsync(await client.GetAsync(new Uri("/api/v1/scripts?host=web1", UriKind.Relative)));
        var inState = await JsonAsync(await client.GetAsync(new Uri($"/api/v1/scripts?state={cleanupState!.ToLowerInvariant()}", UriKind.Relative)));

        Assert.Equal(["backup"], Names(nightly));
        Assert.Equal(["report"], Names(onWeb1));
        Assert.Equal(["cleanup"], Names(inState));
    }

    [Fact]
    public async Task The_overview_gives_every_script_in_brief_with_its_hosts_and_tags_and_no_output()
    {
        using var client = api.Client(api.Read);

        using var response = await client.GetAsync(new Uri("/api/v1/overview", UriKind.Relative));

        var text = await response.Content.ReadAsStringAsync();
        var overview = JsonDocument.Parse(text).RootElement;
        var scripts = overview.GetProperty("scripts").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        // Problems first: the failing scripts, then the one that never ran.
        Assert.Equal(["backup", "report", "cleanup"], scripts.Keys);
        var backup = scripts["backup"];
        Assert.Equal("Failing", backup.GetProperty("health").GetString());
        Assert.Equal(["db1", "db2"], backup.GetProperty("hosts").EnumerateArray().Select(h => h.GetString()));
        Assert.Equal(["nightly"], backup.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.True(backup.GetProperty("lastSuccessAgeSeconds").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, scripts["cleanup"].GetProperty("lastSuccessAt").ValueKind);
        Assert.DoesNotContain("disk full", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_state_is_400_naming_state_and_the_allowed_values()
    {
        using var client = api.Client(api.Read);

        using var response = await client.GetAsync(new Uri("/api/v1/scripts?state=broken&limit=0", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await JsonAsync(response);
        var errors = problem.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(["limit", "state"], errors.Select(e => e.GetProperty("path").GetString()).Order());
        Assert.Contains("Up, Paused, Maintenance, Learning", errors.Single(e => e.GetProperty("path").GetString() == "state").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_script_is_its_status_row_and_its_expectation_and_an_unknown_one_is_404_naming_the_name()
    {
        using var client = api.Client(api.Read);

        using var backup = await client.GetAsync(new Uri("/api/v1/scripts/backup", UriKind.Relative));
        using var unknown = await client.GetAsync(new Uri("/api/v1/scripts/bakup", UriKind.Relative));

        var script = await JsonAsync(backup);
        Assert.Equal("backup", script.GetProperty("status").GetProperty("name").GetString());
        Assert.Equal(3600, script.GetProperty("expectation").GetProperty("everySeconds").GetDouble());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(["name"], await ErrorPathsAsync(unknown));
    }

    [Fact]
    public async Task Paging_through_all_runs_returns_every_run_once_newest_first()
    {
        using var client = api.Client(api.Read);
        var seen = new List<(Guid Id, DateTimeOffset Start)>();
        string? next = null;
        var pages = 0;
        do
        {
            var page = await JsonAsync(await client.GetAsync(new Uri($"/api/v1/scripts/backup/runs?limit=3{(next is null ? string.Empty : "&before=" + next)}", UriKind.Relative)));
            seen.AddRange(page.GetProperty("runs").EnumerateArray().Select(r => (r.GetProperty("runId").GetGuid(), r.GetProperty("startedAt").GetDateTimeOffset())));
            next = page.GetProperty("next").GetString();
            pages++;
        }
        while (next is not null && pages < 20);

        Assert.Equal(api.BackupRuns.Order(), seen.Select(r => r.Id).Order());
        Assert.Equal(4, pages);
        Assert.Equal(seen.Select(r => r.Start).OrderDescending(), seen.Select(r => r.Start));
    }

    [Fact]
    public async Task Runs_refuse_a_reversed_window_naming_both_a_malformed_instant_and_a_cursor_not_theirs()
    {
        using var client = api.Client(api.Read);

        using var reversed = await client.GetAsync(new Uri("/api/v1/scripts/backup/runs?since=2026-11-02T00:00:00Z&until=2026-11-01T00:00:00Z", UriKind.Relative));
        using var malformed = await client.GetAsync(new Uri("/api/v1/scripts/backup/runs?since=yesterday", UriKind.Relative));
        using var cursor = await client.GetAsync(new Uri("/api/v1/scripts/backup/runs?before=abc", UriKind.Relative));
        using var unknown = await client.GetAsync(new Uri("/api/v1/scripts/bakup/runs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, reversed.StatusCode);
        var problem = (await JsonAsync(reversed)).GetProperty("errors")[0];
        Assert.Equal("until", problem.GetProperty("path").GetString());
        Assert.Contains("since", problem.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(["since"], await ErrorPathsAsync(malformed));
        Assert.Equal(["before"], await ErrorPathsAsync(cursor));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(["name"], await ErrorPathsAsync(unknown));
    }

    [Fact]
    public async Task One_run_comes_with_its_output_and_an_unknown_id_is_404()
    {
        using var client = api.Client(api.Read);

        var run = await JsonAsync(await client.GetAsync(new Uri($"/api/v1/runs/{api.FailedRun}", UriKind.Relative)));
        using var unknown = await client.GetAsync(new Uri($"/api/v1/runs/{Guid.NewGuid()}", UriKind.Relative));

        Assert.Equal(("backup", "db2", "failed", 2, "tar: disk full\n"), (run.GetProperty("script").GetString(), run.GetProperty("host").GetString(), run.GetProperty("outcome").GetString(), run.GetProperty("exitCode").GetInt32(), run.GetProperty("output").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Last_is_the_last_success_404_where_there_is_none_and_404_naming_the_name_for_an_unknown_script()
    {
        using var client = api.Client(api.Read);

        var last = await JsonAsync(await client.GetAsync(new Uri("/api/v1/scripts/backup/last", UriKind.Relative)));
        using var neverOnDb2 = await client.GetAsync(new Uri("/api/v1/scripts/backup/last?host=db2", UriKind.Relative));
        using var unknown = await client.GetAsync(new Uri("/api/v1/scripts/bakup/last", UriKind.Relative));

        Assert.Equal(api.Now.AddHours(-3), last.GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal("succeeded", last.GetProperty("outcome").GetString());
        Assert.Equal(HttpStatusCode.NotFound, neverOnDb2.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(["name"], await ErrorPathsAsync(unknown));
    }

    [Fact]
    public async Task Stats_cover_the_successful_runs_of_the_last_30_days_by_default()
    {
        using var client = api.Client(api.Read);

        var stats = await JsonAsync(await client.GetAsync(new Uri("/api/v1/scripts/backup/stats", UriKind.Relative)));
        var onDb2 = await JsonAsync(await client.GetAsync(new Uri("/api/v1/scripts/backup/stats?host=db2", UriKind.Relative)));

        Assert.Equal(9, stats.GetProperty("count").GetInt32());
        Assert.Equal(62, stats.GetProperty("minSeconds").GetDouble());
        Assert.Equal(70, stats.GetProperty("maxSeconds").GetDouble());
        Assert.Equal(0, onDb2.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Check_answers_the_nagios_checks_data_and_refuses_a_bad_map_naming_it()
    {
        using var client = api.Client(api.Read);

        var report = await JsonAsync(await client.GetAsync(new Uri("/api/v1/check?script=report", UriKind.Relative)));
        var window = await JsonAsync(await client.GetAsync(new Uri("/api/v1/check?window=600&pair=db1:backup", UriKind.Relative)));
        using var badMap = await client.GetAsync(new Uri("/api/v1/check?map=late=purple", UriKind.Relative));

        Assert.Equal("CRITICAL", report.GetProperty("status").GetString());
        Assert.Equal(2, report.GetProperty("exitCode").GetInt32());
        Assert.Contains("report", report.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("OK", window.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badMap.StatusCode);
        Assert.Equal(["map"], await ErrorPathsAsync(badMap));
    }

    [Fact]
    public async Task Expectations_are_listed_and_shown_and_a_script_without_one_is_404()
    {
        using var client = api.Client(api.Read);

        var list = await JsonAsync(await client.GetAsync(new Uri("/api/v1/expectations", UriKind.Relative)));
        using var none = await client.GetAsync(new Uri("/api/v1/scripts/report/expectation", UriKind.Relative));

        Assert.Equal(["backup", "cleanup"], list.GetProperty("expectations").EnumerateArray().Select(e => e.GetProperty("script").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/scripts")]
    [InlineData("/api/v1/scripts/backup/runs")]
    [InlineData("/api/v1/check")]
    [InlineData("/api/v1/expectations")]
    public async Task Reads_need_a_key_refuse_a_revoked_one_and_an_ingest_key(string path)
    {
        using var anonymous = api.Client(null);
        using var revoked = api.Client(api.Revoked);
        using var ingest = api.Client(api.Ingest);
        using var admin = api.Client(api.Admin);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await revoked.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ingest.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/keys")]
    [InlineData("/api/v1/audit")]
    public async Task Keys_and_the_audit_list_are_for_admin_keys_only(string path)
    {
        using var read = api.Client(api.Read);

        using var response = await read.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static List<string?> Names(JsonElement page) => [.. page.GetProperty("scripts").EnumerateArray().Select(s => s.GetProperty("name").GetString())];
}

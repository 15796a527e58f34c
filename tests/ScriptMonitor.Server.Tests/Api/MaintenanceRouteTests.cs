using System.Net;
using static ScriptMonitor.Server.Tests.Api.ApiServer;

namespace ScriptMonitor.Server.Tests.Api;

/// <summary>The maintenance routes over real HTTP: a window shows in the status and the metrics, changes are audited, bad input names its field.</summary>
public sealed class MaintenanceRouteTests(ApiServer api) : IClassFixture<ApiServer>
{
    private static readonly Uri Windows = new("/api/v1/maintenance", UriKind.Relative);

    private static Uri Window(string name, string query = "") => new($"/api/v1/maintenance/{name}{query}", UriKind.Relative);

    [Fact]
    public async Task A_window_put_over_http_holds_its_script_in_maintenance_everywhere_until_it_is_removed_and_each_change_is_audited()
    {
        using var admin = api.Client(api.Admin);
        using var read = api.Client(api.Read);

        using var added = await admin.PutAsync(Window("deploy"), Body("""{"script": "report", "durationSeconds": 3600, "timeZone": "Europe/Berlin"}"""));
        var status = await JsonAsync(await read.GetAsync(new Uri("/api/v1/status", UriKind.Relative)));
        var metrics = await (await read.GetAsync(new Uri("/metrics", UriKind.Relative))).Content.ReadAsStringAsync();
        var listed = await JsonAsync(await read.GetAsync(Windows));
        using var taken = await admin.PutAsync(Window("deploy"), Body("""{"tag": "nightly", "durationSeconds": 60}"""));
        using var replaced = await admin.PutAsync(Window("deploy", "?replace=true"), Body("""{"script": "report", "startsAt": "2020-01-01T00:00:00Z", "durationSeconds": 60}"""));
        var afterReplace = await JsonAsync(await read.GetAsync(new Uri("/api/v1/status", UriKind.Relative)));
        using var removed = await admin.DeleteAsync(Window("deploy"));
        using var again = await admin.DeleteAsync(Window("deploy"));
        var audit = await JsonAsync(await admin.GetAsync(new Uri("/api/v1/audit", UriKind.Relative)));

        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var view = await JsonAsync(added);
        Assert.Equal(("added", "once", true), (view.GetProperty("change").GetString(), view.GetProperty("kind").GetString(), view.GetProperty("open").GetBoolean()));
        var report = status.GetProperty("scripts").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "report");
        Assert.Equal("Maintenance", report.GetProperty("health").GetString());
        Assert.Matches(@"^report is in maintenance window deploy until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+0[12]:00 \(Europe/Berlin\)$", report.GetProperty("reason").GetString());
        Assert.Contains("scriptmon_script_state{script=\"report\",state=\"maintenance\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Equal("deploy", Assert.Single(listed.GetProperty("windows").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Equal("replaced", (await JsonAsync(replaced)).GetProperty("change").GetString());
        Assert.Equal("Failing", afterReplace.GetProperty("scripts").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "report").GetProperty("health").GetString());
        Assert.True((await JsonAsync(removed)).GetProperty("removed").GetBoolean());
        Assert.False((await JsonAsync(again)).GetProperty("removed").GetBoolean());
        var actions = audit.GetProperty("entries").EnumerateArray()
            .Where(e => e.GetProperty("target").GetString() == "deploy")
            .Select(e => (e.GetProperty("action").GetString(), e.GetProperty("actor").GetString(), e.GetProperty("detail").GetString()))
            .ToList();
        Assert.Equal([("maintenance.delete", "ops", null), ("maintenance.put", "ops", "replaced"), ("maintenance.put", "ops", "added")], actions);
    }

    [Fact]
    public async Task A_window_that_breaks_rules_is_400_naming_each_field_as_the_json_does_and_nothing_is_saved()
    {
        using var admin = api.Client(api.Admin);
        using var read = api.Client(api.Read);

        using var broken = await admin.PutAsync(Window("bad"), Body("""{"script": "report", "tag": "nightly", "cron": "0 2 * * *", "startsAt": "2026-03-01T00:00:00Z", "everySeconds": 3600, "timeZone": "Mars/Olympus_Mons"}"""));
        using var shorter = await admin.PutAsync(Window("bad"), Body("""{"script": "report", "everySeconds": 3600, "durationSeconds": 7200}"""));
        using var noOffset = await admin.PutAsync(Window("bad"), Body("""{"script": "report", "startsAt": "2026-03-01T00:00:00"}"""));
        using var flag = await admin.PutAsync(Window("bad", "?replace=maybe"), Body("""{"script": "report"}"""));
        using var notAdmin = await read.PutAsync(Window("bad"), Body("""{"script": "report"}"""));
        var listed = await JsonAsync(await read.GetAsync(Windows));

        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Equal(["script", "timeZone", "startsAt", "everySeconds", "durationSeconds"], await ErrorPathsAsync(broken));
        Assert.Equal(HttpStatusCode.BadRequest, shorter.StatusCode);
        var problem = await JsonAsync(shorter);
        Assert.Equal("durationSeconds (2h) must be shorter than everySeconds (1h): the window closes before it opens again.", problem.GetProperty("errors")[0].GetProperty("message").GetString());
        Assert.Equal(["startsAt"], await ErrorPathsAsync(noOffset));
        Assert.Equal(["replace"], await ErrorPathsAsync(flag));
        Assert.Equal(HttpStatusCode.Forbidden, notAdmin.StatusCode);
        Assert.Equal(0, listed.GetProperty("windows").GetArrayLength());
    }
}

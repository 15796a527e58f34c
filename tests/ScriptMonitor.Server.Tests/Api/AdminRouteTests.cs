using System.Net;
using System.Text.Json;
using static ScriptMonitor.Server.Tests.Api.ApiServer;

namespace ScriptMonitor.Server.Tests.Api;

/// <summary>The admin routes of the native API over real HTTP: every change shows where a user looks, and in the audit list.</summary>
public sealed class AdminRouteTests(ApiServer api) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task A_pause_over_http_shows_in_the_status_and_the_audit_list_names_the_admin_key_until_resumed()
    {
        using var admin = api.Client(api.Admin);
        var until = DateTimeOffset.UtcNow.AddHours(2);

        using var paused = await admin.PostAsync(new Uri("/api/v1/scripts/report/pause", UriKind.Relative), Body($$"""{"until": "{{until:O}}"}"""));
        var whilePaused = await HealthAsync(admin, "report");
        var audit = await JsonAsync(await admin.GetAsync(new Uri("/api/v1/audit", UriKind.Relative)));
        using var resumed = await admin.PostAsync(new Uri("/api/v1/scripts/report/resume", UriKind.Relative), null);
        var afterResume = await HealthAsync(admin, "report");

        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.True((await JsonAsync(paused)).GetProperty("paused").GetBoolean());
        Assert.Equal("Paused", whilePaused);
        var entry = audit.GetProperty("entries").EnumerateArray().First(e => e.GetProperty("action").GetString() == "script.pause");
        Assert.Equal(("ops", "report"), (entry.GetProperty("actor").GetString(), entry.GetProperty("target").GetString()));
        Assert.True(DateTimeOffset.UtcNow - entry.GetProperty("at").GetDateTimeOffset() < TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        Assert.NotEqual("Paused", afterResume);
    }

    [Fact]
    public async Task Pausing_is_refused_for_an_unknown_script_an_end_in_the_past_and_keys_that_are_not_admin()
    {
        using var admin = api.Client(api.Admin);
        using var read = api.Client(api.Read);
        using var ingest = api.Client(api.Ingest);
        using var anonymous = api.Client(null);

        using var unknown = await admin.PostAsync(new Uri("/api/v1/scripts/bakup/pause", UriKind.Relative), null);
        using var past = await admin.PostAsync(new Uri("/api/v1/scripts/cleanup/pause", UriKind.Relative), Body("""{"until": "2020-01-01T00:00:00Z"}"""));
        using var wrongType = await admin.PostAsync(new Uri("/api/v1/scripts/cleanup/pause", UriKind.Relative), Body("""{"until": "tomorrow"}"""));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(["name"], await ErrorPathsAsync(unknown));
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Equal(["until"], await ErrorPathsAsync(past));
        Assert.Equal(["until"], await ErrorPathsAsync(wrongType));
        Assert.Equal(HttpStatusCode.Forbidden, (await read.PostAsync(new Uri("/api/v1/scripts/cleanup/pause", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ingest.PostAsync(new Uri("/api/v1/scripts/cleanup/pause", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync(new Uri("/api/v1/scripts/cleanup/pause", UriKind.Relative), null)).StatusCode);
        Assert.False(await ExpectationPausedAsync(admin, "cleanup"));
    }

    [Fact]
    public async Task An_expectation_is_patched_field_by_field_removed_and_each_change_is_audited()
    {
        using var admin = api.Client(api.Admin);

        using var set = await admin.PutAsync(new Uri("/api/v1/scripts/archive/expectation", UriKind.Relative), Body("""{"everySeconds": 7200, "tags": ["daily"]}"""));
        using var patched = await admin.PutAsync(new Uri("/api/v1/scripts/archive/expectation", UriKind.Relative), Body("""{"graceSeconds": 600}"""));
        var shown = await JsonAsync(await admin.GetAsync(new Uri("/api/v1/scripts/archive/expectation", UriKind.Relative)));
        using var removed = await admin.DeleteAsync(new Uri("/api/v1/scripts/archive/expectation", UriKind.Relative));
        using var again = await admin.DeleteAsync(new Uri("/api/v1/scripts/archive/expectation", UriKind.Relative));
        var audit = await JsonAsync(await admin.GetAsync(new Uri("/api/v1/audit", UriKind.Relative)));

        Assert.Equal("set", (await JsonAsync(set)).GetProperty("change").GetString());
        Assert.Equal("updated", (await JsonAsync(patched)).GetProperty("change").GetString());
        Assert.Equal((7200d, 600d, "daily"), (shown.GetProperty("everySeconds").GetDouble(), shown.GetProperty("graceSeconds").GetDouble(), shown.GetProperty("tags")[0].GetString()));
        Assert.True((await JsonAsync(removed)).GetProperty("removed").GetBoolean());
        Assert.False((await JsonAsync(again)).GetProperty("removed").GetBoolean());
        var actions = audit.GetProperty("entries").EnumerateArray()
            .Where(e => e.GetProperty("target").GetString() == "archive" && e.GetProperty("action").GetString()!.StartsWith("expectation.", StringComparison.Ordinal))
            .Select(e => (e.GetProperty("action").GetString(), e.GetProperty("actor").GetString()))
            .ToList();
        Assert.Equal([("expectation.delete", "ops"), ("expectation.put", "ops"), ("expectation.put", "ops")], actions);
    }

    [Fact]
    public async Task A_patch_that_breaks_rules_is_400_naming_each_field_as_the_json_does_and_changes_nothing()
    {
        using var admin = api.Client(api.Admin);

        using var both = await admin.PutAsync(new Uri("/api/v1/scripts/cleanup/expectation", UriKind.Relative), Body("""{"everySeconds": 60, "cron": "0 * * * *"}"""));
        using var wrongType = await admin.PutAsync(new Uri("/api/v1/scripts/cleanup/expectation", UriKind.Relative), Body("""{"everySeconds": "hourly"}"""));
        using var badCron = await admin.PutAsync(new Uri("/api/v1/scripts/cleanup/expectation", UriKind.Relative), Body("""{"cron": "every day"}"""));
        using var empty = await admin.PutAsync(new Uri("/api/v1/scripts/cleanup/expectation", UriKind.Relative), Body("{}"));
        var shown = await JsonAsync(await admin.GetAsync(new Uri("/api/v1/scripts/cleanup/expectation", UriKind.Relative)));

        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        Assert.Equal(["everySeconds"], await ErrorPathsAsync(both));
        Assert.Contains("cron", (await JsonAsync(both)).GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(["everySeconds"], await ErrorPathsAsync(wrongType));
        Assert.Equal(["cron"], await ErrorPathsAsync(badCron));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(86400, shown.GetProperty("everySeconds").GetDouble());
    }

    [Fact]
    public async Task Learning_reads_the_history_and_saving_it_is_audited()
    {
        using var admin = api.Client(api.Admin);

        using var learned = await admin.PostAsync(new Uri("/api/v1/scripts/backup/expectation/learn?save=true", UriKind.Relative), null);
        using var tooFew = await admin.PostAsync(new Uri("/api/v1/scripts/report/expectation/learn", UriKind.Relative), null);
        var audit = await JsonAsync(await admin.GetAsync(new Uri("/api/v1/audit", UriKind.Relative)));

        Assert.Equal(HttpStatusCode.OK, learned.StatusCode);
        var view = await JsonAsync(learned);
        Assert.Equal(3600, view.GetProperty("periodSeconds").GetDouble(), 0);
        Assert.True(view.GetProperty("saved").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, tooFew.StatusCode);
        Assert.Contains(audit.GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetString() == "expectation.learn" && e.GetProperty("actor").GetString() == "ops");
    }

    [Fact]
    public async Task A_key_created_over_http_works_at_once_is_listed_and_once_revoked_is_refused_and_both_are_audited()
    {
        using var admin = api.Client(api.Admin);

        using var created = await admin.PostAsync(new Uri("/api/v1/keys", UriKind.Relative), Body("""{"name": "ci", "scope": "read"}"""));
        var secret = (await JsonAsync(created)).GetProperty("secret").GetString();
        using var withIt = api.Client(secret);
        var before = (await withIt.GetAsync(new Uri("/api/v1/scripts", UriKind.Relative))).StatusCode;
        var keys = await JsonAsync(await admin.GetAsync(new Uri("/api/v1/keys", UriKind.Relative)));
        using var revoked = await admin.DeleteAsync(new Uri("/api/v1/keys/ci", UriKind.Relative));
        var after = (await withIt.GetAsync(new Uri("/api/v1/scripts", UriKind.Relative))).StatusCode;
        using var none = await admin.DeleteAsync(new Uri("/api/v1/keys/ci", UriKind.Relative));
        var audit = await JsonAsync(await admin.GetAsync(new Uri("/api/v1/audit", UriKind.Relative)));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, before);
        var listed = keys.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("name").GetString() == "ci");
        Assert.Equal(("read", "ops"), (listed.GetProperty("scope").GetString(), listed.GetProperty("createdBy").GetString()));
        Assert.DoesNotContain(secret!, keys.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after);
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        var changes = audit.GetProperty("entries").EnumerateArray().Where(e => e.GetProperty("target").GetString() == "ci").Select(e => (e.GetProperty("action").GetString(), e.GetProperty("actor").GetString()));
        Assert.Equal([("key.revoke", "ops"), ("key.create", "ops")], changes);
    }

    [Fact]
    public async Task A_key_request_that_breaks_rules_is_400_naming_the_field_and_a_name_in_use_is_409()
    {
        using var admin = api.Client(api.Admin);

        using var scope = await admin.PostAsync(new Uri("/api/v1/keys", UriKind.Relative), Body("""{"name": "x", "scope": "owner"}"""));
        using var missing = await admin.PostAsync(new Uri("/api/v1/keys", UriKind.Relative), Body("""{"scope": "read"}"""));
        using var taken = await admin.PostAsync(new Uri("/api/v1/keys", UriKind.Relative), Body("""{"name": "grafana", "scope": "read"}"""));
        using var read = api.Client(api.Read);
        using var notAdmin = await read.PostAsync(new Uri("/api/v1/keys", UriKind.Relative), Body("""{"name": "mine", "scope": "admin"}"""));

        Assert.Equal(["scope"], await ErrorPathsAsync(scope));
        Assert.Equal(["name"], await ErrorPathsAsync(missing));
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notAdmin.StatusCode);
    }

    private static async Task<string?> HealthAsync(HttpClient client, string script)
    {
        var status = await JsonAsync(await client.GetAsync(new Uri("/api/v1/status", UriKind.Relative)));
        return status.GetProperty("scripts").EnumerateArray().Single(s => s.GetProperty("name").GetString() == script).GetProperty("health").GetString();
    }

    private static async Task<bool> ExpectationPausedAsync(HttpClient client, string script) =>
        (await JsonAsync(await client.GetAsync(new Uri($"/api/v1/scripts/{script}/expectation", UriKind.Relative)))).GetProperty("paused").GetBoolean();
}

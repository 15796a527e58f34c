using System.Net;
using System.Text;
using System.Text.Json;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Server.Tests.Peers;

/// <summary>Healthchecks' management API as the Terraform provider, Home Assistant and Homepage call it.</summary>
public sealed class HealthchecksApiTests(HealthchecksServer fixture) : IClassFixture<HealthchecksServer>
{
    [Fact]
    public async Task Terraforms_create_then_read_by_the_id_at_the_end_of_update_url_then_ping_url_records_runs()
    {
        using var created = await SendAsync(HttpMethod.Post, "/hc/api/v1/checks/", fixture.AdminKey, """{"name": "tf-job", "tags": "prod", "timeout": 3600, "grace": 300, "unique": ["name"]}""");
        using var again = await SendAsync(HttpMethod.Post, "/hc/api/v1/checks/", fixture.AdminKey, """{"name": "tf-job", "unique": ["name"]}""");
        var check = await JsonAsync(created);
        var updateUrl = check.GetProperty("update_url").GetString()!;
        var id = updateUrl[(updateUrl.LastIndexOf('/') + 1)..];
        using var list = await SendAsync(HttpMethod.Get, "/hc/api/v1/checks/", fixture.AdminKey);
        var listed = (await JsonAsync(list)).GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("update_url").GetString()!.EndsWith(id, StringComparison.Ordinal));
        using var ping = await new HttpClient().PostAsync(new Uri(check.GetProperty("ping_url").GetString()!), new StringContent("done"));
        using var one = await SendAsync(HttpMethod.Get, $"/hc/api/v3/checks/{id}", fixture.AdminKey);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.True(Guid.TryParse(id, out _));
        Assert.EndsWith($"/hc/ping/{id}", check.GetProperty("ping_url").GetString(), StringComparison.Ordinal);
        Assert.Equal(("tf-job", "tf-job", "new"), (listed.GetProperty("name").GetString(), listed.GetProperty("slug").GetString(), listed.GetProperty("status").GetString()));
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        Assert.Equal(RunOutcome.Succeeded, Assert.Single(await fixture.RunsAsync("tf-job")).Outcome);
        var read = await JsonAsync(one);
        Assert.Equal("up", read.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, read.GetProperty("last_ping").ValueKind);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$", read.GetProperty("last_ping").GetString()!);
    }

    [Fact]
    public async Task Terraforms_update_pause_and_resume_change_the_expectation_and_refuse_what_they_cannot_map()
    {
        using var created = await SendAsync(HttpMethod.Post, "/hc/api/v1/checks/", fixture.AdminKey, """{"name": "tf-cron", "tags": "prod nightly", "timeout": 3600, "grace": 300, "channels": "*", "desc": "", "methods": "", "unique": ["name"]}""");
        var id = (await JsonAsync(created)).GetProperty("uuid").GetString();
        using var update = await SendAsync(HttpMethod.Post, $"/hc/api/v1/checks/{id}", fixture.AdminKey, """{"schedule": "15 3 * * *", "tz": "Europe/Riga", "grace": 600}""");
        using var onCalendar = await SendAsync(HttpMethod.Post, $"/hc/api/v1/checks/{id}", fixture.AdminKey, """{"schedule": "Mon..Fri *-*-* 03:15"}""");
        using var pause = await SendAsync(HttpMethod.Post, $"/hc/api/v1/checks/{id}/pause", fixture.AdminKey, string.Empty);
        using var resume = await SendAsync(HttpMethod.Post, $"/hc/api/v1/checks/{id}/resume", fixture.AdminKey, string.Empty);
        using var again = await SendAsync(HttpMethod.Post, $"/hc/api/v1/checks/{id}/resume", fixture.AdminKey, string.Empty);

        var made = await JsonAsync(created);
        Assert.Equal((HttpStatusCode.Created, 3600L, 300L, "nightly prod"), (created.StatusCode, made.GetProperty("timeout").GetInt64(), made.GetProperty("grace").GetInt64(), made.GetProperty("tags").GetString()));
        var updated = await JsonAsync(update);
        Assert.Equal(("15 3 * * *", "Europe/Riga", 600L), (updated.GetProperty("schedule").GetString(), updated.GetProperty("tz").GetString(), updated.GetProperty("grace").GetInt64()));
        Assert.False(updated.TryGetProperty("timeout", out _));
        Assert.Equal(HttpStatusCode.BadRequest, onCalendar.StatusCode);
        Assert.Contains("schedule", (await JsonAsync(onCalendar)).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("paused", (await JsonAsync(pause)).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        Assert.NotEqual("paused", (await JsonAsync(resume)).GetProperty("status").GetString());
        Assert.Equal((HttpStatusCode.Conflict, """{"error":"check is not paused"}"""), (again.StatusCode, await again.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task A_read_key_sees_no_uuid_or_url_but_unique_key_and_may_not_write()
    {
        using var list = await SendAsync(HttpMethod.Get, "/hc/api/v3/checks/?slug=report", fixture.ReadKey);
        var check = (await JsonAsync(list)).GetProperty("checks").EnumerateArray().Single();
        var uniqueKey = check.GetProperty("unique_key").GetString()!;
        using var byUniqueKey = await SendAsync(HttpMethod.Get, $"/hc/api/v3/checks/{uniqueKey}", fixture.ReadKey);
        using var byUuid = await SendAsync(HttpMethod.Get, $"/hc/api/v3/checks/{fixture.Uuids["report"]}", fixture.ReadKey);
        using var write = await SendAsync(HttpMethod.Post, "/hc/api/v3/checks/", fixture.ReadKey, """{"name": "sneaky"}""");
        using var noKey = await SendAsync(HttpMethod.Get, "/hc/api/v3/checks/", null);

        foreach (var field in new[] { "uuid", "ping_url", "update_url", "pause_url", "resume_url", "channels" })
        {
            Assert.False(check.TryGetProperty(field, out _), field);
        }

        Assert.Matches("^[0-9a-f]{40}$", uniqueKey);
        Assert.Equal(HttpStatusCode.OK, byUniqueKey.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byUuid.StatusCode);
        Assert.Equal((HttpStatusCode.Unauthorized, """{"error":"wrong api key"}"""), (write.StatusCode, await write.Content.ReadAsStringAsync()));
        Assert.Equal((HttpStatusCode.Unauthorized, """{"error":"missing api key"}"""), (noKey.StatusCode, await noKey.Content.ReadAsStringAsync()));
        Assert.Empty(await fixture.RunsAsync("sneaky"));
    }

    [Fact]
    public async Task The_status_probe_answers_OK_without_a_key()
    {
        using var client = fixture.Server.CreateClient();

        Assert.Equal("OK", await client.GetStringAsync(new Uri("/hc/api/v3/status/", UriKind.Relative)));
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, string? body = null) =>
        HealthchecksClient.SendAsync(fixture.Server, method, path, key, body);

    private static Task<JsonElement> JsonAsync(HttpResponseMessage response) => HealthchecksClient.JsonAsync(response);
}

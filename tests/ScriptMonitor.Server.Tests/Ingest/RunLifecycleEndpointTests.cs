using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Server.Tests.Ingest;

/// <summary>Starts and completions over HTTP, conflicts, and how a run arrived, on one server and its SQLite file.</summary>
public sealed class RunLifecycleEndpointTests : IngestServerTests
{
    [Fact]
    public async Task A_start_then_its_completion_record_one_run_and_a_repeated_completion_is_200_but_another_is_409()
    {
        var id = Guid.NewGuid();
        var completion = Json(new { completedAt = "2026-11-29T01:05:00Z", outcome = "failed", exitCode = 2, output = "boom\n" });

        using var start = await PostAsync("/api/v1/runs/start", Json(new { id, script = "backup-web", host = "web1", startedAt = "2026-11-29T01:00:00Z" }));
        using var startAgain = await PostAsync("/api/v1/runs/start", Json(new { id, script = "backup-web", host = "web1", startedAt = "2026-11-29T01:00:00Z" }));
        var running = Assert.Single(await StoredRunsAsync("backup-web"));
        using var complete = await PostAsync($"/api/v1/runs/{id}/complete", completion);
        using var completeAgain = await PostAsync($"/api/v1/runs/{id}/complete", completion);
        using var other = await PostAsync($"/api/v1/runs/{id}/complete", Json(new { completedAt = "2026-11-29T01:06:00Z", outcome = "succeeded", exitCode = 0 }));

        Assert.Equal(HttpStatusCode.Created, start.StatusCode);
        Assert.Equal($"/api/v1/runs/{id}", start.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, startAgain.StatusCode);
        Assert.Equal(RunOutcome.Running, running.Outcome);
        Assert.Equal((HttpStatusCode.OK, true), (complete.StatusCode, await StoredAsync(complete)));
        Assert.Equal((HttpStatusCode.OK, false), (completeAgain.StatusCode, await StoredAsync(completeAgain)));
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
        var detail = JsonDocument.Parse(await other.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
        Assert.Contains(id.ToString(), detail, StringComparison.Ordinal);
        Assert.Contains("outcome failed, not succeeded", detail, StringComparison.Ordinal);
        var run = Assert.Single(await StoredRunsAsync("backup-web"));
        Assert.Equal((RunOutcome.Failed, 2, "boom\n"), (run.Outcome, run.ExitCode, run.Output));
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 1, 5, 0, TimeSpan.Zero), run.CompletedAt);
    }

    [Fact]
    public async Task A_start_without_an_id_gets_one_from_the_server()
    {
        using var response = await PostAsync("/api/v1/runs/start", Json(new { script = "backup-noid", host = "web1", startedAt = "2026-11-29T01:00:00Z" }));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        Assert.Equal(id, Assert.Single(await StoredRunsAsync("backup-noid")).RunId);
    }

    [Fact]
    public async Task Completing_an_unknown_run_is_404_and_one_of_a_script_the_key_may_not_record_is_403()
    {
        var foreign = Guid.NewGuid();
        using (var store = ScriptRunStores.Open(Database))
        {
            await store.RecordStartAsync("report-daily", new DateTimeOffset(2026, 11, 29, 1, 0, 0, TimeSpan.Zero), "web1", foreign);
        }

        var completion = Json(new { completedAt = "2026-11-29T01:05:00Z", outcome = "succeeded" });
        using var unknown = await PostAsync($"/api/v1/runs/{Guid.NewGuid()}/complete", completion);
        using var forbidden = await PostAsync($"/api/v1/runs/{foreign}/complete", completion);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("may not record runs of 'report-daily'", await forbidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(RunOutcome.Running, Assert.Single(await StoredRunsAsync("report-daily")).Outcome);
    }

    [Fact]
    public async Task A_run_sent_again_with_another_host_is_409_naming_the_id_and_the_host_and_changes_nothing()
    {
        var id = Guid.NewGuid();
        using var first = await PostAsync("/api/v1/runs", Finished(id, "backup-db", "db1"));
        using var clash = await PostAsync("/api/v1/runs", Finished(id, "backup-db", "db2"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, clash.StatusCode);
        var detail = JsonDocument.Parse(await clash.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
        Assert.Contains(id.ToString(), detail, StringComparison.Ordinal);
        Assert.Contains("host 'db1', not 'db2'", detail, StringComparison.Ordinal);
        Assert.Equal("db1", Assert.Single(await StoredRunsAsync("backup-db")).Hostname);
    }

    [Fact]
    public async Task A_running_run_and_a_spooled_delivery_are_recorded_with_their_receipt_and_bad_combinations_are_400()
    {
        var id = Guid.NewGuid();
        var before = DateTimeOffset.UtcNow;
        using var start = await PostAsync("/api/v1/runs", Json(new { id, script = "backup-spool", host = "db1", startedAt = "2026-11-29T01:00:00Z", outcome = "running" }));
        using var late = await PostAsync("/api/v1/runs", Json(new { id, script = "backup-spool", host = "db1", startedAt = "2026-11-29T01:00:00Z", completedAt = "2026-11-29T01:00:10Z", outcome = "succeeded", delivery = "spool" }));
        using var runningWithEnd = await PostAsync("/api/v1/runs", Json(new { id = Guid.NewGuid(), script = "backup-bad", host = "db1", startedAt = "2026-11-29T01:00:00Z", completedAt = "2026-11-29T01:00:10Z", outcome = "running" }));
        using var badDelivery = await PostAsync("/api/v1/runs", Json(new { id = Guid.NewGuid(), script = "backup-bad", host = "db1", startedAt = "2026-11-29T01:00:00Z", completedAt = "2026-11-29T01:00:10Z", outcome = "failed", delivery = "carrier-pigeon" }));

        Assert.Equal(HttpStatusCode.Created, start.StatusCode);
        Assert.Equal(HttpStatusCode.Created, late.StatusCode);
        Assert.True(await StoredAsync(late), "the late completion completed the started run");
        var run = Assert.Single(await StoredRunsAsync("backup-spool"));
        Assert.Equal(RunOutcome.Succeeded, run.Outcome);
        Assert.Equal(RunDeliveryKind.Spool, run.Arrival?.Delivery);
        Assert.False(run.Arrival!.ClockSkew);
        Assert.InRange(run.Arrival.ReceivedAt, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        using var shown = await GetRunAsync(id);
        Assert.Equal("spool", shown.RootElement.GetProperty("delivery").GetString());
        Assert.False(shown.RootElement.GetProperty("clockSkew").GetBoolean());
        Assert.Equal(run.Arrival.ReceivedAt, DateTimeOffset.Parse(shown.RootElement.GetProperty("receivedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(HttpStatusCode.BadRequest, runningWithEnd.StatusCode);
        Assert.Contains("completedAt must be left out when outcome is running", await runningWithEnd.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badDelivery.StatusCode);
        Assert.Contains("delivery must be live or spool", await badDelivery.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await StoredRunsAsync("backup-bad"));
    }

    [Fact]
    public async Task A_batch_answers_each_run_in_order_and_a_refused_run_does_not_hold_back_the_others()
    {
        var stored = Guid.NewGuid();
        using (await PostAsync("/api/v1/runs", Finished(stored, "backup-batch", "db1")))
        {
        }

        var fresh = Guid.NewGuid();
        var body = $"[{Finished(fresh, "backup-batch", "db1")},{Finished(stored, "backup-batch", "db1")},{Finished(stored, "backup-batch", "db9")},"
            + $"{Json(new { id = Guid.NewGuid(), script = "backup-batch", host = "db1" })},{Finished(Guid.NewGuid(), "report-daily", "db1")}]";

        using var response = await PostAsync("/api/v1/runs/batch", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToList();
        Assert.Equal(["stored", "already-stored", "conflict", "invalid", "forbidden"], items.Select(i => i.GetProperty("status").GetString()));
        Assert.Equal(fresh, items[0].GetProperty("id").GetGuid());
        Assert.Contains("host 'db1', not 'db9'", items[2].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(items[3].GetProperty("errors").EnumerateArray(), e => e.GetProperty("path").GetString() == "startedAt");
        Assert.Equal(new[] { fresh, stored }.Order(), (await StoredRunsAsync("backup-batch")).Select(r => r.RunId).Order());
        Assert.Empty(await StoredRunsAsync("report-daily"));
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);

    private static string Finished(Guid id, string script, string host) =>
        Json(new { id, script, host, startedAt = "2026-11-29T01:00:00Z", completedAt = "2026-11-29T01:00:10Z", outcome = "succeeded", exitCode = 0 });

    private static async Task<bool> StoredAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("stored").GetBoolean();

    private async Task<JsonDocument> GetRunAsync(Guid id)
    {
        using var client = Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/v1/runs/{id}", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ReadKey);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}

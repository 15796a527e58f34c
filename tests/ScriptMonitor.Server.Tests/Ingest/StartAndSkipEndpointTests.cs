using System.Net;
using System.Text.Json;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Server.Tests.Ingest;

/// <summary>
/// What <c>scriptmon exec</c> sends a server: a run's start (outcome running, no completion) that the whole run sent
/// again completes, and runs skipped for a held lock.
/// </summary>
public sealed class StartAndSkipEndpointTests : IngestServerTests
{
    [Fact]
    public async Task A_start_is_stored_running_and_the_whole_run_sent_later_completes_it()
    {
        var id = Guid.NewGuid();
        using var start = await PostAsync("/api/v1/runs", $$"""{"id":"{{id}}","script":"backup-db","host":"db1","startedAt":"2026-11-29T01:00:00Z","outcome":"running"}""");
        var running = Assert.Single(await StoredRunsAsync("backup-db"));
        using var end = await PostAsync("/api/v1/runs", $$"""{"id":"{{id}}","script":"backup-db","host":"db1","startedAt":"2026-11-29T01:00:00Z","completedAt":"2026-11-29T01:00:42Z","outcome":"succeeded","exitCode":0}""");
        using var lateStart = await PostAsync("/api/v1/runs", $$"""{"id":"{{id}}","script":"backup-db","host":"db1","startedAt":"2026-11-29T01:00:00Z","outcome":"running"}""");

        Assert.Equal(HttpStatusCode.Created, start.StatusCode);
        Assert.Equal(RunOutcome.Running, running.Outcome);
        Assert.Equal(HttpStatusCode.Created, end.StatusCode);
        Assert.Equal(HttpStatusCode.OK, lateStart.StatusCode);
        var run = Assert.Single(await StoredRunsAsync("backup-db"));
        Assert.Equal(RunOutcome.Succeeded, run.Outcome);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 1, 0, 42, TimeSpan.Zero), run.CompletedAt);
    }

    [Fact]
    public async Task A_running_run_with_a_completion_or_an_unknown_outcome_is_400_naming_the_field()
    {
        using var both = await PostAsync("/api/v1/runs", $$"""{"id":"{{Guid.NewGuid()}}","script":"backup-x","host":"db1","startedAt":"2026-11-29T01:00:00Z","completedAt":"2026-11-29T01:00:42Z","outcome":"running"}""");
        using var unknown = await PostAsync("/api/v1/runs", $$"""{"id":"{{Guid.NewGuid()}}","script":"backup-x","host":"db1","startedAt":"2026-11-29T01:00:00Z","outcome":"ok"}""");

        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        Assert.Contains("completedAt", Paths(await both.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(["completedAt", "outcome"], Paths(await unknown.Content.ReadAsStringAsync()));
        Assert.Empty(await StoredRunsAsync("backup-x"));
    }

    [Fact]
    public async Task A_skipped_run_is_stored_once_and_one_missing_a_field_is_400_naming_it()
    {
        var id = Guid.NewGuid();
        var body = $$"""{"id":"{{id}}","script":"backup-db","host":"db1","skippedAt":"2026-11-29T01:00:00Z","holder":"pid 4242"}""";
        using var first = await PostAsync("/api/v1/skips", body);
        using var retry = await PostAsync("/api/v1/skips", body);
        using var missing = await PostAsync("/api/v1/skips", """{"script":"backup-db","host":"db1","skippedAt":"2026-11-29T01:00:00Z"}""");
        using var outOfScope = await PostAsync("/api/v1/skips", $$"""{"id":"{{Guid.NewGuid()}}","script":"report","host":"db1","skippedAt":"2026-11-29T01:00:00Z","holder":"pid 1"}""");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(["id", "holder"], Paths(await missing.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Forbidden, outOfScope.StatusCode);
        using var store = ScriptRunStores.Open(Database);
        var skip = Assert.Single(await store.ListSkipsAsync("backup-db"));
        Assert.Equal(id, skip.EventId);
        Assert.Equal("pid 4242", skip.Holder);
    }

    private static List<string> Paths(string problem) =>
        [.. JsonDocument.Parse(problem).RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()!)];
}

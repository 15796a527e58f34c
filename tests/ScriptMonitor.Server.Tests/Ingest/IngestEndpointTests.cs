using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Server.Tests.Ingest;

public sealed class IngestEndpointTests : IngestServerTests
{
    private static readonly Uri Runs = new("/api/v1/runs", UriKind.Relative);

    [Fact]
    public async Task A_finished_run_is_stored_once_however_often_it_is_sent_with_its_exact_instants()
    {
        var id = Guid.NewGuid();
        var body = Run(id, "backup-db", startedAt: "2026-11-29T01:00:00.123456+02:00", completedAt: "2026-11-29T01:00:42.5+02:00");

        using var first = await PostRunAsync(IngestKey, body);
        using var retry = await PostRunAsync(IngestKey, body);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.True(JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("stored").GetBoolean());
        Assert.False(JsonDocument.Parse(await retry.Content.ReadAsStringAsync()).RootElement.GetProperty("stored").GetBoolean());
        var run = Assert.Single(await StoredRunsAsync("backup-db"));
        Assert.Equal(id, run.RunId);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 23, 0, 0, TimeSpan.Zero).AddTicks(1234560), run.StartedAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 23, 0, 42, 500, TimeSpan.Zero), run.CompletedAt);
        Assert.Equal(RunOutcome.Failed, run.Outcome);
        Assert.Equal(3, run.ExitCode);
        Assert.Equal("disk full\n", run.Output);
    }

    [Theory]
    [InlineData("{\"id\":\"not-a-uuid\",\"script\":\"backup-db\"}", "id", "json")]
    [InlineData("{\"id\":\"0190a0a0-0000-7000-8000-000000000001\",\"script\":\"backup-db\",\"exitCode\":99999999999}", "exitCode", "json")]
    [InlineData("{\"id\":\"0190a0a0-0000-7000-8000-000000000001\",\"script\":[\"backup-db\"]}", "script", "json")]
    [InlineData("{\"id\":\"0190a0a0-0000-7000-8000-000000000001\",\"script\":\"backup-db\",\"completedAt\":\"yesterday\"}", "completedAt", "instant")]
    // Without an offset the instant would be read in the server's own zone: refused, not guessed.
    [InlineData("{\"id\":\"0190a0a0-0000-7000-8000-000000000001\",\"script\":\"backup-db\",\"startedAt\":\"2026-11-29T01:00:00\"}", "startedAt", "instant")]
    // Which of two ids or scripts would count depends on the parser: refused.
    [InlineData("{\"id\":\"0190a0a0-0000-7000-8000-000000000001\",\"script\":\"backup-db\",\"script\":\"backup-web\"}", "script", "duplicate")]
    [InlineData("{bad", "", "json")]
    [InlineData("[]", "", "json")]
    [InlineData("null", "", "json")]
    public async Task A_body_that_is_not_the_run_json_is_400_naming_the_field_and_stores_nothing(string body, string field, string rule)
    {
        using var response = await PostRunAsync(IngestKey, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single(Errors(await response.Content.ReadAsStringAsync()));
        Assert.Equal(field, error.Path);
        Assert.Equal(rule, error.Rule);
        Assert.Empty(await StoredRunsAsync("backup-db"));
    }

    [Fact]
    public async Task Output_with_lone_surrogate_escapes_is_stored_with_each_replaced_rather_than_the_run_refused()
    {
        // What Python's json.dumps sends for output decoded with errors="surrogateescape".
        var id = Guid.NewGuid();
        var body = Run(id, "backup-db").Replace("\"disk full\\n\"", "\"bad byte \\udcff, \\\"quoted\\\" \\ud83d\\ude00\\n\"", StringComparison.Ordinal);
        Assert.Contains("udcff", body, StringComparison.Ordinal);

        using var response = await PostRunAsync(IngestKey, body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("bad byte \uFFFD, \"quoted\" \U0001F600\n", Assert.Single(await StoredRunsAsync("backup-db")).Output);
    }

    [Fact]
    public async Task A_body_without_a_json_content_type_is_415_and_no_body_is_400()
    {
        using var client = Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", IngestKey);

        using var plain = await client.PostAsync(Runs, new StringContent(Run(Guid.NewGuid(), "backup-db"), Encoding.UTF8, "text/plain"));
        using var empty = await client.PostAsync(Runs, new StringContent(string.Empty, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, plain.StatusCode);
        Assert.Contains("Content-Type: application/json", await plain.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal("required", Assert.Single(Errors(await empty.Content.ReadAsStringAsync())).Rule);
        Assert.Empty(await StoredRunsAsync("backup-db"));
    }

    [Fact]
    public async Task A_run_of_the_wrong_form_in_a_batch_is_named_by_its_position()
    {
        var body = $"[{Run(Guid.NewGuid(), "backup-db")}, {{\"id\":\"{Guid.NewGuid()}\",\"startedAt\":5}}]";

        using var response = await PostAsync("/api/v1/runs/batch", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("[1].startedAt", Assert.Single(Errors(await response.Content.ReadAsStringAsync())).Path);
        Assert.Empty(await StoredRunsAsync("backup-db"));
    }

    [Fact]
    public async Task AnIngestKey_key_records_only_the_scripts_its_patterns_allow()
    {
        using var response = await PostRunAsync(IngestKey, Run(Guid.NewGuid(), "report-daily"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("may not record runs of 'report-daily'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await StoredRunsAsync("report-daily"));
    }

    [Fact]
    public async Task AReadKey_key_cannot_record_and_no_key_is_401()
    {
        using var read = await PostRunAsync(ReadKey, Run(Guid.NewGuid(), "backup-read"));
        using var none = await PostRunAsync(null, Run(Guid.NewGuid(), "backup-none"));

        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Empty(await StoredRunsAsync("backup-read"));
        Assert.Empty(await StoredRunsAsync("backup-none"));
    }

    [Fact]
    public async Task Missing_fields_are_400_listing_each_by_its_json_name()
    {
        using var response = await PostRunAsync(IngestKey, """{"script":"backup-x","outcome":"ok"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var paths = Errors(await response.Content.ReadAsStringAsync()).Select(e => e.Path).ToList();
        Assert.Equal(["id", "host", "startedAt", "completedAt", "outcome"], paths);
    }

    [Fact]
    public async Task Broken_rules_are_400_naming_the_field_and_nothing_is_stored()
    {
        var future = DateTimeOffset.UtcNow.AddDays(3).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        using var reversed = await PostRunAsync(IngestKey, Run(Guid.NewGuid(), "backup-rev", startedAt: "2026-11-29T02:00:00Z", completedAt: "2026-11-29T01:00:00Z"));
        using var ahead = await PostRunAsync(IngestKey, Run(Guid.NewGuid(), "backup-future", startedAt: future, completedAt: future));
        using var control = await PostRunAsync(IngestKey, Run(Guid.NewGuid(), "backup-\u0007bell"));

        Assert.Equal(HttpStatusCode.BadRequest, reversed.StatusCode);
        var error = Assert.Single(Errors(await reversed.Content.ReadAsStringAsync()));
        Assert.Equal("completedAt", error.Path);
        Assert.StartsWith("completedAt ", error.Message, StringComparison.Ordinal);
        Assert.Contains("must not be before the start", error.Message, StringComparison.Ordinal);
        Assert.Equal(FieldRules.NotBeforeStart, error.Rule);
        Assert.Equal(HttpStatusCode.BadRequest, ahead.StatusCode);
        Assert.Contains(Errors(await ahead.Content.ReadAsStringAsync()), e => e.Path == "startedAt");
        Assert.Equal(HttpStatusCode.BadRequest, control.StatusCode);
        Assert.Equal("script", Assert.Single(Errors(await control.Content.ReadAsStringAsync())).Path);
        Assert.Empty(await StoredRunsAsync("backup-rev"));
        Assert.Empty(await StoredRunsAsync("backup-future"));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_400_problem()
    {
        using var response = await PostRunAsync(IngestKey, "{ this is not json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static string Run(Guid id, string script, string startedAt = "2026-11-29T01:00:00Z", string completedAt = "2026-11-29T01:00:10Z") =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = id,
            ["script"] = script,
            ["host"] = "db1",
            ["startedAt"] = startedAt,
            ["completedAt"] = completedAt,
            ["outcome"] = "failed",
            ["exitCode"] = 3,
            ["output"] = "disk full\n",
        });

    private static List<(string Path, string Rule, string Message)> Errors(string problem) =>
        [.. JsonDocument.Parse(problem).RootElement.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("path").GetString()!, e.GetProperty("rule").GetString()!, e.GetProperty("message").GetString()!))];

    private Task<HttpResponseMessage> PostRunAsync(string? key, string json) => PostAsync(Runs.OriginalString, json, key);
}

using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Tests.Support;

namespace ScriptMonitor.Server.Tests.Peers;

/// <summary>
/// One server for the Healthchecks ping tests, on a store where <c>backup</c>, <c>report</c> and <c>curl-job</c> have
/// ping UUIDs and two scripts share the slug <c>nightly-sync</c>. Each test uses scripts of its own.
/// </summary>
public sealed class HealthchecksServer : IAsyncLifetime
{
    private readonly TempFolder _folder = new();

    public ServerProcess Server { get; private set; } = null!;

    public string Database { get; private set; } = string.Empty;

    public string PingKey { get; private set; } = string.Empty;

    public string AdminKey { get; private set; } = string.Empty;

    public string ReadKey { get; private set; } = string.Empty;

    public Dictionary<string, Guid> Uuids { get; } = [];

    public async Task InitializeAsync()
    {
        Database = _folder.File("scriptmon.db");
        using (var store = ScriptRunStores.Open(Database))
        {
            var identities = (IPingIdentityStore)store;
            foreach (var script in new[] { "backup", "report", "curl-job", "curl-fail", "methods", "no-start", "body-tail", "kuma-disk", "retried", "logger", "deleted" })
            {
                Uuids[script] = (await identities.EnsurePingIdentityAsync(script)).PingId;
            }

            await identities.EnsurePingIdentityAsync("Nightly Sync");
            await identities.EnsurePingIdentityAsync("nightly-sync");
            PingKey = await identities.EnsurePingKeyAsync();
            var keys = new ScriptMonitor.Application.Access.KeyService(store, TimeProvider.System);
            AdminKey = (await keys.CreateAsync("terraform", KeyScope.Admin, [], "cli")).Secret;
            ReadKey = (await keys.CreateAsync("homepage", KeyScope.Read, [], "cli")).Secret;
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

    public async Task<IReadOnlyList<ScriptRun>> RunsAsync(string script)
    {
        using var store = ScriptRunStores.Open(Database);
        return await store.ListRunsAsync(new RunQuery(script));
    }
}

public sealed class HealthchecksPingTests(HealthchecksServer fixture) : IClassFixture<HealthchecksServer>
{
    private const string RunitorAgent = "runitor/v1.4.1 (linux-amd64; +https://bdd.fi/x/runitor)";

    private Uri Base => fixture.Server.BaseAddress;

    [Fact]
    public async Task Runitors_sequence_records_each_run_with_its_duration_output_and_exit_code()
    {
        var uuid = fixture.Uuids["backup"];
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();

        // runitor -api-url BASE/hc/ping -uuid UUID -- ./backup.sh: a start with an empty body, then the completion.
        using var start = await RunitorAsync($"/hc/ping/{uuid}/start?rid={first}", string.Empty);
        var running = Assert.Single(await fixture.RunsAsync("backup"));
        using var success = await RunitorAsync($"/hc/ping/{uuid}?rid={first}", "backed up 42 files\n");
        // Older runitor releases sent chunked bodies; the exit-code form carries the failing code.
        using var _ = await RunitorAsync($"/hc/ping/{uuid}/start?rid={second}", string.Empty, chunked: true);
        using var failure = await RunitorAsync($"/hc/ping/{uuid}/3?rid={second}", "disk full\n[runitor] exit status 3", chunked: true);

        Assert.Equal((HttpStatusCode.OK, "OK"), (start.StatusCode, await start.Content.ReadAsStringAsync()));
        Assert.Equal("10000", start.Headers.GetValues("Ping-Body-Limit").Single());
        Assert.Equal(RunOutcome.Running, running.Outcome);
        Assert.Equal((HttpStatusCode.OK, "OK"), (success.StatusCode, await success.Content.ReadAsStringAsync()));
        Assert.Equal((HttpStatusCode.OK, "OK"), (failure.StatusCode, await failure.Content.ReadAsStringAsync()));
        var runs = (await fixture.RunsAsync("backup")).OrderBy(r => r.StartedAt).ToList();
        Assert.Equal(2, runs.Count);
        Assert.Equal((running.RunId, RunOutcome.Succeeded, (int?)null, "backed up 42 files\n"), (runs[0].RunId, runs[0].Outcome, runs[0].ExitCode, runs[0].Output));
        Assert.Equal(running.StartedAt, runs[0].StartedAt);
        Assert.True(runs[0].CompletedAt > runs[0].StartedAt);
        Assert.Equal((RunOutcome.Failed, (int?)3, "disk full\n[runitor] exit status 3"), (runs[1].Outcome, runs[1].ExitCode, runs[1].Output));
        Assert.Equal("127.0.0.1", runs[1].Hostname);
    }

    [Fact]
    public async Task A_completion_sent_again_with_its_rid_is_stored_once()
    {
        var uuid = fixture.Uuids["report"];
        var rid = Guid.NewGuid();

        using var start = await RunitorAsync($"/hc/ping/{uuid}/start?rid={rid}", string.Empty);
        using var done = await RunitorAsync($"/hc/ping/{uuid}/0?rid={rid}", "ok");
        using var retry = await RunitorAsync($"/hc/ping/{uuid}/0?rid={rid}", "ok");

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var run = Assert.Single(await fixture.RunsAsync("report"));
        Assert.Equal((RunOutcome.Succeeded, (int?)0), (run.Outcome, run.ExitCode));
    }

    [Fact]
    public async Task A_slug_url_with_create_makes_the_check_and_answers_201_Created()
    {
        var rid = Guid.NewGuid();

        using var created = await RunitorAsync($"/hc/ping/{fixture.PingKey}/new-job/start?create=1&rid={rid}", string.Empty);
        using var done = await RunitorAsync($"/hc/ping/{fixture.PingKey}/new-job?create=1&rid={rid}", "done");
        using var unknown = await RunitorAsync($"/hc/ping/{fixture.PingKey}/other-job", string.Empty);

        Assert.Equal((HttpStatusCode.Created, "Created"), (created.StatusCode, await created.Content.ReadAsStringAsync()));
        Assert.Equal((HttpStatusCode.OK, "OK"), (done.StatusCode, await done.Content.ReadAsStringAsync()));
        Assert.Equal((HttpStatusCode.NotFound, "not found"), (unknown.StatusCode, await unknown.Content.ReadAsStringAsync()));
        var run = Assert.Single(await fixture.RunsAsync("new-job"));
        Assert.Equal((RunOutcome.Succeeded, "done"), (run.Outcome, run.Output));
    }

    [Fact]
    public async Task The_curl_one_liners_of_healthchecks_documentation_record_runs()
    {
        var uuid = fixture.Uuids["curl-job"];
        var failing = fixture.Uuids["curl-fail"];

        // The start, then the success, at the hosted service's root form, the UUID in capitals as some people paste it.
        Assert.Equal(0, await CurlAsync("-fsS", "-m", "10", "--retry", "5", "-o", "/dev/null", Url($"/hc/{uuid}/start")));
        Assert.Equal(0, await CurlAsync("-fsS", "-m", "10", "--retry", "5", "-o", "/dev/null", Url($"/hc/{uuid.ToString().ToUpperInvariant()}")));
        Assert.Equal(0, await CurlAsync("-fsS", "-m", "10", "--retry", "5", "--data-raw", "rsync: connection refused", Url($"/hc/ping/{failing}/fail")));
        Assert.Equal(22, await CurlAsync("-fsS", "-m", "10", "--retry", "5", "-o", "/dev/null", Url($"/hc/ping/{Guid.NewGuid()}")));

        var run = Assert.Single(await fixture.RunsAsync("curl-job"));
        Assert.Equal(RunOutcome.Succeeded, run.Outcome);
        Assert.True(run.CompletedAt > run.StartedAt);
        var failed = Assert.Single(await fixture.RunsAsync("curl-fail"));
        Assert.Equal((RunOutcome.Failed, "rsync: connection refused"), (failed.Outcome, failed.Output));
    }

    [Fact]
    public async Task Every_method_is_a_ping()
    {
        var uuid = fixture.Uuids["methods"];
        using var client = fixture.Server.CreateClient();

        foreach (var method in new[] { HttpMethod.Head, HttpMethod.Get, HttpMethod.Put, HttpMethod.Post })
        {
            using var response = await client.SendAsync(new HttpRequestMessage(method, new Uri($"/hc/ping/{uuid}/", UriKind.Relative)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        }

        Assert.Equal(4, (await fixture.RunsAsync("methods")).Count);
    }

    [Fact]
    public async Task A_success_without_a_start_is_a_run_of_unknown_duration()
    {
        using var response = await RunitorAsync($"/hc/ping/{fixture.Uuids["no-start"]}", string.Empty);
        using var client = ReadClient();
        using var runs = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/v1/scripts/no-start/runs", UriKind.Relative)));

        var run = Assert.Single(await fixture.RunsAsync("no-start"));
        Assert.Equal((HttpStatusCode.OK, RunOutcome.Succeeded), (response.StatusCode, run.Outcome));
        Assert.Equal(run.StartedAt, run.CompletedAt);
        Assert.True(run.DurationUnknown);
        var view = runs.RootElement.GetProperty("runs")[0];
        Assert.Equal(JsonValueKind.Null, view.GetProperty("durationSeconds").ValueKind);
        Assert.True(view.GetProperty("durationUnknown").GetBoolean());
    }

    [Fact]
    public async Task A_start_and_its_success_each_sent_twice_with_one_rid_are_one_run_with_a_known_duration()
    {
        var uuid = fixture.Uuids["retried"];
        var rid = Guid.NewGuid();

        using var start = await RunitorAsync($"/hc/ping/{uuid}/start?rid={rid}", string.Empty);
        using var startAgain = await RunitorAsync($"/hc/ping/{uuid}/start?rid={rid.ToString().ToUpperInvariant()}", string.Empty);
        using var done = await RunitorAsync($"/hc/ping/{uuid}?rid={rid}", "done");
        using var doneAgain = await RunitorAsync($"/hc/ping/{uuid}?rid={rid}", "done");

        Assert.All(new[] { start, startAgain, done, doneAgain }, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var run = Assert.Single(await fixture.RunsAsync("retried"));
        Assert.Equal((RunOutcome.Succeeded, "done", false), (run.Outcome, run.Output, run.DurationUnknown));
        Assert.True(run.CompletedAt > run.StartedAt);
    }

    [Fact]
    public async Task A_log_ping_is_an_event_of_the_script_not_a_run()
    {
        var uuid = fixture.Uuids["logger"];

        using var empty = await RunitorAsync($"/hc/ping/{uuid}/log", string.Empty);
        using var said = await RunitorAsync($"/hc/{uuid}/log", "rotated 3 files\n");
        using var client = ReadClient();
        using var events = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/v1/scripts/logger/events?limit=1", UriKind.Relative)));
        using var older = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/v1/scripts/logger/events?limit=1&offset=1", UriKind.Relative)));
        using var badLimit = await client.GetAsync(new Uri("/api/v1/scripts/logger/events?limit=0", UriKind.Relative));

        Assert.Equal((HttpStatusCode.OK, "OK"), (empty.StatusCode, await empty.Content.ReadAsStringAsync()));
        Assert.Equal((HttpStatusCode.OK, "OK"), (said.StatusCode, await said.Content.ReadAsStringAsync()));
        Assert.Empty(await fixture.RunsAsync("logger"));
        var newest = Assert.Single(events.RootElement.GetProperty("events").EnumerateArray());
        Assert.Equal(("log", "rotated 3 files\n", "127.0.0.1"), (newest.GetProperty("kind").GetString(), newest.GetProperty("body").GetString(), newest.GetProperty("source").GetString()));
        Assert.Equal(1, events.RootElement.GetProperty("nextOffset").GetInt32());
        var first = Assert.Single(older.RootElement.GetProperty("events").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("body").ValueKind);
        Assert.Equal(JsonValueKind.Null, older.RootElement.GetProperty("nextOffset").ValueKind);
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        Assert.Contains("limit", await badLimit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ping_for_the_uuid_of_a_deleted_script_is_not_found()
    {
        var uuid = fixture.Uuids["deleted"];
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={fixture.Database}"))
        {
            connection.Open();
            using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM ping_identities WHERE script_name = 'deleted'";
            delete.ExecuteNonQuery();
        }

        using var response = await RunitorAsync($"/hc/ping/{uuid}", "late");

        Assert.Equal((HttpStatusCode.NotFound, "not found"), (response.StatusCode, await response.Content.ReadAsStringAsync()));
        Assert.Empty(await fixture.RunsAsync("deleted"));
    }

    [Fact]
    public async Task An_oversized_body_keeps_its_tail()
    {
        var body = new string('a', 15_000) + "the end";

        using var response = await RunitorAsync($"/hc/ping/{fixture.Uuids["body-tail"]}", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var run = Assert.Single(await fixture.RunsAsync("body-tail"));
        Assert.EndsWith("the end", run.Output, StringComparison.Ordinal);
        Assert.True(run.Output!.Length <= 10_000);
    }

    [Theory]
    [InlineData("/hc/ping/{uuid}/256", 400, "invalid url format")]
    [InlineData("/hc/ping/{uuid}/start?rid=not-a-uuid", 400, "invalid uuid format")]
    [InlineData("/hc/ping/0f8e1d2c-3b4a-4c5d-8e6f-7a8b9c0d1e2f", 404, "not found")]
    [InlineData("/hc/ping/{uuid}/pause", 404, "not found")]
    [InlineData("/hc/ping/{key}/unknown-slug", 404, "not found")]
    [InlineData("/hc/ping/{key}/Backup", 400, "invalid url format")]
    [InlineData("/hc/ping/{key}/backup/", 404, "not found")]
    [InlineData("/hc/ping/wrongkeywrongkeywrongk/backup", 404, "not found")]
    [InlineData("/hc/ping/{key}/nightly-sync", 409, "ambiguous slug")]
    public async Task Bad_pings_get_the_peers_status_and_body_and_record_nothing(string path, int status, string body)
    {
        using var response = await RunitorAsync(path.Replace("{uuid}", fixture.Uuids["report"].ToString(), StringComparison.Ordinal).Replace("{key}", fixture.PingKey, StringComparison.Ordinal), "x");

        Assert.Equal((status, body), ((int)response.StatusCode, await response.Content.ReadAsStringAsync()));
        Assert.Equal("10000", response.Headers.GetValues("Ping-Body-Limit").Single());
        Assert.DoesNotContain(await fixture.RunsAsync("Nightly Sync"), _ => true);
        Assert.DoesNotContain(await fixture.RunsAsync("nightly-sync"), _ => true);
    }

    private HttpClient ReadClient()
    {
        var client = fixture.Server.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", fixture.ReadKey);
        return client;
    }

    private string Url(string path) => new Uri(Base, path).ToString();

    private async Task<HttpResponseMessage> RunitorAsync(string path, string body, bool chunked = false)
    {
        using var client = fixture.Server.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = chunked ? new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body))) : new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        request.Headers.UserAgent.ParseAdd(RunitorAgent);
        return await client.SendAsync(request);
    }

    private static async Task<int> CurlAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var curl = Process.Start(start)!;
        await curl.StandardOutput.ReadToEndAsync();
        await curl.WaitForExitAsync();
        return curl.ExitCode;
    }
}

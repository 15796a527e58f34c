using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Access;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Tests.Metrics;
using ScriptMonitor.Server.Tests.Support;

namespace ScriptMonitor.Server.Tests.Limits;

public sealed class RequestLimitTests : IDisposable
{
    private static readonly Uri Runs = new("/api/v1/runs", UriKind.Relative);

    private readonly TempFolder _folder = new();
    private readonly string _database;

    public RequestLimitTests()
    {
        _database = _folder.File("scriptmon.db");
    }

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_body_over_the_limit_is_a_413_problem_naming_the_setting_and_nothing_is_stored(bool chunked)
    {
        var (ingest, _) = await CreateKeysAsync();
        await using var server = await ServerProcess.Start(_database, "--Server:MaxRequestBodyBytes=4096").WaitUntilListeningAsync();

        using var tooLarge = await PostAsync(server, ingest, Run("backup-large", output: new string('x', 5000)), chunked);
        using var small = await PostAsync(server, ingest, Run("backup-small", output: "ok"), chunked);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("application/problem+json", tooLarge.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Server:MaxRequestBodyBytes", await tooLarge.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, small.StatusCode);
        Assert.Empty(await StoredRunsAsync("backup-large"));
        Assert.Single(await StoredRunsAsync("backup-small"));
    }

    [Fact]
    public async Task A_key_over_its_rate_limit_gets_429_with_retry_after_and_another_key_is_not_affected()
    {
        var (ingest, read) = await CreateKeysAsync();
        string other;
        using (var store = ScriptRunStores.Open(_database))
        {
            other = (await new KeyService(store, TimeProvider.System).CreateAsync("web1", KeyScope.Ingest, ["backup-*"], "cli")).Secret;
        }

        // Two calls at once, then one every 100 s: the third call in a row has to wait.
        await using var server = await ServerProcess.Start(_database, "--Server:RateLimit:PermitsPerSecond=0.01", "--Server:RateLimit:Burst=2").WaitUntilListeningAsync();

        using var first = await PostAsync(server, ingest, Run("backup-a"));
        using var second = await PostAsync(server, ingest, Run("backup-b"));
        using var third = await PostAsync(server, ingest, Run("backup-c"));
        using var otherKey = await PostAsync(server, other, Run("backup-d"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal("application/problem+json", third.Content.Headers.ContentType?.MediaType);
        var retryAfter = third.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(100));
        Assert.Contains("the key 'db1'", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await StoredRunsAsync("backup-c"));
        Assert.Equal(HttpStatusCode.Created, otherKey.StatusCode);

        using var client = server.CreateClient();
        using var scrape = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
        scrape.Headers.Authorization = new AuthenticationHeaderValue("Bearer", read);
        using var metrics = await client.SendAsync(scrape);
        var page = await metrics.Content.ReadAsStringAsync();
        var (status, lint) = await MetricsEndpointTests.PromtoolCheckAsync(page);
        Assert.True(status == 0, $"promtool check metrics failed ({status}):\n{lint}");
        Assert.Contains("scriptmon_rate_limited_requests_total 1\n", page, StringComparison.Ordinal);
        Assert.Contains("scriptmon_ingest_requests_total{code=\"201\"} 3\n", page, StringComparison.Ordinal);
        Assert.Contains("scriptmon_ingest_requests_total{code=\"429\"} 1\n", page, StringComparison.Ordinal);
        Assert.Contains("scriptmon_ingest_runs_total 3\n", page, StringComparison.Ordinal);
        Assert.Contains("scriptmon_ingest_batch_size_runs_bucket{le=\"1\"} 3\n", page, StringComparison.Ordinal);
        Assert.Contains("scriptmon_ingest_commit_duration_seconds_count 3\n", page, StringComparison.Ordinal);
        Assert.Contains("scriptmon_http_request_duration_seconds_count{route=\"/api/v1/runs\"} 4\n", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Server:RateLimit:Burst=0", "Server:RateLimit:Burst must be at least 1")]
    [InlineData("--Server:TrustedProxies:0=proxy.example", "Server:TrustedProxies:0: 'proxy.example' must be an IP address")]
    [InlineData("--Server:MaxRequestBodyBytes=0", "Server:MaxRequestBodyBytes must be a number of bytes above 0")]
    public async Task A_setting_that_breaks_its_rule_stops_the_start_with_exit_1_naming_it(string setting, string message)
    {
        await using var server = ServerProcess.Start(_database, setting);

        Assert.Equal(1, await server.WaitForExitAsync());
        Assert.Contains(message, server.Output, StringComparison.Ordinal);
    }

    private async Task<(string Ingest, string Read)> CreateKeysAsync()
    {
        using var store = ScriptRunStores.Open(_database);
        var keys = new KeyService(store, TimeProvider.System);
        return ((await keys.CreateAsync("db1", KeyScope.Ingest, ["backup-*"], "cli")).Secret, (await keys.CreateAsync("prometheus", KeyScope.Read, [], "cli")).Secret);
    }

    private static string Run(string script, string output = "done\n") =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = Guid.NewGuid(),
            ["script"] = script,
            ["host"] = "db1",
            ["startedAt"] = "2026-11-29T01:00:00Z",
            ["completedAt"] = "2026-11-29T01:00:10Z",
            ["outcome"] = "succeeded",
            ["exitCode"] = 0,
            ["output"] = output,
        });

    private static async Task<HttpResponseMessage> PostAsync(ServerProcess server, string key, string json, bool chunked = false)
    {
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Runs) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        // Without a Content-Length the server learns the size only while reading.
        request.Headers.TransferEncodingChunked = chunked;
        return await client.SendAsync(request);
    }

    private async Task<IReadOnlyList<ScriptRun>> StoredRunsAsync(string script)
    {
        using var store = ScriptRunStores.Open(_database);
        return await store.ListRunsAsync(new RunQuery(script));
    }
}

using System.Net;
using System.Text.Json;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Access;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Server.Tests.Support;
using ScriptMonitor.Storage.Tests.PostgreSql;

namespace ScriptMonitor.Server.Tests.Api;

/// <summary>A server on PostgreSQL whose database goes away under it: every call that needs the store says 503.</summary>
public sealed class StoreOutageTests
{
    [Fact]
    public async Task With_the_database_down_reads_writes_and_readiness_are_503_with_Retry_After_and_the_process_stays_up()
    {
        var bin = ThrowawayPostgreSqlServer.FindBinDirectory() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) are not installed: install postgresql (Debian: apt-get install postgresql).");
        await using var database = await ThrowawayPostgreSqlServer.StartAsync(bin);
        string ingest;
        using (var store = ScriptRunStores.Open(database.ConnectionString))
        {
            ingest = (await new KeyService(store, TimeProvider.System).CreateAsync("db1", KeyScope.Ingest, [], "cli")).Secret;
        }

        await using var server = await ServerProcess.Start(database.ConnectionString, "--Server:AnonymousRead=true").WaitUntilListeningAsync();
        using var client = server.CreateClient();
        await database.StopAsync();
        try
        {
            await AssertEveryStoreCallIs503Async(client, ingest);
        }
        finally
        {
            // The throwaway server is removed by stopping it; it has to be running for that.
            await database.RestartAsync();
        }
    }

    private static async Task AssertEveryStoreCallIs503Async(HttpClient client, string ingest)
    {

        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        using var status = await client.GetAsync(new Uri("/api/v1/status", UriKind.Relative));
        using var metrics = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        using var record = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/runs", UriKind.Relative))
        {
            Content = new StringContent(
                """{"id":"6f1f4f0e-2f7a-4d8e-9d3c-0b7e8f9a1c2d","script":"backup","host":"db1","startedAt":"2026-11-29T01:00:00Z","completedAt":"2026-11-29T01:00:10Z","outcome":"succeeded"}""",
                System.Text.Encoding.UTF8,
                "application/json"),
        };
        record.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ingest);
        using var recorded = await client.SendAsync(record);

        foreach (var response in new[] { ready, status, metrics, recorded })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        }

        foreach (var response in new[] { status, metrics, recorded })
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
        }

        using var live = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Access;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Runs;
using ScriptMonitor.Storage.Tests.PostgreSql;
using ScriptMonitor.Server.Tests.Support;

namespace ScriptMonitor.Server.Tests.Hosting;

/// <summary>
/// Two server instances on one PostgreSQL database, as behind a load balancer: a client's retries land on either, and
/// each run is stored once; both answer the same.
/// </summary>
public sealed class SeveralInstancesTests
{
    private const int Runs = 200;

    [Fact]
    public async Task Two_instances_on_one_postgresql_store_each_run_once_whichever_instance_gets_it_and_read_the_same()
    {
        var bin = ThrowawayPostgreSqlServer.FindBinDirectory() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) are not installed: install postgresql (Debian: apt-get install postgresql).");
        await using var database = await ThrowawayPostgreSqlServer.StartAsync(bin);
        string ingest, read;
        using (var store = ScriptRunStores.Open(database.ConnectionString))
        {
            var keys = new KeyService(store, TimeProvider.System);
            ingest = (await keys.CreateAsync("fleet", KeyScope.Ingest, [], "cli")).Secret;
            read = (await keys.CreateAsync("grafana", KeyScope.Read, [], "cli")).Secret;
        }

        await using var first = await ServerProcess.Start(database.ConnectionString).WaitUntilListeningAsync();
        await using var second = await ServerProcess.Start(database.ConnectionString).WaitUntilListeningAsync();
        using var toFirst = Client(first, ingest);
        using var toSecond = Client(second, ingest);

        // Every finished run is sent to both at once (a retry that raced its first try); every other run is started
        // on one instance and completed on the other.
        var ids = Enumerable.Range(0, Runs).Select(_ => Guid.NewGuid()).ToList();
        var answers = await Task.WhenAll(ids.Select(async (id, n) =>
        {
            var started = new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero).AddMinutes(n);
            if (n % 2 == 0)
            {
                var body = Finished(id, n, started);
                var sends = await Task.WhenAll(toFirst.PostAsync(Route("/api/v1/runs"), Json(body)), toSecond.PostAsync(Route("/api/v1/runs"), Json(body)));
                return sends.Select(Status).ToList();
            }

            var start = await toFirst.PostAsync(Route("/api/v1/runs/start"), Json($$"""{"id":"{{id}}","script":"job-{{n % 10}}","host":"web{{n % 3}}","startedAt":"{{started:O}}"}"""));
            var complete = await toSecond.PostAsync(Route($"/api/v1/runs/{id}/complete"), Json($$"""{"completedAt":"{{started.AddSeconds(30):O}}","outcome":"succeeded","exitCode":0}"""));
            return new List<HttpStatusCode> { Status(start), Status(complete) };
        }));

        Assert.All(answers.SelectMany(a => a), status => Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Created, $"answered {status}"));
        // Of the two sends of a finished run, exactly one stored it.
        Assert.All(answers.Where((_, n) => n % 2 == 0), pair => Assert.Single(pair, HttpStatusCode.Created));
        using (var store = ScriptRunStores.Open(database.ConnectionString))
        {
            var stored = new List<ScriptRun>();
            for (var script = 0; script < 10; script++)
            {
                stored.AddRange(await store.ListRunsAsync(new RunQuery($"job-{script}") { Limit = RunQuery.MaxLimit }));
            }

            Assert.Equal(ids.Order(), stored.Select(r => r.RunId).Order());
            Assert.All(stored, run => Assert.Equal(RunOutcome.Succeeded, run.Outcome));
        }

        var fromFirst = await StatusRowsAsync(first, read);
        var fromSecond = await StatusRowsAsync(second, read);
        Assert.Equal(10, fromFirst.Count);
        Assert.Equal(fromFirst, fromSecond);
    }

    private static Uri Route(string path) => new(path, UriKind.Relative);

    private static HttpStatusCode Status(HttpResponseMessage response)
    {
        using (response)
        {
            return response.StatusCode;
        }
    }

    private static string Finished(Guid id, int n, DateTimeOffset started) =>
        $$"""{"id":"{{id}}","script":"job-{{n % 10}}","host":"web{{n % 3}}","startedAt":"{{started:O}}","completedAt":"{{started.AddSeconds(42):O}}","outcome":"succeeded","exitCode":0}""";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static HttpClient Client(ServerProcess server, string key)
    {
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Each script's name, last success and runs in the last 24 h, as one instance reports them.</summary>
    private static async Task<List<string>> StatusRowsAsync(ServerProcess server, string key)
    {
        using var client = Client(server, key);
        using var response = await client.GetAsync(Route("/api/v1/status"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. status.RootElement.GetProperty("scripts").EnumerateArray().Select(row => row.GetProperty("lastSuccess").GetRawText())];
    }
}

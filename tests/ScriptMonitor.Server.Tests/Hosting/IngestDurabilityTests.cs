using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Data.Sqlite;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Access;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Server.Tests.Support;

namespace ScriptMonitor.Server.Tests.Hosting;

/// <summary>
/// What a 2xx promises: the run is on disk. Checked the hard way, with the server killed in the middle of a load and
/// stopped with SIGTERM while requests wait for their commit.
/// </summary>
public sealed class IngestDurabilityTests
{
    private const int Connections = 32;

    [Fact]
    public async Task After_SIGKILL_in_the_middle_of_a_load_every_run_that_got_a_2xx_is_stored_once()
    {
        using var folder = new TempFolder();
        var database = folder.File("scriptmon.db");
        var key = await IngestKeyAsync(database);
        await using var server = await ServerProcess.Start(database).WaitUntilListeningAsync();
        var acknowledged = new ConcurrentBag<Guid>();
        var answers = new ConcurrentBag<HttpStatusCode>();
        using var load = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var client = Client(server, key);

        var workers = Enumerable.Range(0, Connections).Select(worker => Task.Run(async () =>
        {
            for (var n = 0; !load.IsCancellationRequested; n++)
            {
                var id = Guid.NewGuid();
                try
                {
                    using var response = await client.PostAsync(new Uri("/api/v1/runs", UriKind.Relative), Body(id, $"load-{worker % 8}", n), load.Token);
                    answers.Add(response.StatusCode);
                    if (response.IsSuccessStatusCode)
                    {
                        acknowledged.Add(id);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
                {
                    // The server is gone: this request's fate is unknown, and a client would send it again.
                    return;
                }
            }
        })).ToList();

        // Killed while the load runs at full speed: some batches are committed, one is likely half way.
        var watch = Stopwatch.StartNew();
        while (acknowledged.Count < 3_000 && watch.Elapsed < TimeSpan.FromSeconds(8))
        {
            await Task.Delay(20);
        }

        server.Signal("KILL");
        await server.WaitForExitAsync();
        await Task.WhenAll(workers);

        await using var restarted = await ServerProcess.Start(database).WaitUntilListeningAsync();
        using var check = restarted.CreateClient();
        using var ready = await check.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.All(answers, status => Assert.Equal(HttpStatusCode.Created, status));
        Assert.True(acknowledged.Count > 100, $"the load got going before the kill ({acknowledged.Count} runs acknowledged)");
        var (rows, ids) = StoredRunIds(database);
        Assert.Equal(rows, ids.Count);
        var lost = acknowledged.Where(id => !ids.Contains(id)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged runs are not stored");
    }

    [Fact]
    public async Task SIGTERM_while_runs_wait_for_their_commit_answers_each_with_a_2xx_stores_them_and_exits_0()
    {
        using var folder = new TempFolder();
        var database = folder.File("scriptmon.db");
        var key = await IngestKeyAsync(database);

        // A long wait for more runs keeps every request of the burst waiting for its commit when the signal comes.
        await using var server = await ServerProcess.Start(database, "--Server:Ingest:MaxWaitMilliseconds=100", "--Server:Ingest:MaxBatch=4096").WaitUntilListeningAsync();
        using var client = Client(server, key);
        await Task.WhenAll(Enumerable.Range(0, Connections).Select(n => client.PostAsync(new Uri("/api/v1/runs", UriKind.Relative), Body(Guid.NewGuid(), "load-warm", n))));

        var ids = Enumerable.Range(0, Connections).Select(_ => Guid.NewGuid()).ToArray();
        var requests = ids.Select((id, n) => client.PostAsync(new Uri("/api/v1/runs", UriKind.Relative), Body(id, "load-term", n))).ToArray();
        // Well within the 100 ms the first of them waits for company, so all are queued when the signal comes.
        await Task.Delay(50);
        server.Signal("TERM");
        var responses = await Task.WhenAll(requests);
        var status = await server.WaitForExitAsync();

        Assert.Equal(0, status);
        Assert.All(responses, response => Assert.Equal(HttpStatusCode.Created, response.StatusCode));
        var (_, stored) = StoredRunIds(database);
        Assert.All(ids, id => Assert.Contains(id, stored));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    private static async Task<string> IngestKeyAsync(string database)
    {
        using var store = ScriptRunStores.Open(database);
        return (await new KeyService(store, TimeProvider.System).CreateAsync("loader", KeyScope.Ingest, ["load-*"], "cli")).Secret;
    }

    private static HttpClient Client(ServerProcess server, string key)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Connections }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static StringContent Body(Guid id, string script, int n) => new(
        $$"""{"id":"{{id}}","script":"{{script}}","host":"host-{{n % 20}}","startedAt":"2026-11-29T01:00:00Z","completedAt":"2026-11-29T01:00:{{n % 60:00}}Z","outcome":"succeeded","exitCode":0,"output":"run {{n}}"}""",
        Encoding.UTF8,
        "application/json");

    /// <summary>How many rows the runs table has, and the distinct run ids among them, read from the file itself.</summary>
    private static (long Rows, HashSet<Guid> Ids) StoredRunIds(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT run_id FROM runs";
        var ids = new HashSet<Guid>();
        long rows = 0;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows++;
            ids.Add(new Guid(reader.GetFieldValue<byte[]>(0)));
        }

        return (rows, ids);
    }
}

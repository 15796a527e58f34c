using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Access;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Tests.Support;

namespace ScriptMonitor.Server.Tests.Api;

/// <summary>
/// A server on a store with a few scripts and keys of every scope, as an operator would have it after a few hours:
/// <c>backup</c> ran hourly on db1 (two runs started at the same instant) and failed once on db2, <c>report</c> failed
/// on web1, <c>cleanup</c> has an expectation and never ran.
/// </summary>
public class ApiServer : IAsyncLifetime
{
    private readonly TempFolder _folder = new();

    public ServerProcess Server { get; private set; } = null!;

    public string Read { get; private set; } = string.Empty;

    public string Ingest { get; private set; } = string.Empty;

    public string Admin { get; private set; } = string.Empty;

    public string Revoked { get; private set; } = string.Empty;

    /// <summary>The failed run of backup, with output.</summary>
    public Guid FailedRun { get; private set; }

    /// <summary>Every run of backup.</summary>
    public List<Guid> BackupRuns { get; } = [];

    /// <summary>Where the seeded runs' times are counted back from (whole seconds, UTC).</summary>
    public DateTimeOffset Now { get; } = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    public virtual async Task InitializeAsync()
    {
        var database = await DatabaseAsync();
        using (var store = ScriptRunStores.Open(database))
        {
            await SeedAsync(store);
        }

        Server = await ServerProcess.Start(database).WaitUntilListeningAsync();
    }

    public virtual async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        _folder.Dispose();
    }

    /// <summary>The store the server serves: a SQLite file unless a subclass says otherwise.</summary>
    protected virtual Task<string> DatabaseAsync() => Task.FromResult(_folder.File("scriptmon.db"));

    /// <summary>A client presenting the key (none for null).</summary>
    public HttpClient Client(string? key)
    {
        var client = Server.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    /// <summary>The field paths a problem's <c>errors</c> name.</summary>
    public static async Task<List<string?>> ErrorPathsAsync(HttpResponseMessage response)
    {
        var problem = await JsonAsync(response);
        return [.. problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString())];
    }

    public static JsonContent Body(string json) => JsonContent.Create(JsonDocument.Parse(json).RootElement);

    private async Task SeedAsync(IScriptRunStore store)
    {
        for (var hour = 10; hour >= 4; hour--)
        {
            var run = await store.RecordStartAsync("backup", Now.AddHours(-hour), "db1");
            await store.CompleteRunAsync(run.RunId, run.StartedAt.AddSeconds(60 + hour), RunOutcome.Succeeded, 0);
            BackupRuns.Add(run.RunId);
        }

        // Two runs that started at the same instant: paging must neither repeat nor lose either.
        for (var twin = 0; twin < 2; twin++)
        {
            var run = await store.RecordStartAsync("backup", Now.AddHours(-3), "db1");
            await store.CompleteRunAsync(run.RunId, run.StartedAt.AddSeconds(62), RunOutcome.Succeeded, 0);
            BackupRuns.Add(run.RunId);
        }

        var failed = await store.RecordStartAsync("backup", Now.AddMinutes(-30), "db2");
        await store.CompleteRunAsync(failed.RunId, failed.StartedAt.AddSeconds(5), RunOutcome.Failed, 2, "tar: disk full\n");
        FailedRun = failed.RunId;
        BackupRuns.Add(failed.RunId);

        await store.RecordFailureAsync("report", Now.AddHours(-1), Now.AddHours(-1).AddSeconds(3), exitCode: 1, message: "no data", hostname: "web1");
        await store.SetExpectationAsync(new ScriptExpectation("backup") { Schedule = Schedule.Every(TimeSpan.FromHours(1)), Tags = ["nightly"] });
        await store.SetExpectationAsync(new ScriptExpectation("cleanup") { Schedule = Schedule.Every(TimeSpan.FromDays(1)), Tags = ["weekly"] });

        var keys = new KeyService(store, TimeProvider.System);
        Read = (await keys.CreateAsync("grafana", KeyScope.Read, [], "cli")).Secret;
        Ingest = (await keys.CreateAsync("db1", KeyScope.Ingest, ["backup*"], "cli")).Secret;
        Admin = (await keys.CreateAsync("ops", KeyScope.Admin, [], "cli")).Secret;
        Revoked = (await keys.CreateAsync("old", KeyScope.Read, [], "cli")).Secret;
        await keys.RevokeAsync("old", "cli");
    }
}

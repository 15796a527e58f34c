using System.Net.Http.Headers;
using System.Text;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Access;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Tests.Support;

namespace ScriptMonitor.Server.Tests.Ingest;

/// <summary>
/// What the ingest route tests share: for each test a server on a new SQLite file, an ingest key of host db1 for the
/// <c>backup-*</c> scripts and a read key, calls posted to it, and the runs read back from the file itself.
/// </summary>
public abstract class IngestServerTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();

    protected ServerProcess Server { get; private set; } = null!;

    protected string Database { get; private set; } = string.Empty;

    /// <summary>An ingest key that may record the scripts named <c>backup-*</c>.</summary>
    protected string IngestKey { get; private set; } = string.Empty;

    /// <summary>A key that may only read.</summary>
    protected string ReadKey { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        Database = _folder.File("scriptmon.db");
        using (var store = ScriptRunStores.Open(Database))
        {
            var keys = new KeyService(store, TimeProvider.System);
            IngestKey = (await keys.CreateAsync("db1", KeyScope.Ingest, ["backup-*"], "cli")).Secret;
            ReadKey = (await keys.CreateAsync("grafana", KeyScope.Read, [], "cli")).Secret;
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

    /// <summary>Posts <paramref name="json"/> to <paramref name="path"/> with the ingest key.</summary>
    protected Task<HttpResponseMessage> PostAsync(string path, string json) => PostAsync(path, json, IngestKey);

    /// <summary>Posts <paramref name="json"/> to <paramref name="path"/> with <paramref name="key"/>, or with no key when it is null.</summary>
    protected async Task<HttpResponseMessage> PostAsync(string path, string json, string? key)
    {
        using var client = Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return await client.SendAsync(request);
    }

    /// <summary>The runs of <paramref name="script"/> in the server's file, read with a store of their own.</summary>
    protected async Task<IReadOnlyList<ScriptRun>> StoredRunsAsync(string script)
    {
        using var store = ScriptRunStores.Open(Database);
        return await store.ListRunsAsync(new RunQuery(script));
    }
}

using System.Net.Http.Headers;
using System.Text.Json;
using ScriptMonitor.Access;
using ScriptMonitor.Alerts;
using ScriptMonitor.Application.Access;
using ScriptMonitor.Application.Alerts;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Tests.Support;
using ScriptMonitor.Testing;

namespace ScriptMonitor.Server.Tests.Alerts;

/// <summary>
/// A store with scripts and webhook channels to real receivers, a server started on it with a short tick, and what
/// the receivers got, read as the events a person's tools would read.
/// </summary>
internal sealed class AlertHarness : IAsyncDisposable
{
    /// <summary>The tick of the servers the alert tests start.</summary>
    public const int TickMilliseconds = 200;

    private readonly TempFolder _folder = new();
    private readonly List<HttpReceiver> _receivers = [];

    public AlertHarness(string? database = null)
    {
        Database = database ?? _folder.File("scriptmon.db");
    }

    public string Database { get; }

    public ServerProcess? Server { get; private set; }

    public string ReadKey { get; private set; } = string.Empty;

    /// <summary>A webhook channel to a new receiver, for every script or those given.</summary>
    public async Task<HttpReceiver> AddWebhookAsync(string name, TimeSpan? repeatEvery = null)
    {
        var receiver = new HttpReceiver();
        _receivers.Add(receiver);
        using var store = ScriptRunStores.Open(Database);
        var channel = new AlertChannel(name, ChannelKind.Webhook)
        {
            Settings = new Dictionary<string, string> { [ChannelSettings.Url] = receiver.Url + name, [ChannelSettings.AllowPrivate] = "true" },
            RepeatEvery = repeatEvery,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        Assert.True(await store.SaveChannelAsync(channel));
        return receiver;
    }

    /// <summary>Expects the script every <paramref name="period"/> with <paramref name="grace"/>.</summary>
    public async Task ExpectAsync(string script, TimeSpan period, TimeSpan grace, bool paused = false)
    {
        using var store = ScriptRunStores.Open(Database);
        await store.SetExpectationAsync(new ScriptExpectation(script) { Schedule = Schedule.Every(period), Grace = grace, Paused = paused });
    }

    /// <summary>A run written straight into the store, as <c>scriptmon exec</c> on the server's host writes it: not through the server.</summary>
    /// <param name="script">The script.</param>
    /// <param name="succeeded">Whether it succeeded.</param>
    /// <param name="ago">How long ago it ended; now by default.</param>
    public async Task RunAsync(string script, bool succeeded = true, TimeSpan? ago = null)
    {
        using var store = ScriptRunStores.Open(Database);
        var now = DateTimeOffset.UtcNow - (ago ?? TimeSpan.Zero);
        if (succeeded)
        {
            var run = await store.RecordStartAsync(script, now.AddMilliseconds(-50), "db1");
            await store.CompleteRunAsync(run.RunId, now, RunOutcome.Succeeded, 0, "all good\n");
        }
        else
        {
            await store.RecordFailureAsync(script, now.AddMilliseconds(-50), now, 3, "disk full\n", "db1");
        }
    }

    public async Task<ServerProcess> StartAsync(params string[] settings)
    {
        using (var store = ScriptRunStores.Open(Database))
        {
            if (ReadKey.Length == 0)
            {
                ReadKey = (await new KeyService(store, TimeProvider.System).CreateAsync("grafana", KeyScope.Read, [], "cli")).Secret;
            }
        }

        Server = await ServerProcess.Start(Database, [$"--Alerts:TickMilliseconds={TickMilliseconds}", "--Alerts:Delivery:FirstRetrySeconds=1", "--Alerts:Delivery:MaxBackoffSeconds=2", .. settings]).WaitUntilListeningAsync();
        return Server;
    }

    /// <summary>GETs an API path with the read key, as JSON.</summary>
    public async Task<JsonElement> GetAsync(string path)
    {
        using var client = Server!.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ReadKey);
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The events a receiver got, in order: kind, script and event id of each.</summary>
    public static List<(string Kind, string Script, string EventId)> Events(HttpReceiver receiver) =>
        receiver.Requests.Select(Event).ToList();

    public static (string Kind, string Script, string EventId) Event(ReceivedRequest request)
    {
        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        var id = root.GetProperty("eventId").GetString()!;
        Assert.Equal(id, request.Headers["Idempotency-Key"]);
        return (root.GetProperty("kind").GetString()!, root.GetProperty("scriptName").GetString()!, id);
    }

    /// <summary>Waits until the receiver got <paramref name="count"/> requests in all, at most <paramref name="bound"/>.</summary>
    public static async Task WaitForAsync(HttpReceiver receiver, int count, TimeSpan bound)
    {
        var deadline = DateTimeOffset.UtcNow + bound;
        while (receiver.Requests.Count < count && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until <paramref name="done"/> holds, at most <paramref name="bound"/>; whether it does.</summary>
    public static async Task<bool> UntilAsync(Func<Task<bool>> done, TimeSpan bound)
    {
        var deadline = DateTimeOffset.UtcNow + bound;
        while (!await done())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }

    /// <summary>A few ticks: long enough for anything further to happen, if it were going to.</summary>
    public static Task SettleAsync(int ticks = 8) => Task.Delay(TimeSpan.FromMilliseconds(TickMilliseconds * ticks));

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        foreach (var receiver in _receivers)
        {
            receiver.Dispose();
        }

        _folder.Dispose();
    }

    public async Task StopAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
            Server = null;
        }
    }
}

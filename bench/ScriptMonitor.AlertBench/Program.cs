// The alert loop at scale, in one process on a real SQLite store with a real HTTP receiver (never run in CI):
// SCRIPTS scripts expected every minute with 1 s of grace, their deadlines spread so that about 100 come due each
// second; the engine ticks every second and the dispatcher delivers. It prints the time from each deadline (due +
// grace) to its webhook's arrival (p50, p99, max) and the time of the ticks that had scripts come due (each of them
// a flip and a notification written).
// Run: dotnet run -c Release --project bench/ScriptMonitor.AlertBench [-- SCRIPTS]
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ScriptMonitor.Alerts;
using ScriptMonitor.Application.Alerts;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

var scripts = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
const int PerSecond = 100;
var grace = TimeSpan.FromSeconds(1);
var period = TimeSpan.FromMinutes(1);
var folder = Directory.CreateTempSubdirectory("scriptmon-alert-bench-");
var database = Path.Combine(folder.FullName, "bench.db");
var port = FreePort();
using var listener = new HttpListener();
listener.Prefixes.Add($"http://127.0.0.1:{port}/");
listener.Start();
var arrivals = new List<(DateTimeOffset At, string Body)>();
_ = Task.Run(async () =>
{
    while (listener.IsListening)
    {
        try
        {
            var context = await listener.GetContextAsync();
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            lock (arrivals)
            {
                arrivals.Add((DateTimeOffset.UtcNow, body));
            }

            context.Response.StatusCode = 200;
            context.Response.Close();
        }
        catch (Exception) when (!listener.IsListening)
        {
            return;
        }
    }
});

var setup = Stopwatch.StartNew();
using (var store = ScriptRunStores.Open(database))
{
    await store.SaveChannelAsync(new AlertChannel("bench", ChannelKind.Webhook)
    {
        Settings = new Dictionary<string, string> { ["url"] = $"http://127.0.0.1:{port}/hook", ["allow_private"] = "true" },
        CreatedAt = DateTimeOffset.UtcNow,
    });
    for (var i = 0; i < scripts; i++)
    {
        await store.SetExpectationAsync(new ScriptExpectation($"bench-{i:D5}") { Schedule = Schedule.Every(period), Grace = grace });
    }

    // Deadlines from 20 s after the set-up on, PerSecond of them each second.
    var first = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(20) - period - grace + setup.Elapsed;
    var batch = new List<RunDelivery>();
    for (var i = 0; i < scripts; i++)
    {
        var started = first + TimeSpan.FromSeconds(i / (double)PerSecond);
        batch.Add(new RunDelivery(new ScriptRun(ScriptRun.NewId(started), $"bench-{i:D5}", "bench", started, started.AddMilliseconds(10), RunOutcome.Succeeded, 0, null)));
        if (batch.Count == 500 || i == scripts - 1)
        {
            await store.ImportRunsAsync(batch);
            batch.Clear();
        }
    }
}

Console.WriteLine($"set up {scripts:N0} scripts in {setup.Elapsed.TotalSeconds:0.0} s");
using var engineStore = ScriptRunStores.Open(database);
var options = new AlertOptions { TickMilliseconds = 1000 };
var engine = new AlertEngine(engineStore, options, feedInCommitOrder: true, TimeProvider.System, NullLogger.Instance, "bench:1:a");
var dispatcher = new AlertDispatcher(engineStore, options, TimeProvider.System, NullLogger.Instance);
var ticks = new List<(double Ms, int Due)>();
using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60 + (scripts / PerSecond) + 60));
var wake = new SemaphoreSlim(0);
var written = 0;
engine.NotificationsWritten += (_, _) =>
{
    Interlocked.Increment(ref written);
    wake.Release();
};
var delivery = Task.Run(async () =>
{
    while (!stop.IsCancellationRequested)
    {
        try
        {
            await wake.WaitAsync(TimeSpan.FromMilliseconds(200), stop.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (engine.Lease is { } lease)
        {
            try
            {
                await dispatcher.DeliverDueAsync(lease, stop.Token);
            }
            catch (Exception e) when (e is LeaseLostException or OperationCanceledException)
            {
            }
        }
    }
});

using var timer = new PeriodicTimer(options.Tick);
var firstTick = true;
while (!stop.IsCancellationRequested)
{
    var before = Volatile.Read(ref written);
    var watch = Stopwatch.StartNew();
    await engine.TickAsync(stop.Token);
    var took = watch.Elapsed.TotalMilliseconds;
    if (firstTick)
    {
        Console.WriteLine($"first tick (reads and evaluates every script): {took:0} ms");
        firstTick = false;
    }
    else
    {
        ticks.Add((took, Volatile.Read(ref written) - before));
    }

    int count;
    lock (arrivals)
    {
        count = arrivals.Count;
    }

    if (count >= scripts)
    {
        break;
    }

    try
    {
        await timer.WaitForNextTickAsync(stop.Token);
    }
    catch (OperationCanceledException)
    {
        break;
    }
}

await stop.CancelAsync();
await delivery;
var delays = new List<double>();
lock (arrivals)
{
    foreach (var (at, body) in arrivals)
    {
        using var json = JsonDocument.Parse(body);
        if (json.RootElement.GetProperty("facts").TryGetProperty("dueAt", out var due) && due.GetString() is { } text)
        {
            delays.Add((at - (DateTimeOffset.Parse(text, CultureInfo.InvariantCulture) + grace)).TotalSeconds);
        }
    }
}

delays.Sort();
double P(List<double> sorted, double q) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
Console.WriteLine($"notifications received: {delays.Count:N0} of {scripts:N0}");
Console.WriteLine($"deadline to webhook delivered: p50 {P(delays, 0.5):0.000} s, p99 {P(delays, 0.99):0.000} s, max {(delays.Count > 0 ? delays[^1] : double.NaN):0.000} s");
var busy = ticks.Where(t => t.Due > 0).Select(t => t.Ms).Order().ToList();
Console.WriteLine($"ticks with scripts due: {busy.Count}, about {(ticks.Count(t => t.Due > 0) > 0 ? ticks.Where(t => t.Due > 0).Average(t => t.Due) : 0):0} due each; tick time p50 {P(busy, 0.5):0.0} ms, p99 {P(busy, 0.99):0.0} ms");
var idle = ticks.Where(t => t.Due <= 0).Select(t => t.Ms).Order().ToList();
Console.WriteLine($"ticks with nothing due: {idle.Count}; p50 {P(idle, 0.5):0.0} ms");
listener.Stop();
folder.Delete(recursive: true);

static int FreePort()
{
    using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
    socket.Start();
    return ((IPEndPoint)socket.LocalEndpoint).Port;
}

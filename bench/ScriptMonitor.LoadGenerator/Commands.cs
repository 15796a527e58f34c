using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Access;
using ScriptMonitor.Application.Stores;

namespace ScriptMonitor.LoadGenerator;

internal static class Commands
{
    public static int Usage()
    {
        Console.Error.WriteLine("usage: scriptmon-loadgen key DATABASE | load TARGET URL KEY CONNECTIONS SECONDS [RUNS] | bare PORT | fsync DIRECTORY COUNT");
        return 2;
    }

    /// <summary>An ingest key for every script, as production has: the server checks it on every request.</summary>
    public static async Task<int> CreateKeyAsync(string database)
    {
        using var store = ScriptRunStores.Open(database);
        var created = await new KeyService(store, TimeProvider.System).CreateAsync($"load-{Guid.NewGuid():N}"[..20], KeyScope.Ingest, ["*"], "bench");
        Console.WriteLine(created.Secret);
        return 0;
    }

    /// <summary>Ping UUIDs for the load's scripts, one line each in script order: the healthchecks target pings them.</summary>
    public static async Task<int> CreatePingIdsAsync(string database, string file)
    {
        using var store = ScriptRunStores.Open(database);
        var identities = (ScriptMonitor.Access.IPingIdentityStore)store;
        var lines = new List<string>(LoadRun.Scripts);
        for (var script = 0; script < LoadRun.Scripts; script++)
        {
            lines.Add((await identities.EnsurePingIdentityAsync($"script-{script:D5}")).PingId.ToString("D"));
        }

        await File.WriteAllLinesAsync(file, lines);
        return 0;
    }

    /// <summary>The floor of any JSON-over-HTTP service on this machine: Kestrel reading the body and answering 200.</summary>
    public static async Task<int> BareAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(FormattableString.Invariant($"http://127.0.0.1:{port}"));
        var app = builder.Build();
        app.MapPost("/api/v1/runs", async (HttpRequest request) =>
        {
            // Parsed, as any real endpoint would, so that the floor is not just copying bytes.
            using var body = await JsonDocument.ParseAsync(request.Body);
            return Results.Text("{\"stored\":true}", "application/json");
        });
        Console.WriteLine("listening");
        await app.RunAsync();
        return 0;
    }

    /// <summary>What one durable write costs on this disk: a small write followed by fsync, as a commit does.</summary>
    public static int Fsync(string directory, int count)
    {
        var path = Path.Combine(directory, $"fsync-{Environment.ProcessId}.bin");
        var block = new byte[4096];
        var latencies = new double[count];
        try
        {
            using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
            for (var i = 0; i < count; i++)
            {
                var started = Stopwatch.GetTimestamp();
                file.Write(block);
                file.Flush(flushToDisk: true);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }
        finally
        {
            File.Delete(path);
        }

        Array.Sort(latencies);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fsync\tp50_ms={Percentile(latencies, 0.50):0.000}\tp99_ms={Percentile(latencies, 0.99):0.000}\tcount={count}"));
        return 0;
    }

    /// <summary>The store without HTTP: how many runs a second its batch import commits, and what one commit costs.</summary>
    public static async Task<int> CommitAsync(string database, int batchSize, double seconds)
    {
        using var store = ScriptRunStores.Open(database);
        var random = new Random(7);
        string? Output(int roll) => roll < 50 ? null : roll < 95 ? new string('x', 1 + ((roll * 37) % 1024)) : new string('y', 10_000);
        var commits = new List<double>();
        long runs = 0;
        var until = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var cpu = Environment.CpuUsage.TotalTime;
        while (Stopwatch.GetTimestamp() < until)
        {
            var now = DateTimeOffset.UtcNow;
            var batch = Enumerable.Range(0, batchSize).Select(_ => new Runs.RunDelivery(
                new Runs.ScriptRun(Guid.CreateVersion7(now), $"script-{random.Next(10_000):D5}", $"host-{random.Next(20):D2}", now.AddSeconds(-30), now, Runs.RunOutcome.Succeeded, 0, Output(random.Next(100))),
                now)).ToList();
            var commit = Stopwatch.GetTimestamp();
            await store.ImportRunsAsync(batch);
            commits.Add(Stopwatch.GetElapsedTime(commit).TotalMilliseconds);
            runs += batchSize;
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuPerRun = (Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds / runs;
        var sorted = commits.ToArray();
        Array.Sort(sorted);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"commit	batch={batchSize}	runs_per_s={runs / elapsed:0}	commit_p50_ms={Percentile(sorted, 0.5):0.00}	commit_p99_ms={Percentile(sorted, 0.99):0.00}\tcpu_us_per_run={cpuPerRun:0}"));
        return 0;
    }

    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

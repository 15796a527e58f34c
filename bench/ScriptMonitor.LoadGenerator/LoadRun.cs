using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace ScriptMonitor.LoadGenerator;

/// <summary>
/// Many clients at once, each sending one run after another over its own connection and timing each answer. The mix
/// is what a fleet sends: 10,000 script names, 20 hosts, no output for half the runs, up to 1 KB for 45 %, 10 KB for 5 %.
/// </summary>
internal static class LoadRun
{
    internal const int Scripts = 10_000;
    private const int Hosts = 20;

    public static async Task<int> RunAsync(string target, Uri baseAddress, string key, int connections, double seconds, long runLimit)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (target == "scriptmon")
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        var outputs = Outputs();
        // The healthchecks target's key is the file of ping UUIDs, by script.
        var pingIds = target == "healthchecks" ? File.ReadAllLines(key) : [];
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        long acknowledged = 0;
        long failed = 0;
        var latencies = new List<double>[connections];
        var started = Stopwatch.GetTimestamp();
        var progress = Task.Run(async () =>
        {
            // Progress on a terminal only: a pipe gets the one line of figures.
            if (Console.IsErrorRedirected)
            {
                return;
            }

            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(1000).ConfigureAwait(false);
                Console.Error.Write(string.Create(CultureInfo.InvariantCulture, $"\r  {target}: {Interlocked.Read(ref acknowledged):N0} runs, {Stopwatch.GetElapsedTime(started).TotalSeconds:0}s   "));
            }

            Console.Error.Write("\r" + new string(' ', 60) + "\r");
        });

        var workers = Enumerable.Range(0, connections).Select(worker => Task.Run(async () =>
        {
            var mine = latencies[worker] = new List<double>(1 << 16);
            var random = new Random(worker);
            while (!stop.IsCancellationRequested && Interlocked.Read(ref acknowledged) < runLimit)
            {
                using var request = Request(target, random, outputs, pingIds);
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.SendAsync(request, stop.Token).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        mine.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                        if (Interlocked.Increment(ref acknowledged) >= runLimit)
                        {
                            await stop.CancelAsync().ConfigureAwait(false);
                        }
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        })).ToArray();

        await Task.WhenAll(workers).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await stop.CancelAsync().ConfigureAwait(false);
        await progress.ConfigureAwait(false);
        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{target}\truns={acknowledged}\tfailed={failed}\tseconds={elapsed:0.0}\truns_per_s={acknowledged / elapsed:0}\tp50_ms={Commands.Percentile(all, 0.50):0.00}\tp99_ms={Commands.Percentile(all, 0.99):0.00}"));
        return 0;
    }

    /// <summary>Outputs to pick from: made once, so the client spends its CPU on requests, not on text.</summary>
    private static string[][] Outputs()
    {
        var random = new Random(42);
        string Text(int length)
        {
            var chars = new char[length];
            for (var i = 0; i < length; i++)
            {
                // Lines of text; a space stands for the line break, which JSON would have to escape.
                chars[i] = (i % 80) == 79 ? ' ' : (char)('a' + random.Next(26));
            }

            return new string(chars);
        }

        return
        [
            [string.Empty],
            [.. Enumerable.Range(0, 64).Select(_ => Text(random.Next(1, 1025)))],
            [Text(10_000)],
        ];
    }

    private static HttpRequestMessage Request(string target, Random random, string[][] outputs, string[] pingIds)
    {
        var script = random.Next(Scripts);
        var host = random.Next(Hosts);
        var roll = random.Next(100);
        var output = roll < 50 ? outputs[0][0] : roll < 95 ? outputs[1][random.Next(outputs[1].Length)] : outputs[2][0];
        var completed = DateTimeOffset.UtcNow;
        var startedAt = completed.AddSeconds(-random.Next(1, 600));
        var failed = random.Next(20) == 0;
        if (target == "pushgateway")
        {
            // One push per run, one group per script: what a fleet pushing its last run looks like to a Pushgateway.
            var labels = $"{{host=\"host-{host:D2}\"}}";
            var metrics = string.Create(
                CultureInfo.InvariantCulture,
                $"# TYPE script_last_run_timestamp_seconds gauge\nscript_last_run_timestamp_seconds{labels} {startedAt.ToUnixTimeMilliseconds() / 1000.0}\n"
                + $"# TYPE script_last_run_duration_seconds gauge\nscript_last_run_duration_seconds{labels} {(completed - startedAt).TotalSeconds}\n"
                + $"# TYPE script_last_run_exit_code gauge\nscript_last_run_exit_code{labels} {(failed ? 1 : 0)}\n");
            return new HttpRequestMessage(HttpMethod.Post, $"/metrics/job/scriptmon/script/script-{script:D5}") { Content = new StringContent(metrics, Encoding.UTF8, "text/plain") };
        }

        if (target == "healthchecks")
        {
            // What a crontab's curl or runitor sends: the output as a text body, a failure by its exit code.
            var ping = new ByteArrayContent(Encoding.UTF8.GetBytes(output));
            ping.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            return new HttpRequestMessage(HttpMethod.Post, $"/hc/ping/{pingIds[script]}{(failed ? "/1" : string.Empty)}") { Content = ping };
        }

        // The id is made when the run is sent, a version 7 UUID as scriptmon makes them (ScriptRun.NewId).
        var json = string.Create(CultureInfo.InvariantCulture, $$"""{"id":"{{Guid.CreateVersion7(completed)}}","script":"script-{{script:D5}}","host":"host-{{host:D2}}","startedAt":"{{startedAt:O}}","completedAt":"{{completed:O}}","outcome":"{{(failed ? "failed" : "succeeded")}}","exitCode":{{(failed ? 1 : 0)}},"output":"{{output}}"}""");
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpRequestMessage(HttpMethod.Post, "/api/v1/runs") { Content = content };
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Access;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.LoadGenerator;

/// <summary>
/// The dashboard's figures (docs/dashboard.md, "Performance"): a store of 10,000 hourly scripts, 5 % of them failing,
/// and one script with 10,000 runs in the last week; then the overview's server time over 100 requests, each after
/// the server's one-second answer has expired.
/// </summary>
internal static class DashboardBench
{
    /// <summary>The script with 10,000 runs in the last week, for the script page's figure.</summary>
    public const string BigScript = "dense-000";

    /// <summary>Seeds the store and prints a read key.</summary>
    public static async Task<int> SeedAsync(string database, int scripts, int runsPerScript)
    {
        using var store = ScriptRunStores.Open(database);
        var now = DateTimeOffset.UtcNow;
        var batch = new List<RunDelivery>(5000);
        async Task FlushAsync()
        {
            if (batch.Count > 0)
            {
                await store.ImportRunsAsync(batch);
                batch.Clear();
            }
        }

        for (var script = 0; script < scripts; script++)
        {
            var name = $"script-{script:D5}";
            // Every twentieth script fails its newest run: 5 % in trouble.
            var failing = script % 20 == 0;
            for (var run = runsPerScript; run >= 1; run--)
            {
                var started = now.AddHours(-run).AddSeconds(script % 3600 / 2.0);
                var outcome = failing && run == 1 ? RunOutcome.Failed : RunOutcome.Succeeded;
                batch.Add(new RunDelivery(new ScriptRun(Guid.CreateVersion7(started), name, $"host-{script % 50:D2}", started, started.AddSeconds(20 + (run * 7 % 40)), outcome, outcome == RunOutcome.Succeeded ? 0 : 1, null), started.AddSeconds(61)));
                if (batch.Count == 5000)
                {
                    await FlushAsync();
                }
            }

            await store.SetExpectationAsync(new ScriptExpectation(name) { Schedule = Schedule.Every(TimeSpan.FromHours(1)), Tags = [script % 2 == 0 ? "even" : "odd"] });
        }

        // One script that ran every minute for a week: 10,080 runs in the 7-day range of its page.
        for (var minute = 7 * 24 * 60; minute >= 1; minute--)
        {
            var started = now.AddMinutes(-minute);
            batch.Add(new RunDelivery(new ScriptRun(Guid.CreateVersion7(started), BigScript, "host-00", started, started.AddSeconds(10 + (minute % 17)), RunOutcome.Succeeded, 0, null), started.AddSeconds(30)));
            if (batch.Count == 5000)
            {
                await FlushAsync();
            }
        }

        await FlushAsync();
        await store.SetExpectationAsync(new ScriptExpectation(BigScript) { Schedule = Schedule.Cron("* * * * *"), MaxRuntime = TimeSpan.FromSeconds(30) });
        var key = await new KeyService(store, TimeProvider.System).CreateAsync($"dash-{Guid.NewGuid():N}"[..20], KeyScope.Read, [], "bench");
        Console.WriteLine(key.Secret);
        return 0;
    }

    /// <summary>Times REQUESTS reads of a path, GAP_MS apart; prints p50, p95 and the size of an answer.</summary>
    public static async Task<int> TimeAsync(Uri server, string key, string path, int requests, int gapMilliseconds)
    {
        using var client = new HttpClient { BaseAddress = server };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        // One untimed read: the connection and the server's first compilation of the route are not the figure.
        using (var warm = await client.GetAsync(new Uri(path, UriKind.Relative)))
        {
            warm.EnsureSuccessStatusCode();
        }

        var times = new double[requests];
        long bytes = 0;
        for (var i = 0; i < requests; i++)
        {
            await Task.Delay(gapMilliseconds);
            var started = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            var body = await response.Content.ReadAsByteArrayAsync();
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            response.EnsureSuccessStatusCode();
            bytes = body.Length;
        }

        Array.Sort(times);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{path}\trequests={requests}\tgap_ms={gapMilliseconds}\tp50_ms={Commands.Percentile(times, 0.5):0.0}\tp95_ms={Commands.Percentile(times, 0.95):0.0}\tmax_ms={times[^1]:0.0}\tbytes={bytes}"));
        return 0;
    }
}

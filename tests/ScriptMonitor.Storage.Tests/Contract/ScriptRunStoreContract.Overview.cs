using ScriptMonitor.Runs;

namespace ScriptMonitor.Storage.Tests.Contract;

/// <summary>The overview read model: one row per script, read at once, saying what the per-script calls say.</summary>
public abstract partial class ScriptRunStoreContract
{
    private static readonly OverviewQuery Windows = new(RecentSince: Utc(2026, 3, 1, 12, 0), RuntimeSince: Utc(2026, 2, 20, 0, 0), Until: Utc(2026, 3, 2, 12, 0));

    [Fact]
    public async Task ReadOverview_gives_every_script_its_last_runs_its_recent_runs_and_its_median_runtime()
    {
        // Runtimes 1 to 4 minutes: an even count, so the median lies halfway between the middle two.
        for (var i = 0; i < 4; i++)
        {
            await RecordRunAsync("nightly", Utc(2026, 3, 1, 2 + (4 * i), 0), TimeSpan.FromMinutes(1 + i), RunOutcome.Succeeded, i % 2 == 0 ? "db1" : "db2");
        }

        await RecordRunAsync("nightly", Utc(2026, 3, 1, 20, 0), TimeSpan.FromMinutes(9), RunOutcome.Failed);
        await RecordRunAsync("nightly", Utc(2026, 2, 10, 2, 0), TimeSpan.FromHours(5), RunOutcome.Succeeded);
        await RecordRunAsync("nightly", Utc(2026, 3, 2, 11, 0), TimeSpan.FromMinutes(1), RunOutcome.Running);
        await RecordRunAsync("only-failing", Utc(2026, 3, 2, 1, 0), TimeSpan.FromSeconds(3), RunOutcome.Failed);
        await RecordRunAsync("stuck", Utc(2026, 2, 1, 0, 0), TimeSpan.Zero, RunOutcome.Running);
        await Store.RecordSkipAsync(new ScriptSkip(Guid.NewGuid(), "only-skipped", "db1", Utc(2026, 3, 2, 0, 0), "pid 7"));

        var overview = await Store.ReadOverviewAsync(Windows);

        Assert.Equal(["nightly", "only-failing", "only-skipped", "stuck"], overview.Select(o => o.Name));
        var nightly = overview[0];
        Assert.Equal((Utc(2026, 3, 1, 14, 0), "db2"), (nightly.LastSuccess!.StartedAt, nightly.LastSuccess.Hostname));
        Assert.Equal(Utc(2026, 3, 1, 20, 0), nightly.LastFailure!.StartedAt);
        Assert.Equal("failed", nightly.LastFailure.Output);
        Assert.Equal(3, nightly.RecentRuns);
        Assert.Equal(TimeSpan.FromMinutes(2.5), nightly.MedianRuntime);
        Assert.Equal((null, 1, null), (overview[1].LastSuccess, overview[1].RecentRuns, overview[1].MedianRuntime));
        Assert.Equal(Utc(2026, 3, 2, 1, 0), overview[1].LastFailure!.StartedAt);
        Assert.Equal(new ScriptOverview("only-skipped", null, null, 0, null), overview[2]);
        Assert.Equal(new ScriptOverview("stuck", null, null, 0, null), overview[3]);
    }

    [Fact]
    public async Task ReadOverview_says_what_the_calls_for_each_script_say()
    {
        var random = new Random(7);
        for (var i = 0; i < 60; i++)
        {
            var outcome = (RunOutcome)random.Next(0, 3);
            var started = Utc(2026, 2, 15, 0, 0).AddMinutes(random.Next(0, 24 * 60 * 15));
            var runtime = TimeSpan.FromTicks(TimeSpan.TicksPerMicrosecond * random.Next(1, 50_000_000));
            await RecordRunAsync($"script-{i % 5}", started, runtime, outcome, $"host-{i % 3}");
        }

        var overview = await Store.ReadOverviewAsync(Windows);

        var expected = new List<ScriptOverview>();
        foreach (var script in await Store.ListScriptsAsync())
        {
            var recent = await Store.CountRunsAsync(new RunQuery(script.Name) { Since = Windows.RecentSince, Until = Windows.Until });
            var runtime = await Store.GetRuntimeStatisticsAsync(script.Name, Windows.RuntimeSince, Windows.Until);
            expected.Add(new ScriptOverview(script.Name, script.LastSuccess, script.LastFailure, (int)recent, runtime.Count > 0 ? runtime.Median : null));
        }

        Assert.Equal(expected, overview);
    }

    [Fact]
    public async Task ReadOverview_of_an_empty_store_is_empty_and_a_window_ending_before_it_starts_is_refused()
    {
        Assert.Empty(await Store.ReadOverviewAsync(Windows));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.ReadOverviewAsync(Windows with { Until = Windows.RecentSince.AddTicks(-10) }));
    }
}

using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Storage.Tests.Contract;

/// <summary>
/// Runs whose duration is unknown (a peer's completion without a start), and events of scripts that are not runs:
/// both written and read back alike by every store.
/// </summary>
public abstract partial class ScriptRunStoreContract
{
    private IExpectationStore Expectations => Assert.IsAssignableFrom<IExpectationStore>(Store);

    private IScriptEventStore Events => Assert.IsAssignableFrom<IScriptEventStore>(Store);

    [Fact]
    public async Task A_success_of_unknown_duration_counts_as_a_success_but_not_in_runtime_statistics()
    {
        var at = Utc(2026, 3, 1, 12, 0);
        await RecordRunAsync("pinged", at, TimeSpan.FromMinutes(2), RunOutcome.Succeeded);
        var unknown = new ScriptRun(Guid.NewGuid(), "pinged", "host-a", at.AddHours(1), at.AddHours(1), RunOutcome.Succeeded, null, "ping") { DurationUnknown = true };
        Assert.True(await Store.ImportRunAsync(unknown));
        await using var reopened = await ReopenStoreAsync();

        var stored = await reopened.GetRunAsync(unknown.RunId);
        var statistics = await reopened.GetRuntimeStatisticsAsync("pinged", at.AddDays(-1), at.AddDays(1));
        var overview = Assert.Single(await reopened.ReadOverviewAsync(new OverviewQuery(at.AddDays(-1), at.AddDays(-1), at.AddDays(1))));
        var snapshot = Assert.Single(await ((IExpectationStore)reopened).ReadSnapshotsAsync(["pinged"]));

        Assert.NotNull(stored);
        Assert.True(stored.DurationUnknown);
        Assert.Null(stored.Duration);
        Assert.Equal(1, statistics.Count);
        Assert.Equal(TimeSpan.FromMinutes(2), statistics.Median);
        Assert.Equal(TimeSpan.FromMinutes(2), overview.MedianRuntime);
        Assert.Equal(unknown.RunId, overview.LastSuccess?.RunId);
        Assert.True(overview.LastSuccess?.DurationUnknown);
        Assert.True(snapshot.History.LastSuccess?.DurationUnknown);
        Assert.Null(snapshot.History.LastSuccess?.Duration);
        Assert.Equal([true, false], snapshot.History.RecentRuns.Select(r => r.DurationUnknown));
        Assert.False((await reopened.ListRunsAsync(new RunQuery("pinged") { Limit = 2 }))[1].DurationUnknown);
    }

    [Fact]
    public async Task Events_are_kept_newest_first_paged_and_pruned_at_the_age_of_runs()
    {
        var first = await Events.AddScriptEventAsync("pinged", Utc(2026, 1, 1, 0, 0), ScriptEvent.Log, "old line", "10.0.0.1");
        var second = await Events.AddScriptEventAsync("pinged", Utc(2026, 3, 1, 0, 0), ScriptEvent.Log, null, null);
        var third = await Events.AddScriptEventAsync("pinged", Utc(2026, 3, 2, 0, 0), ScriptEvent.Log, new string('x', ScriptEvent.MaxBodyLength) + "tail", "10.0.0.2");
        await Events.AddScriptEventAsync("other", Utc(2026, 3, 2, 0, 0), ScriptEvent.Log, "elsewhere", null);
        await using var reopened = await ReopenStoreAsync();

        var all = await ((IScriptEventStore)reopened).ListScriptEventsAsync("pinged", 10);
        var page = await ((IScriptEventStore)reopened).ListScriptEventsAsync("pinged", 1, offset: 1);
        await Store.PruneAsync(Utc(2026, 2, 1, 0, 0));
        var kept = await Events.ListScriptEventsAsync("pinged", 10);

        Assert.Equal([third.Id, second.Id, first.Id], all.Select(e => e.Id));
        Assert.Equal(first with { Id = first.Id }, all[2]);
        Assert.Equal("old line", all[2].Body);
        Assert.Null(all[1].Body);
        Assert.EndsWith("tail", all[0].Body, StringComparison.Ordinal);
        Assert.Equal(ScriptEvent.MaxBodyLength, all[0].Body!.Length);
        Assert.Equal([second.Id], page.Select(e => e.Id));
        Assert.Equal([third.Id, second.Id], kept.Select(e => e.Id));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Events.AddScriptEventAsync("pinged", Now, "run", null, null));
    }
}

using ScriptMonitor.Application.Stores;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Storage.Tests.Contract;

/// <summary>
/// A store shared by builds of two versions: a fleet upgrades one host at a time, and the hosts not yet upgraded keep
/// recording into the store the first upgraded one migrated, unless the migration says they may not.
/// </summary>
public abstract partial class ScriptRunStoreContract
{
    private int LatestVersion => ScriptRunStores.Parse(Setting).Provider.LatestSchemaVersion;

    [Fact]
    public async Task A_build_one_version_behind_keeps_recording_after_a_newer_build_migrated_the_store()
    {
        await using var newer = await OpenAsNextBuildAsync(keepsOlderWriters: true);
        await newer.RecordSuccessAsync("fleet", Utc(2026, 3, 1, 1, 0), Utc(2026, 3, 1, 1, 5), "upgraded-host");

        await using var older = ScriptRunStores.Open(ScriptRunStores.Parse(Setting), Clock);
        var started = await older.RecordStartAsync("fleet", Utc(2026, 3, 1, 2, 0), "old-host");
        await older.CompleteRunAsync(started.RunId, Utc(2026, 3, 1, 2, 5), RunOutcome.Failed, exitCode: 3);
        await older.RecordSuccessAsync("fleet", Utc(2026, 3, 1, 3, 0), Utc(2026, 3, 1, 3, 5), "old-host");
        Assert.True(await older.SetExpectationAsync(new ScriptExpectation("fleet") { Schedule = Schedule.Every(TimeSpan.FromHours(1)) }));
        var info = await older.GetInfoAsync();
        await using var reader = ScriptRunStores.OpenReadOnly(ScriptRunStores.Parse(Setting), Clock)!;

        Assert.Equal(LatestVersion + 1, info.SchemaVersion);
        Assert.Equal(LatestVersion, info.LatestSchemaVersion);
        Assert.True(info.OldestWriterVersion <= LatestVersion, $"the store accepts writers from version {info.OldestWriterVersion}");
        Assert.Equal(
            [("old-host", RunOutcome.Succeeded), ("old-host", RunOutcome.Failed), ("upgraded-host", RunOutcome.Succeeded)],
            (await newer.ListRunsAsync(new RunQuery("fleet"))).Select(r => (r.Hostname, r.Outcome)));
        Assert.Equal(Utc(2026, 3, 1, 3, 0), (await reader.GetLastActivityAsync("fleet"))!.DateStarted);
        Assert.NotNull((await newer.GetExpectationAsync("fleet"))?.Schedule);
    }

    [Fact]
    public async Task A_store_migrated_past_what_this_build_may_write_is_refused_as_incompatible_and_left_as_it_is()
    {
        await (await OpenAsNextBuildAsync(keepsOlderWriters: false)).DisposeAsync();

        var writing = Assert.Throws<StoreIncompatibleException>(() => ScriptRunStores.Open(ScriptRunStores.Parse(Setting), Clock));
        var reading = Assert.Throws<StoreIncompatibleException>(() => ScriptRunStores.OpenReadOnly(ScriptRunStores.Parse(Setting), Clock));

        foreach (var error in new[] { writing, reading })
        {
            Assert.Contains($"is at schema version {LatestVersion + 1}, newer than this ScriptMonitor knows ({LatestVersion})", error.Message, StringComparison.Ordinal);
            Assert.Contains($"accepts no build older than schema version {LatestVersion + 1}; upgrade ScriptMonitor", error.Message, StringComparison.Ordinal);
        }

        await using var newer = await OpenAsNextBuildAsync(keepsOlderWriters: false);
        Assert.Equal(LatestVersion + 1, (await newer.GetInfoAsync()).SchemaVersion);
    }
}

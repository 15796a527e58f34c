using Microsoft.Extensions.Time.Testing;
using ScriptMonitor.Health;
using ScriptMonitor.Sqlite;
using static ScriptMonitor.Tests.Health.History;

namespace ScriptMonitor.Tests.Health;

public sealed class HealthMonitorTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("scriptmon-health-").FullName;
    private readonly FakeTimeProvider _clock = new(Utc(2026, 3, 2, 12, 0));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task The_monitor_evaluates_stored_runs_against_stored_expectations_at_the_clock_s_instant()
    {
        await using var store = SqliteScriptRunStore.Open(Path.Combine(_directory, "runs.db"), new SqliteStoreOptions { TimeProvider = _clock });
        await store.RecordSuccessAsync("backup", Utc(2026, 3, 2, 11, 30), Utc(2026, 3, 2, 11, 31), "db1");
        await store.RecordSuccessAsync("report", Utc(2026, 3, 2, 11, 30), Utc(2026, 3, 2, 11, 31), "db1");
        await store.SetExpectationAsync(new ScriptExpectation("backup") { Schedule = Schedule.Every(TimeSpan.FromHours(1)), Grace = TimeSpan.FromMinutes(10), Tags = ["ops"] });
        var monitor = new HealthMonitor(store, _clock);

        var before = await monitor.EvaluateAsync();
        _clock.Advance(TimeSpan.FromMinutes(45));
        var after = await monitor.EvaluateAsync(tag: "ops");

        Assert.Equal([("backup", HealthState.Up), ("report", HealthState.Learning)], before.Select(h => (h.ScriptName, h.State)));
        var backup = Assert.Single(after);
        Assert.Equal(HealthState.Late, backup.State);
        Assert.Equal("no successful run since 2026-03-02 11:30:00+00:00, expected every 1h with 10m grace", backup.Summary);
        Assert.Equal(Utc(2026, 3, 2, 12, 45), backup.EvaluatedAt);
    }

    [Fact]
    public async Task A_script_nobody_knows_never_ran_and_learns_nothing()
    {
        await using var store = SqliteScriptRunStore.Open(Path.Combine(_directory, "runs.db"), new SqliteStoreOptions { TimeProvider = _clock });
        var monitor = new HealthMonitor(store, _clock);

        Assert.Equal(HealthState.NeverRan, (await monitor.EvaluateAsync("unknown")).State);
        Assert.Null(await monitor.LearnAsync("unknown"));
    }
}

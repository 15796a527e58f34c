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

    [Fact]
    public async Task A_script_that_ran_300_times_where_6_were_expected_is_too_often_by_the_true_count()
    {
        await using var store = SqliteScriptRunStore.Open(Path.Combine(_directory, "runs.db"), new SqliteStoreOptions { TimeProvider = _clock, FlushEveryCommit = false });
        var now = _clock.GetUtcNow();
        for (var i = 1; i <= 300; i++)
        {
            var started = now - TimeSpan.FromSeconds(70 * i);
            await store.RecordSuccessAsync("busy", started, started.AddSeconds(5), "db1");
        }

        await store.SetExpectationAsync(new ScriptExpectation("busy") { Schedule = Schedule.Every(TimeSpan.FromHours(1)) });

        var health = await new HealthMonitor(store, _clock).EvaluateAsync("busy");

        Assert.Equal(HealthState.TooOften, health.State);
        Assert.StartsWith("300 runs on db1 started between 2026-03-02 06:00:00+00:00 and 2026-03-02 12:00:00+00:00, but every 1h means 6", health.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failure_streak_longer_than_the_history_read_is_counted_in_full()
    {
        await using var store = SqliteScriptRunStore.Open(Path.Combine(_directory, "runs.db"), new SqliteStoreOptions { TimeProvider = _clock, FlushEveryCommit = false });
        var now = _clock.GetUtcNow();
        await store.RecordSuccessAsync("import", now.AddHours(-41), now.AddHours(-41).AddMinutes(1), "db1");
        for (var hour = 40; hour >= 1; hour--)
        {
            await store.RecordFailureAsync("import", now.AddHours(-hour), now.AddHours(-hour).AddMinutes(1), exitCode: 4, hostname: "db1");
        }

        var health = await new HealthMonitor(store, _clock).EvaluateAsync("import");

        Assert.Equal(HealthState.Failing, health.State);
        Assert.StartsWith("the last 40 runs failed, the latest started 2026-03-02 11:00:00+00:00 with exit code 4", health.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hundred_consecutive_failures_can_be_tolerated_and_the_next_one_is_failing()
    {
        await using var store = SqliteScriptRunStore.Open(Path.Combine(_directory, "runs.db"), new SqliteStoreOptions { TimeProvider = _clock, FlushEveryCommit = false });
        var now = _clock.GetUtcNow();
        foreach (var (name, failures) in new[] { ("flaky", 100), ("broken", 101) })
        {
            await store.SetExpectationAsync(new ScriptExpectation(name) { FailuresTolerated = 100 });
            await store.RecordSuccessAsync(name, now.AddMinutes(-failures - 1), now.AddMinutes(-failures - 1).AddSeconds(5), "db1");
            for (var minute = failures; minute >= 1; minute--)
            {
                await store.RecordFailureAsync(name, now.AddMinutes(-minute), now.AddMinutes(-minute).AddSeconds(5), exitCode: 1, hostname: "db1");
            }
        }

        var health = await new HealthMonitor(store, _clock).EvaluateAsync();

        Assert.DoesNotContain(health.Single(h => h.ScriptName == "flaky").Reasons, r => r.State == HealthState.Failing);
        var broken = health.Single(h => h.ScriptName == "broken");
        Assert.Equal(HealthState.Failing, broken.State);
        Assert.StartsWith("the last 101 runs failed, the latest started 2026-03-02 11:59:00+00:00 with exit code 1; 100 consecutive failures are tolerated", broken.Summary, StringComparison.Ordinal);
        Assert.Equal((101L, 100L, false), (broken.Reasons[0].Facts.ObservedCount!.Value, broken.Reasons[0].Facts.LimitCount!.Value, broken.Reasons[0].Facts.ObservedCountIsLowerBound));
    }

    [Fact]
    public async Task A_stored_expectation_this_version_cannot_read_makes_only_its_script_unknown()
    {
        var path = Path.Combine(_directory, "runs.db");
        await using var store = SqliteScriptRunStore.Open(path, new SqliteStoreOptions { TimeProvider = _clock });
        await store.RecordSuccessAsync("backup", Utc(2026, 3, 2, 11, 30), Utc(2026, 3, 2, 11, 31), "db1");
        await store.RecordSuccessAsync("report", Utc(2026, 3, 2, 11, 30), Utc(2026, 3, 2, 11, 31), "db1");
        await store.SetExpectationAsync(new ScriptExpectation("backup") { Schedule = Schedule.Every(TimeSpan.FromHours(1)) });
        await store.SetExpectationAsync(new ScriptExpectation("report") { Schedule = Schedule.Every(TimeSpan.FromHours(1)) });
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE expectations SET period_us = 731 * 86400 * 1000000 WHERE script_name = 'report'";
            command.ExecuteNonQuery();
        }

        var health = await new HealthMonitor(store, _clock).EvaluateAsync();

        Assert.Equal([("backup", HealthState.Up), ("report", HealthState.Unknown)], health.Select(h => (h.ScriptName, h.State)));
        Assert.StartsWith("the health of report cannot be evaluated: its stored expectation cannot be read (", health[1].Summary, StringComparison.Ordinal);
        Assert.True(await store.SetExpectationAsync(new ScriptExpectation("report") { Schedule = Schedule.Every(TimeSpan.FromHours(1)) }), "setting it again replaces the row");
        Assert.Equal(HealthState.Up, (await new HealthMonitor(store, _clock).EvaluateAsync("report")).State);
    }

    [Fact]
    public async Task Three_runs_skipped_for_a_held_lock_make_the_script_skipped_naming_the_holder()
    {
        await using var store = SqliteScriptRunStore.Open(Path.Combine(_directory, "runs.db"), new SqliteStoreOptions { TimeProvider = _clock });
        var now = _clock.GetUtcNow();
        await store.RecordSuccessAsync("backup", now.AddHours(-5), now.AddHours(-5).AddMinutes(1), "db1");
        await store.RecordStartAsync("backup", now.AddHours(-4), "db1");
        for (var hour = 3; hour >= 1; hour--)
        {
            await store.RecordSkipAsync(new ScriptMonitor.Runs.ScriptSkip(Guid.NewGuid(), "backup", "db1", now.AddHours(-hour), "pid 4242 since 2026-03-02T08:00:00Z"));
        }

        var health = await new HealthMonitor(store, _clock).EvaluateAsync("backup");

        Assert.Equal(HealthState.Skipped, health.State);
        Assert.Equal("the last 3 runs on db1 were skipped, the first at 2026-03-02 09:00:00+00:00, because another run held the lock: pid 4242 since 2026-03-02T08:00:00Z; 3 skips in a row make an alert", health.Summary);
    }

    [Fact]
    public async Task Runs_known_to_be_gone_are_evaluated_as_abandoned_without_changing_the_store()
    {
        await using var store = SqliteScriptRunStore.Open(Path.Combine(_directory, "runs.db"), new SqliteStoreOptions { TimeProvider = _clock });
        var now = _clock.GetUtcNow();
        await store.SetExpectationAsync(new ScriptExpectation("backup") { Schedule = Schedule.Every(TimeSpan.FromHours(6)), MaxRuntime = TimeSpan.FromMinutes(10) });
        await store.RecordSuccessAsync("backup", now.AddHours(-3), now.AddHours(-3).AddMinutes(1), "db1");
        var stuck = await store.RecordStartAsync("backup", now.AddHours(-2), "db1");
        var monitor = new HealthMonitor(store, _clock);

        var before = await monitor.EvaluateAsync("backup");
        var after = Assert.Single(await monitor.EvaluateAsync(abandoned: [stuck]));

        Assert.Equal(HealthState.RunningTooLong, before.State);
        Assert.Equal(HealthState.Abandoned, after.State);
        Assert.StartsWith("the last run (started 2026-03-02 10:00:00+00:00) was abandoned", after.Summary, StringComparison.Ordinal);
        Assert.Equal(ScriptMonitor.Runs.RunOutcome.Running, Assert.Single(await store.ListRunningAsync()).Outcome);
    }
}

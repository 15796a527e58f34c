using Microsoft.Extensions.Time.Testing;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Storage.Tests.Contract;

/// <summary>
/// The expectation half of the store contract, written once. A store's test class derives from this and says how to
/// open a fresh, empty store of its kind; every test here then runs against it.
/// </summary>
public abstract class ExpectationStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private IScriptRunStore? _store;

    protected FakeTimeProvider Clock { get; } = new(Now);

    protected IScriptRunStore Runs => _store ?? throw new InvalidOperationException("The store is not open.");

    protected IExpectationStore Expectations => Runs;

    /// <summary>Opens a new, empty store that uses <see cref="Clock"/>.</summary>
    protected abstract Task<IScriptRunStore> OpenEmptyStoreAsync();

    /// <summary>Opens a second instance on the same data as the last store opened, as another process would.</summary>
    protected abstract Task<IScriptRunStore> ReopenStoreAsync();

    public async Task InitializeAsync() => _store = await OpenEmptyStoreAsync();

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    private static ScriptExpectation Hourly(string name = "nightly-backup") => new(name)
    {
        Schedule = Schedule.Every(TimeSpan.FromHours(1)),
        Grace = TimeSpan.FromMinutes(10),
        MinRuntime = TimeSpan.FromSeconds(5),
        MaxRuntime = TimeSpan.FromMinutes(30),
        Hosts = HostRequirement.AtLeast(2, "db3", "db1", "db2"),
        FailuresTolerated = 2,
        AbandonAfter = TimeSpan.FromHours(6),
        SkipsBeforeAlert = 5,
        Paused = true,
        PausedUntil = Now.AddDays(1),
        Tags = ["ops", "db"],
    };

    [Fact]
    public async Task SetExpectation_then_GetExpectation_returns_every_field_with_hosts_and_tags_sorted()
    {
        Assert.True(await Expectations.SetExpectationAsync(Hourly()));

        var stored = await Expectations.GetExpectationAsync("nightly-backup");

        Assert.NotNull(stored);
        Assert.Equal(Hourly(), stored);
        Assert.Equal(["db", "ops"], stored.Tags);
        Assert.Equal(["db1", "db2", "db3"], stored.Hosts.Hosts);
        Assert.Equal(HostMode.AtLeast, stored.Hosts.Mode);
        Assert.Equal(2, stored.Hosts.MinimumCount);
        Assert.Equal(TimeSpan.FromHours(1), Assert.IsType<PeriodSchedule>(stored.Schedule).Period);
    }

    [Fact]
    public async Task A_cron_schedule_keeps_its_expression_and_time_zone()
    {
        var expectation = new ScriptExpectation("report") { Schedule = Schedule.Cron("30 2 * * *", "Europe/Berlin"), Hosts = HostRequirement.Each("web1", "web2") };

        await Expectations.SetExpectationAsync(expectation);
        var stored = await Expectations.GetExpectationAsync("report");

        var cron = Assert.IsType<CronSchedule>(stored?.Schedule);
        Assert.Equal("30 2 * * *", cron.Expression);
        Assert.Equal("Europe/Berlin", cron.TimeZone);
        Assert.Equal(expectation, stored);
    }

    [Fact]
    public async Task Setting_the_same_values_twice_changes_nothing_and_different_values_replace_them()
    {
        Assert.True(await Expectations.SetExpectationAsync(Hourly()));
        Assert.False(await Expectations.SetExpectationAsync(Hourly() with { Tags = ["ops", "db"] }));
        Assert.False(await Expectations.SetExpectationAsync(Hourly() with { Tags = ["db", "ops"] }));

        Assert.True(await Expectations.SetExpectationAsync(Hourly() with { Grace = TimeSpan.FromMinutes(20) }));

        Assert.Equal(TimeSpan.FromMinutes(20), (await Expectations.GetExpectationAsync("nightly-backup"))?.Grace);
    }

    [Fact]
    public async Task GetExpectation_returns_null_for_a_script_without_one()
    {
        Assert.Null(await Expectations.GetExpectationAsync("no-such-script"));
    }

    [Fact]
    public async Task RemoveExpectation_removes_it_once_and_keeps_the_runs()
    {
        await Runs.RecordSuccessAsync("nightly-backup", Now.AddHours(-1), Now.AddMinutes(-50), "db1");
        await Expectations.SetExpectationAsync(Hourly());

        Assert.True(await Expectations.RemoveExpectationAsync("nightly-backup"));
        Assert.False(await Expectations.RemoveExpectationAsync("nightly-backup"));

        Assert.Null(await Expectations.GetExpectationAsync("nightly-backup"));
        Assert.NotNull(await Runs.GetLastActivityAsync("nightly-backup"));
    }

    [Fact]
    public async Task ListExpectations_returns_every_expectation_by_name()
    {
        await Expectations.SetExpectationAsync(Hourly("b-job"));
        await Expectations.SetExpectationAsync(Hourly("a-job"));

        var names = (await Expectations.ListExpectationsAsync()).Select(e => e.ScriptName);

        Assert.Equal(["a-job", "b-job"], names);
    }

    [Fact]
    public async Task An_expectation_is_seen_by_another_instance_on_the_same_data()
    {
        await Expectations.SetExpectationAsync(Hourly());

        await using var other = await ReopenStoreAsync();

        Assert.Equal(Hourly(), await other.GetExpectationAsync("nightly-backup"));
    }

    public static TheoryData<string, ScriptExpectation> InvalidExpectations => new()
    {
        { "expectation.ScriptName", new ScriptExpectation(string.Empty) },
        { "expectation.ScriptName", new ScriptExpectation(" padded ") },
        { "expectation.Grace", new ScriptExpectation("job") { Grace = TimeSpan.FromMinutes(-1) } },
        { "expectation.Grace", new ScriptExpectation("job") { Grace = TimeSpan.FromDays(400) } },
        { "expectation.MinRuntime", new ScriptExpectation("job") { MinRuntime = TimeSpan.FromSeconds(-1) } },
        { "expectation.MaxRuntime", new ScriptExpectation("job") { MaxRuntime = TimeSpan.Zero } },
        { "expectation.MinRuntime", new ScriptExpectation("job") { MinRuntime = TimeSpan.FromHours(2), MaxRuntime = TimeSpan.FromHours(1) } },
        { "expectation.FailuresTolerated", new ScriptExpectation("job") { FailuresTolerated = -1 } },
        { "expectation.FailuresTolerated", new ScriptExpectation("job") { FailuresTolerated = ExpectationValidation.MaxFailuresTolerated + 1 } },
        { "expectation.PausedUntil", new ScriptExpectation("job") { PausedUntil = Now.AddDays(1) } },
        { "expectation.Hosts", new ScriptExpectation("job") { Hosts = HostRequirement.Each() } },
        { "expectation.Hosts", new ScriptExpectation("job") { Hosts = HostRequirement.Each("db1", "db1") } },
        { "expectation.Hosts[0]", new ScriptExpectation("job") { Hosts = HostRequirement.Each(" db1") } },
        { "expectation.Hosts.MinimumCount", new ScriptExpectation("job") { Hosts = HostRequirement.AtLeast(0, "db1", "db2") } },
        { "expectation.Hosts.MinimumCount", new ScriptExpectation("job") { Hosts = HostRequirement.AtLeast(3, "db1", "db2") } },
        { "expectation.Tags", new ScriptExpectation("job") { Tags = ["ops", "ops"] } },
        { "expectation.AbandonAfter", new ScriptExpectation("job") { AbandonAfter = TimeSpan.FromSeconds(30) } },
        { "expectation.AbandonAfter", new ScriptExpectation("job") { AbandonAfter = TimeSpan.FromDays(400) } },
        { "expectation.AbandonAfter", new ScriptExpectation("job") { MaxRuntime = TimeSpan.FromHours(2), AbandonAfter = TimeSpan.FromHours(1) } },
        { "expectation.SkipsBeforeAlert", new ScriptExpectation("job") { SkipsBeforeAlert = 0 } },
        { "expectation.SkipsBeforeAlert", new ScriptExpectation("job") { SkipsBeforeAlert = ScriptHistory.Depth + 1 } },
        { "expectation.Tags[0]", new ScriptExpectation("job") { Tags = ["has\ttab"] } },
    };

    [Theory]
    [MemberData(nameof(InvalidExpectations))]
    public async Task SetExpectation_refuses_a_broken_field_naming_it_and_writes_nothing(string field, ScriptExpectation expectation)
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => Expectations.SetExpectationAsync(expectation));

        Assert.Contains(field, error.Message, StringComparison.Ordinal);
        Assert.Empty(await Expectations.ListExpectationsAsync());
    }

    [Fact]
    public async Task ReadSnapshots_holds_scripts_with_runs_and_scripts_with_only_an_expectation()
    {
        await Runs.RecordSuccessAsync("with-runs", Now.AddHours(-2), Now.AddHours(-2).AddMinutes(1), "db1");
        await Expectations.SetExpectationAsync(new ScriptExpectation("only-expected") { Schedule = Schedule.Every(TimeSpan.FromHours(1)) });

        var snapshots = await Expectations.ReadSnapshotsAsync();

        Assert.Equal(["only-expected", "with-runs"], snapshots.Select(s => s.ScriptName));
        Assert.NotNull(snapshots[0].Expectation);
        Assert.Empty(snapshots[0].History.RecentRuns);
        Assert.Null(snapshots[1].Expectation);
        Assert.Equal(Now.AddHours(-2), Assert.Single(snapshots[1].History.RecentRuns).StartedAt);
    }

    [Fact]
    public async Task ReadSnapshots_of_named_scripts_leaves_out_the_others_and_unknown_names()
    {
        await Runs.RecordSuccessAsync("a", Now.AddHours(-2), Now.AddHours(-1), "db1");
        await Runs.RecordSuccessAsync("b", Now.AddHours(-2), Now.AddHours(-1), "db1");

        var snapshots = await Expectations.ReadSnapshotsAsync(["b", "unknown"]);

        Assert.Equal("b", Assert.Single(snapshots).ScriptName);
    }

    [Fact]
    public async Task ReadSnapshots_gives_the_newest_runs_newest_first_and_says_when_older_ones_exist()
    {
        var runs = new List<HistoryRun>();
        for (var i = 0; i < ScriptHistory.Depth + 5; i++)
        {
            var started = Now.AddHours(-100 + i);
            var failed = i % 3 == 0;
            if (failed)
            {
                await Runs.RecordFailureAsync("hourly", started, started.AddMinutes(2), exitCode: 4, hostname: "db1");
            }
            else
            {
                await Runs.RecordSuccessAsync("hourly", started, started.AddMinutes(2), "db1");
            }

            runs.Add(new HistoryRun("db1", started, started.AddMinutes(2), failed ? RunOutcome.Failed : RunOutcome.Succeeded, failed ? 4 : null));
        }

        var history = Assert.Single(await Expectations.ReadSnapshotsAsync()).History;
        var expected = ScriptHistory.FromRuns(runs);

        Assert.True(history.IsTruncated);
        Assert.Equal(expected.RecentRuns, history.RecentRuns);
        Assert.Equal(expected.LastSuccess, history.LastSuccess);
    }

    [Fact]
    public async Task ReadSnapshots_gives_a_script_that_tolerates_many_failures_one_run_more_than_it_tolerates()
    {
        var tolerated = ExpectationValidation.MaxFailuresTolerated;
        var depth = Math.Max(ScriptHistory.Depth, tolerated + 1);
        await Runs.RecordSuccessAsync("tolerant", Now.AddDays(-10), Now.AddDays(-10).AddMinutes(1), "db1");
        await Runs.RecordSuccessAsync("plain", Now.AddDays(-10), Now.AddDays(-10).AddMinutes(1), "db1");
        for (var i = 0; i < depth + 2; i++)
        {
            await Runs.RecordFailureAsync("tolerant", Now.AddMinutes(-depth - 2 + i), Now.AddMinutes(-depth - 2 + i).AddSeconds(1), exitCode: 1, hostname: "db1");
            await Runs.RecordFailureAsync("plain", Now.AddMinutes(-depth - 2 + i), Now.AddMinutes(-depth - 2 + i).AddSeconds(1), exitCode: 1, hostname: "db1");
        }

        await Expectations.SetExpectationAsync(new ScriptExpectation("tolerant") { FailuresTolerated = tolerated });

        var snapshots = await Expectations.ReadSnapshotsAsync();
        var named = await Expectations.ReadSnapshotsAsync(["tolerant"]);

        Assert.Equal([ScriptHistory.Depth, depth], snapshots.Select(s => s.History.RecentRuns.Count));
        Assert.All(snapshots, s => Assert.True(s.History.IsTruncated));
        Assert.All(snapshots, s => Assert.Equal(Now.AddDays(-10), s.History.LastSuccess?.StartedAt));
        Assert.Equal(Now.AddMinutes(-1), snapshots[1].History.RecentRuns[0].StartedAt);
        Assert.Equal(depth, Assert.Single(named).History.RecentRuns.Count);
    }

    [Fact]
    public async Task ReadSnapshots_finds_runs_in_progress_and_last_successes_older_than_the_recent_runs()
    {
        var stuck = await Runs.RecordStartAsync("busy", Now.AddDays(-3), "db2");
        await Runs.RecordSuccessAsync("busy", Now.AddDays(-2), Now.AddDays(-2).AddMinutes(1), "db2");
        for (var i = 0; i < ScriptHistory.Depth + 1; i++)
        {
            await Runs.RecordFailureAsync("busy", Now.AddHours(-40 + i), Now.AddHours(-40 + i).AddMinutes(1), exitCode: 1, hostname: "db1");
        }

        await Expectations.SetExpectationAsync(new ScriptExpectation("busy") { Hosts = HostRequirement.Each("db1", "db2") });

        var history = Assert.Single(await Expectations.ReadSnapshotsAsync()).History;

        Assert.Equal(stuck.StartedAt, Assert.Single(history.InProgress).StartedAt);
        Assert.Equal(Now.AddDays(-2), history.LastSuccess?.StartedAt);
        Assert.Equal(Now.AddDays(-2), history.LastSuccessByHost["db2"].StartedAt);
        Assert.False(history.LastSuccessByHost.ContainsKey("db1"));
    }

    [Fact]
    public async Task An_expectation_without_a_bound_keeps_the_defaults()
    {
        await Expectations.SetExpectationAsync(new ScriptExpectation("plain"));

        var stored = await Expectations.GetExpectationAsync("plain");

        Assert.Null(stored!.AbandonAfter);
        Assert.Equal(ScriptExpectation.DefaultSkipsBeforeAlert, stored.SkipsBeforeAlert);
    }

    [Fact]
    public async Task ReadSnapshots_gives_each_script_its_newest_skips_newest_first_and_a_script_known_only_by_skips()
    {
        await Runs.RecordSuccessAsync("backup", Now.AddHours(-50), Now.AddHours(-50).AddMinutes(1), "db1");
        for (var i = 0; i < ScriptHistory.Depth + 3; i++)
        {
            await Runs.RecordSkipAsync(new ScriptSkip(Guid.NewGuid(), "backup", i % 2 == 0 ? "db1" : "db2", Now.AddHours(-40 + i), $"pid {i}"));
        }

        await Runs.RecordSkipAsync(new ScriptSkip(Guid.NewGuid(), "only-skipped", "db1", Now.AddMinutes(-5), "pid 7 since 2026-03-02T11:00:00Z"));

        var snapshots = await Expectations.ReadSnapshotsAsync();

        Assert.Equal(["backup", "only-skipped"], snapshots.Select(s => s.ScriptName));
        var skips = snapshots[0].History.RecentSkips;
        Assert.Equal(ScriptHistory.Depth, skips.Count);
        Assert.Equal(Now.AddHours(-40 + ScriptHistory.Depth + 2), skips[0].SkippedAt);
        Assert.Equal("pid 26", skips[0].Holder);
        Assert.Equal(skips.OrderByDescending(s => s.SkippedAt).Select(s => s.SkippedAt), skips.Select(s => s.SkippedAt));
        Assert.Equal("pid 7 since 2026-03-02T11:00:00Z", Assert.Single(snapshots[1].History.RecentSkips).Holder);
        Assert.Empty(snapshots[1].History.RecentRuns);
        Assert.Equal("only-skipped", Assert.Single(await Expectations.ReadSnapshotsAsync(["only-skipped"])).ScriptName);
    }

    [Fact]
    public async Task ReadSnapshots_shows_an_abandoned_run_as_ended_not_in_progress()
    {
        var run = await Runs.RecordStartAsync("killed", Now.AddHours(-3), "db1");
        await Runs.AbandonRunAsync(run.RunId, Now.AddHours(-1), "its runner is gone");

        var history = Assert.Single(await Expectations.ReadSnapshotsAsync()).History;

        Assert.Empty(history.InProgress);
        Assert.Equal(RunOutcome.Abandoned, Assert.Single(history.RecentRuns).Outcome);
    }

    [Fact]
    public async Task CountRuns_counts_a_script_s_runs_by_host_window_and_outcome_past_any_page()
    {
        for (var i = 0; i < 90; i++)
        {
            var started = Now.AddMinutes(-i);
            if (i % 3 == 0)
            {
                await Runs.RecordFailureAsync("busy", started, started.AddSeconds(1), exitCode: 1, hostname: i % 2 == 0 ? "db1" : "db2");
            }
            else
            {
                await Runs.RecordSuccessAsync("busy", started, started.AddSeconds(1), i % 2 == 0 ? "db1" : "db2");
            }
        }

        await Runs.RecordSuccessAsync("other", Now.AddMinutes(-1), Now, "db1");

        Assert.Equal(90, await Expectations.CountRunsAsync(new RunQuery("busy")));
        Assert.Equal(45, await Expectations.CountRunsAsync(new RunQuery("busy") { Hostname = "db1" }));
        Assert.Equal(30, await Expectations.CountRunsAsync(new RunQuery("busy") { Outcome = RunOutcome.Failed }));
        Assert.Equal(30, await Expectations.CountRunsAsync(new RunQuery("busy") { Since = Now.AddMinutes(-29), Until = Now.AddMinutes(1), Limit = 1 }));
        Assert.Equal(0, await Expectations.CountRunsAsync(new RunQuery("unknown")));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Expectations.CountRunsAsync(new RunQuery(" bad ")));
    }
}

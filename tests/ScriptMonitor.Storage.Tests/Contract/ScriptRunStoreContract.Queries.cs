using ScriptMonitor.Runs;

namespace ScriptMonitor.Storage.Tests.Contract;

/// <summary>History windows, paging, the script list, statistics, import, prune and store info.</summary>
public abstract partial class ScriptRunStoreContract
{
    [Fact]
    public async Task ListRuns_returns_newest_first_in_pages()
    {
        for (var hour = 0; hour < 10; hour++)
        {
            await RecordRunAsync("hourly", Utc(2026, 3, 1, hour, 0), TimeSpan.FromMinutes(1), hour % 3 == 0 ? RunOutcome.Failed : RunOutcome.Succeeded);
        }

        var first = await Store.ListRunsAsync(new RunQuery("hourly") { Limit = 4 });
        var second = await Store.ListRunsAsync(new RunQuery("hourly") { Limit = 4, Offset = 4 });
        var last = await Store.ListRunsAsync(new RunQuery("hourly") { Limit = 4, Offset = 8 });
        var beyond = await Store.ListRunsAsync(new RunQuery("hourly") { Limit = 4, Offset = 12 });

        Assert.Equal([9, 8, 7, 6], first.Select(r => r.StartedAt.Hour));
        Assert.Equal([5, 4, 3, 2], second.Select(r => r.StartedAt.Hour));
        Assert.Equal([1, 0], last.Select(r => r.StartedAt.Hour));
        Assert.Empty(beyond);
        Assert.Equal(RunOutcome.Failed, first[0].Outcome);
        Assert.Equal(RunOutcome.Succeeded, first[1].Outcome);
    }

    [Fact]
    public async Task GetRun_returns_one_run_of_any_script_with_its_output_and_null_for_an_unknown_id()
    {
        var started = await Store.RecordStartAsync("nightly", Utc(2026, 3, 1, 2, 0), "db1");
        await Store.CompleteRunAsync(started.RunId, Utc(2026, 3, 1, 2, 5), RunOutcome.Failed, 3, "disk full\n");
        await RecordRunAsync("other", Utc(2026, 3, 1, 3, 0), TimeSpan.FromMinutes(1), RunOutcome.Succeeded);

        var run = await Store.GetRunAsync(started.RunId);
        var unknown = await Store.GetRunAsync(Guid.NewGuid());

        Assert.NotNull(run);
        Assert.Equal(("nightly", "db1", RunOutcome.Failed, 3, "disk full\n"), (run.ScriptName, run.Hostname, run.Outcome, run.ExitCode, run.Output));
        Assert.Equal(Utc(2026, 3, 1, 2, 0), run.StartedAt);
        Assert.Equal(Utc(2026, 3, 1, 2, 5), run.CompletedAt);
        Assert.Null(unknown);
    }

    [Fact]
    public async Task ListRuns_window_includes_its_start_and_excludes_its_end()
    {
        for (var hour = 0; hour < 6; hour++)
        {
            await RecordRunAsync("hourly", Utc(2026, 3, 1, hour, 0), TimeSpan.FromMinutes(1), RunOutcome.Succeeded);
        }

        var runs = await Store.ListRunsAsync(new RunQuery("hourly") { Since = Utc(2026, 3, 1, 2, 0), Until = Utc(2026, 3, 1, 4, 0) });

        Assert.Equal([3, 2], runs.Select(r => r.StartedAt.Hour));
    }

    [Fact]
    public async Task ListRuns_filters_by_host_and_by_outcome()
    {
        await RecordRunAsync("sync", Utc(2026, 3, 1, 1, 0), TimeSpan.FromMinutes(1), RunOutcome.Succeeded, "db1");
        await RecordRunAsync("sync", Utc(2026, 3, 1, 2, 0), TimeSpan.FromMinutes(1), RunOutcome.Failed, "db2");
        await RecordRunAsync("sync", Utc(2026, 3, 1, 3, 0), TimeSpan.FromMinutes(1), RunOutcome.Succeeded, "db2");
        await RecordRunAsync("sync", Utc(2026, 3, 1, 4, 0), TimeSpan.FromMinutes(1), RunOutcome.Running, "db1");
        await RecordRunAsync("other", Utc(2026, 3, 1, 5, 0), TimeSpan.FromMinutes(1), RunOutcome.Succeeded, "db1");

        var all = await Store.ListRunsAsync(new RunQuery("sync"));
        var onDb2 = await Store.ListRunsAsync(new RunQuery("sync") { Hostname = "db2" });
        var failures = await Store.ListRunsAsync(new RunQuery("sync") { Outcome = RunOutcome.Failed });
        var running = await Store.ListRunsAsync(new RunQuery("sync") { Outcome = RunOutcome.Running });

        Assert.Equal(4, all.Count);
        Assert.All(all, r => Assert.Equal("sync", r.ScriptName));
        Assert.Equal([3, 2], onDb2.Select(r => r.StartedAt.Hour));
        Assert.Equal(2, Assert.Single(failures).StartedAt.Hour);
        Assert.Null(Assert.Single(running).CompletedAt);
    }

    [Fact]
    public async Task ListRuns_of_an_unknown_script_is_empty()
    {
        Assert.Empty(await Store.ListRunsAsync(new RunQuery("never")));
    }

    [Fact]
    public async Task ListScripts_gives_every_script_with_its_last_success_and_last_failure()
    {
        await RecordRunAsync("backup", Utc(2026, 3, 1, 1, 0), TimeSpan.FromMinutes(1), RunOutcome.Succeeded, "db1");
        await RecordRunAsync("backup", Utc(2026, 3, 1, 2, 0), TimeSpan.FromMinutes(1), RunOutcome.Failed, "db2");
        await RecordRunAsync("backup", Utc(2026, 3, 1, 3, 0), TimeSpan.FromMinutes(1), RunOutcome.Succeeded, "db2");
        await RecordRunAsync("backup", Utc(2026, 3, 1, 0, 0), TimeSpan.FromMinutes(1), RunOutcome.Failed, "db1");
        await RecordRunAsync("audit", Utc(2026, 3, 1, 4, 0), TimeSpan.FromMinutes(1), RunOutcome.Failed);
        await RecordRunAsync("cleanup", Utc(2026, 3, 1, 5, 0), TimeSpan.FromMinutes(1), RunOutcome.Running);

        var scripts = await Store.ListScriptsAsync();

        Assert.Equal(["audit", "backup", "cleanup"], scripts.Select(s => s.Name));
        Assert.Null(scripts[0].LastSuccess);
        Assert.Equal(4, scripts[0].LastFailure!.StartedAt.Hour);
        Assert.Equal(3, scripts[1].LastSuccess!.StartedAt.Hour);
        Assert.Equal("db2", scripts[1].LastSuccess!.Hostname);
        Assert.Equal(2, scripts[1].LastFailure!.StartedAt.Hour);
        Assert.Null(scripts[2].LastSuccess);
        Assert.Null(scripts[2].LastFailure);
    }

    [Fact]
    public async Task Runtime_statistics_cover_the_successful_runs_in_the_window()
    {
        int[] minutes = [5, 1, 3, 2, 4, 100, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
        for (var i = 0; i < minutes.Length; i++)
        {
            await RecordRunAsync("etl", Utc(2026, 3, 1, 0, 0).AddHours(i), TimeSpan.FromMinutes(minutes[i]), RunOutcome.Succeeded, i % 2 == 0 ? "a" : "b");
        }

        await RecordRunAsync("etl", Utc(2026, 3, 1, 0, 30), TimeSpan.FromMinutes(500), RunOutcome.Failed);
        await RecordRunAsync("etl", Utc(2026, 3, 2, 0, 0), TimeSpan.FromMinutes(1000), RunOutcome.Succeeded);

        var stats = await Store.GetRuntimeStatisticsAsync("etl", Utc(2026, 3, 1, 0, 0), Utc(2026, 3, 2, 0, 0));

        var expected = minutes.Order().ToArray();
        Assert.Equal(20, stats.Count);
        Assert.Equal(TimeSpan.FromMinutes(expected.Average()), stats.Mean);
        Assert.Equal(TimeSpan.FromMinutes((expected[9] + expected[10]) / 2.0), stats.Median);
        Assert.Equal(TimeSpan.FromMinutes(expected[18]), stats.P95);
        Assert.Equal(TimeSpan.FromMinutes(1), stats.Min);
        Assert.Equal(TimeSpan.FromMinutes(100), stats.Max);

        var onA = await Store.GetRuntimeStatisticsAsync("etl", Utc(2026, 3, 1, 0, 0), Utc(2026, 3, 2, 0, 0), "a");
        Assert.Equal(10, onA.Count);
        Assert.Equal(TimeSpan.FromMinutes(minutes.Where((_, i) => i % 2 == 0).Max()), onA.Max);
    }

    [Fact]
    public async Task The_monitor_holds_a_runtime_against_the_successes_of_its_window_a_month_before()
    {
        // Evaluated at 2026-03-02 12:00: the window is 2026-01-17 00:00 (in) to 2026-01-31 00:00 (out).
        for (var i = 0; i < 12; i++)
        {
            await RecordRunAsync("creeping", Utc(2026, 1, 17, 0, 0).AddHours(6 * i), TimeSpan.FromMinutes(10), RunOutcome.Succeeded);
        }

        await RecordRunAsync("creeping", Utc(2026, 1, 20, 3, 0), TimeSpan.FromMinutes(1), RunOutcome.Failed);
        await RecordRunAsync("creeping", Utc(2026, 1, 16, 23, 59), TimeSpan.FromMinutes(300), RunOutcome.Succeeded);
        await RecordRunAsync("creeping", Utc(2026, 1, 31, 0, 0), TimeSpan.FromMinutes(300), RunOutcome.Succeeded);
        for (var i = 1; i <= 12; i++)
        {
            await RecordRunAsync("creeping", Now.AddHours(-2 * i), TimeSpan.FromMinutes(25), RunOutcome.Succeeded);
        }

        var doubled = await new Health.HealthMonitor(Store, Clock).EvaluateAsync("creeping");
        var tripled = await new Health.HealthMonitor(Store, Clock) { RuntimeDriftFactor = 3 }.EvaluateAsync("creeping");

        var drift = Assert.Single(doubled.Reasons, r => r.Message.Contains("drifted", StringComparison.Ordinal));
        Assert.Equal(Health.HealthState.RuntimeTooLong, drift.State);
        Assert.Equal(
            "the median runtime of the last 12 successful runs (since 2026-03-01 12:00:00+00:00) is 25m, 2.5 times the median 10m of its 12 successful runs "
            + "from 2026-01-17 00:00:00+00:00 to 2026-01-31 00:00:00+00:00: its runtime has drifted to 2 times what it was a month before or more",
            drift.Message);
        Assert.Equal(TimeSpan.FromMinutes(25), drift.Facts.ObservedDuration);
        Assert.Equal(TimeSpan.FromMinutes(20), drift.Facts.LimitDuration);
        Assert.DoesNotContain(tripled.Reasons, r => r.Message.Contains("drifted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_monitor_holds_a_threshold_by_the_state_the_alert_loop_last_recorded()
    {
        // Ten runs in six hours against every hour: not above twice the schedule, but above the 1.5 times that a
        // script found running too often must fall to.
        await Store.SetExpectationAsync(new Health.ScriptExpectation("bursty") { Schedule = Health.Schedule.Every(TimeSpan.FromHours(1)), Grace = TimeSpan.FromMinutes(10) });
        await RecordRunAsync("bursty", Now.AddHours(-7), TimeSpan.FromMinutes(1), RunOutcome.Succeeded);
        for (var i = 0; i < 10; i++)
        {
            await RecordRunAsync("bursty", Now.AddMinutes(-1 - (36 * i)), TimeSpan.FromMinutes(1), RunOutcome.Succeeded);
        }

        var monitor = new Health.HealthMonitor(Store, Clock);
        Assert.Equal(Health.HealthState.Up, (await monitor.EvaluateAsync("bursty")).State);

        var lease = await Store.TryTakeLeaseAsync("contract", TimeSpan.FromMinutes(3));
        var reason = new Health.HealthReason(Health.HealthState.TooOften, null, "13 runs");
        await Store.RecordFlipAsync(new Alerts.StateFlip(0, "bursty", Now.AddMinutes(-40), Health.HealthState.Up, Health.HealthState.TooOften, reason), [], lease!);

        // Read by every way the monitor is asked: one script, a few by name, all of them.
        Assert.Equal(Health.HealthState.TooOften, (await monitor.EvaluateAsync("bursty")).State);
        Assert.Equal(Health.HealthState.TooOften, Assert.Single(await monitor.EvaluateAsync(["bursty"])).State);
        Assert.Equal(Health.HealthState.TooOften, Assert.Single(await monitor.EvaluateAsync(Enumerable.Range(0, 20).Select(i => $"other-{i}").Append("bursty").ToList())).State);
        Assert.Equal(Health.HealthState.TooOften, Assert.Single(await monitor.EvaluateAsync(), h => h.ScriptName == "bursty").State);

        // The loop's own memory, where it is given, rules over the store.
        Assert.Equal(Health.HealthState.Up, (await new Health.HealthMonitor(Store, Clock) { RecordedReasons = _ => new Health.HealthReason(Health.HealthState.Up, null, "up") }.EvaluateAsync("bursty")).State);

        await Store.RecordFlipAsync(new Alerts.StateFlip(0, "bursty", Now.AddMinutes(-5), Health.HealthState.TooOften, Health.HealthState.Up, new Health.HealthReason(Health.HealthState.Up, null, "up")), [], lease!);
        Assert.Equal(Health.HealthState.Up, (await monitor.EvaluateAsync("bursty")).State);
    }

    [Fact]
    public async Task Runtime_statistics_of_an_empty_window_are_zero()
    {
        var stats = await Store.GetRuntimeStatisticsAsync("never", Now.AddDays(-1), Now);

        Assert.Equal(RuntimeStatistics.Empty, stats);
    }

    [Fact]
    public async Task Importing_the_same_run_twice_stores_it_once()
    {
        var run = new ScriptRun(Guid.NewGuid(), "spooled", "web1", Utc(2026, 3, 1, 1, 0), Utc(2026, 3, 1, 1, 2), RunOutcome.Succeeded, 0, "done");

        Assert.True(await Store.ImportRunAsync(run));
        Assert.False(await Store.ImportRunAsync(run));

        var stored = Assert.Single(await Store.ListRunsAsync(new RunQuery("spooled")));
        Assert.Equal(run, stored);
        Assert.Equal(run.ToActivity(), await Store.GetLastActivityAsync("spooled"));
    }

    [Fact]
    public async Task Importing_the_completion_of_a_running_run_completes_it_and_keeps_its_timestamps()
    {
        var started = await Store.RecordStartAsync("spooled", Utc(2026, 3, 1, 1, 0), "web1");
        var completion = started with { CompletedAt = Utc(2026, 3, 1, 1, 3), Outcome = RunOutcome.Failed, ExitCode = 2, Output = "boom" };

        Assert.True(await Store.ImportRunAsync(completion));
        Assert.False(await Store.ImportRunAsync(started));

        Assert.Equal(completion, Assert.Single(await Store.ListRunsAsync(new RunQuery("spooled"))));
    }

    [Fact]
    public async Task Prune_deletes_old_runs_but_keeps_the_last_N_and_every_last_success()
    {
        for (var day = 1; day <= 10; day++)
        {
            await RecordRunAsync("daily", Utc(2026, 2, day, 2, 0), TimeSpan.FromMinutes(1), RunOutcome.Succeeded);
        }

        for (var day = 1; day <= 10; day++)
        {
            await RecordRunAsync("broken", Utc(2026, 2, day, 3, 0), TimeSpan.FromMinutes(1), day == 1 ? RunOutcome.Succeeded : RunOutcome.Failed);
        }

        await RecordRunAsync("stuck", Utc(2026, 2, 1, 4, 0), TimeSpan.Zero, RunOutcome.Running);

        var deleted = await Store.PruneAsync(olderThan: Utc(2026, 2, 9, 0, 0), keepLast: 3);

        var daily = await Store.ListRunsAsync(new RunQuery("daily"));
        var broken = await Store.ListRunsAsync(new RunQuery("broken"));
        Assert.Equal([10, 9, 8], daily.Select(r => r.StartedAt.Day));
        Assert.Equal([10, 9, 8, 1], broken.Select(r => r.StartedAt.Day));
        Assert.Equal(Utc(2026, 2, 1, 3, 0), (await Store.GetLastActivityAsync("broken"))!.DateStarted);
        Assert.Single(await Store.ListRunsAsync(new RunQuery("stuck")));
        Assert.Equal(13, deleted);
    }

    [Fact]
    public async Task Pruning_output_clears_the_output_of_old_completed_runs_and_keeps_the_runs()
    {
        var old = await Store.RecordFailureAsync("nightly", Utc(2026, 2, 1, 2, 0), Utc(2026, 2, 1, 2, 5), exitCode: 2, message: "disk full", hostname: "db1");
        var recent = await Store.RecordFailureAsync("nightly", Utc(2026, 2, 20, 2, 0), Utc(2026, 2, 20, 2, 5), exitCode: 2, message: "disk full again", hostname: "db1");
        var running = await Store.RecordStartAsync("nightly", Utc(2026, 2, 2, 2, 0), "db2");

        var cleared = await Store.PruneOutputAsync(Utc(2026, 2, 10, 0, 0));
        var again = await Store.PruneOutputAsync(Utc(2026, 2, 10, 0, 0));

        var runs = (await Store.ListRunsAsync(new RunQuery("nightly"))).ToDictionary(r => r.RunId);
        Assert.Equal(1, cleared);
        Assert.Equal(0, again);
        Assert.Equal(3, runs.Count);
        Assert.Null(runs[old.RunId].Output);
        Assert.Equal(RunOutcome.Failed, runs[old.RunId].Outcome);
        Assert.Equal(2, runs[old.RunId].ExitCode);
        Assert.Equal("disk full again", runs[recent.RunId].Output);
        Assert.Equal(RunOutcome.Running, runs[running.RunId].Outcome);
    }

    [Fact]
    public async Task Prune_with_nothing_old_deletes_nothing()
    {
        await RecordRunAsync("daily", Utc(2026, 3, 1, 2, 0), TimeSpan.FromMinutes(1), RunOutcome.Failed);

        Assert.Equal(0, await Store.PruneAsync(Utc(2026, 2, 1, 0, 0)));
        Assert.Single(await Store.ListRunsAsync(new RunQuery("daily")));
    }

    [Fact]
    public async Task Prune_refuses_a_negative_keep_count()
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.PruneAsync(Now, -1));

        Assert.Equal("keepLast", error.ParamName);
    }

    [Fact]
    public async Task Store_info_tells_the_schema_version_and_what_it_holds()
    {
        await RecordRunAsync("a", Utc(2026, 3, 1, 1, 0), TimeSpan.FromMinutes(1), RunOutcome.Succeeded);
        await RecordRunAsync("a", Utc(2026, 3, 1, 2, 0), TimeSpan.FromMinutes(1), RunOutcome.Failed);
        await RecordRunAsync("b", Utc(2026, 3, 1, 3, 0), TimeSpan.FromMinutes(1), RunOutcome.Running);

        var info = await Store.GetInfoAsync();

        Assert.Equal(info.LatestSchemaVersion, info.SchemaVersion);
        Assert.True(info.SchemaVersion >= 1);
        Assert.Equal(3, info.RunCount);
        Assert.Equal(2, info.ScriptCount);
        Assert.Equal(Store.Description, info.Description);
    }
}

using ScriptMonitor.Runs;

namespace ScriptMonitor.Storage.Tests.Contract;

/// <summary>Who runs a run, runs found abandoned, runs completed late, and runs skipped because the lock was held.</summary>
public abstract partial class ScriptRunStoreContract
{
    private static readonly RunnerProcess Runner = new("6f1c2a4e-8d1b-4e55-9a0c-3b7f1e2d4c5a", 4242, 987_654_321, "pid:[4026531836]");

    [Fact]
    public async Task A_started_run_keeps_its_runner()
    {
        var started = await Store.RecordStartAsync("backup", Utc(2026, 3, 1, 2, 0), "db1", runner: Runner);

        var running = Assert.Single(await Store.ListRunningAsync("db1"));
        var listed = Assert.Single(await Store.ListRunsAsync(new RunQuery("backup")));
        Assert.Equal(Runner, started.Runner);
        Assert.Equal(Runner, running.Runner);
        Assert.Equal(Runner, listed.Runner);
    }

    [Fact]
    public async Task A_run_without_a_runner_reads_back_without_one()
    {
        await Store.RecordStartAsync("backup", Utc(2026, 3, 1, 2, 0), "db1");

        Assert.Null(Assert.Single(await Store.ListRunningAsync()).Runner);
    }

    [Theory]
    [InlineData(0, 1L, "boot", "ns")]
    [InlineData(-5, 1L, "boot", "ns")]
    [InlineData(10, -1L, "boot", "ns")]
    [InlineData(10, 1L, "", "ns")]
    [InlineData(10, 1L, "boot", " ")]
    [InlineData(10, 1L, "bo\not", "ns")]
    public async Task A_malformed_runner_is_refused_and_nothing_is_written(int pid, long startTime, string bootId, string pidNamespace)
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            Store.RecordStartAsync("backup", Utc(2026, 3, 1, 2, 0), "db1", runner: new RunnerProcess(bootId, pid, startTime, pidNamespace)));

        Assert.StartsWith("runner", error.ParamName, StringComparison.Ordinal);
        Assert.Empty(await Store.ListRunningAsync());
    }

    [Fact]
    public async Task ListRunning_gives_runs_in_progress_of_every_script_oldest_first_and_filters_by_host()
    {
        await Store.RecordStartAsync("report", Utc(2026, 3, 1, 3, 0), "web1");
        await Store.RecordStartAsync("backup", Utc(2026, 3, 1, 2, 0), "db1");
        await Store.RecordStartAsync("backup", Utc(2026, 3, 1, 1, 0), "web1");
        await Store.RecordSuccessAsync("backup", Utc(2026, 3, 1, 0, 0), Utc(2026, 3, 1, 0, 5), "web1");

        var all = await Store.ListRunningAsync();
        var web1 = await Store.ListRunningAsync("web1");

        Assert.Equal([Utc(2026, 3, 1, 1, 0), Utc(2026, 3, 1, 2, 0), Utc(2026, 3, 1, 3, 0)], all.Select(r => r.StartedAt));
        Assert.Equal(["backup", "report"], web1.Select(r => r.ScriptName));
    }

    [Fact]
    public async Task Abandoning_a_running_run_ends_it_with_the_reason_after_its_output()
    {
        var started = await Store.RecordStartAsync("backup", Utc(2026, 3, 1, 2, 0), "db1", runner: Runner);

        var marked = await Store.AbandonRunAsync(started.RunId, Utc(2026, 3, 1, 9, 0), "the process is gone (the host rebooted)");

        var run = Assert.Single(await Store.ListRunsAsync(new RunQuery("backup")));
        Assert.True(marked);
        Assert.Equal(RunOutcome.Abandoned, run.Outcome);
        Assert.Equal(Utc(2026, 3, 1, 9, 0), run.CompletedAt);
        Assert.Equal("[abandoned] the process is gone (the host rebooted)", run.Output);
        Assert.Empty(await Store.ListRunningAsync());
    }

    [Fact]
    public async Task Abandoning_a_run_that_completed_changes_nothing()
    {
        var started = await Store.RecordStartAsync("backup", Utc(2026, 3, 1, 2, 0), "db1");
        await Store.CompleteRunAsync(started.RunId, Utc(2026, 3, 1, 2, 10), RunOutcome.Succeeded, 0);

        var marked = await Store.AbandonRunAsync(started.RunId, Utc(2026, 3, 1, 9, 0), "presumed gone");

        Assert.False(marked);
        Assert.Equal(RunOutcome.Succeeded, Assert.Single(await Store.ListRunsAsync(new RunQuery("backup"))).Outcome);
    }

    [Fact]
    public async Task Abandoning_an_unknown_run_says_so()
    {
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.AbandonRunAsync(Guid.NewGuid(), Utc(2026, 3, 1, 9, 0), "gone"));
    }

    [Fact]
    public async Task Abandoning_before_the_start_is_refused()
    {
        var started = await Store.RecordStartAsync("backup", Utc(2026, 3, 1, 2, 0), "db1");

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.AbandonRunAsync(started.RunId, Utc(2026, 3, 1, 1, 0), "gone"));
        Assert.Single(await Store.ListRunningAsync());
    }

    [Fact]
    public async Task A_late_completion_replaces_abandoned()
    {
        var started = await Store.RecordStartAsync("backup", Utc(2026, 3, 1, 2, 0), "db1");
        await Store.AbandonRunAsync(started.RunId, Utc(2026, 3, 1, 9, 0), "outlived its bound");

        var completed = await Store.CompleteRunAsync(started.RunId, Utc(2026, 3, 1, 10, 0), RunOutcome.Succeeded, 0, "done");

        var run = Assert.Single(await Store.ListRunsAsync(new RunQuery("backup")));
        Assert.Equal(RunOutcome.Succeeded, completed.Outcome);
        Assert.Equal((RunOutcome.Succeeded, Utc(2026, 3, 1, 10, 0), "done"), (run.Outcome, run.CompletedAt, run.Output));
        Assert.Equal(Utc(2026, 3, 1, 2, 0), (await Store.GetLastActivityAsync("backup"))?.DateStarted);
    }

    [Fact]
    public async Task A_late_delivery_from_a_spool_replaces_abandoned_but_an_abandonment_never_replaces_a_completion()
    {
        var started = await Store.RecordStartAsync("backup", Utc(2026, 3, 1, 2, 0), "db1");
        await Store.AbandonRunAsync(started.RunId, Utc(2026, 3, 1, 9, 0), "the process is gone");
        var delivered = started with { CompletedAt = Utc(2026, 3, 1, 3, 0), Outcome = RunOutcome.Failed, ExitCode = 2, Output = "late" };

        Assert.True(await Store.ImportRunAsync(delivered));
        Assert.False(await Store.ImportRunAsync(delivered with { CompletedAt = Utc(2026, 3, 1, 9, 30), Outcome = RunOutcome.Abandoned }));

        var run = Assert.Single(await Store.ListRunsAsync(new RunQuery("backup")));
        Assert.Equal((RunOutcome.Failed, 2, "late"), (run.Outcome, run.ExitCode, run.Output));
    }

    [Fact]
    public async Task A_completed_run_cannot_be_completed_again_but_can_be_closed_as_abandoned_only_while_open()
    {
        var started = await Store.RecordStartAsync("backup", Utc(2026, 3, 1, 2, 0), "db1");
        await Store.CompleteRunAsync(started.RunId, Utc(2026, 3, 1, 3, 0), RunOutcome.Abandoned, output: "closed by an operator");

        await Store.CompleteRunAsync(started.RunId, Utc(2026, 3, 1, 4, 0), RunOutcome.Failed, 1);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.CompleteRunAsync(started.RunId, Utc(2026, 3, 1, 5, 0), RunOutcome.Abandoned));

        Assert.Equal(RunOutcome.Failed, Assert.Single(await Store.ListRunsAsync(new RunQuery("backup"))).Outcome);
    }

    [Fact]
    public async Task A_skip_is_stored_once_and_listed_newest_first()
    {
        var first = new ScriptSkip(Guid.NewGuid(), "backup", "db1", Utc(2026, 3, 1, 2, 0), "pid 4242 since 2026-03-01T01:00:00Z");
        var second = first with { EventId = Guid.NewGuid(), SkippedAt = Utc(2026, 3, 1, 3, 0) };

        Assert.True(await Store.RecordSkipAsync(first));
        Assert.True(await Store.RecordSkipAsync(second));
        Assert.False(await Store.RecordSkipAsync(first));

        var skips = await Store.ListSkipsAsync("backup");
        Assert.Equal([second, first], skips);
        Assert.Equal([second], await Store.ListSkipsAsync("backup", since: Utc(2026, 3, 1, 2, 30)));
        Assert.Equal([second], await Store.ListSkipsAsync("backup", limit: 1));
        Assert.Empty(await Store.ListRunsAsync(new RunQuery("backup")));
        Assert.Null(await Store.GetLastActivityAsync("backup"));
    }

    [Fact]
    public async Task A_script_known_only_by_its_skips_is_listed()
    {
        await Store.RecordSkipAsync(new ScriptSkip(Guid.NewGuid(), "stuck", "db1", Utc(2026, 3, 1, 2, 0), "pid 1"));

        var script = Assert.Single(await Store.ListScriptsAsync());
        Assert.Equal(("stuck", null, null), (script.Name, script.LastSuccess, script.LastFailure));
    }

    [Fact]
    public async Task A_skip_keeps_its_holder_on_one_line_within_the_bound()
    {
        var holder = "pid 4242\nsince then " + new string('x', 2 * ScriptSkip.MaxHolderLength);
        await Store.RecordSkipAsync(new ScriptSkip(Guid.NewGuid(), "backup", "db1", Utc(2026, 3, 1, 2, 0), holder));

        var stored = Assert.Single(await Store.ListSkipsAsync("backup")).Holder;
        Assert.Equal(ScriptSkip.MaxHolderLength, stored.Length);
        Assert.StartsWith("pid 4242 since then", stored, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "db1", "skip.ScriptName")]
    [InlineData("backup", " db1", "skip.Hostname")]
    [InlineData("back\u0007up", "db1", "skip.ScriptName")]
    public async Task A_skip_with_a_bad_name_is_refused_and_nothing_is_written(string name, string host, string field)
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            Store.RecordSkipAsync(new ScriptSkip(Guid.NewGuid(), name, host, Utc(2026, 3, 1, 2, 0), "pid 1")));

        Assert.Equal(field, error.ParamName);
        Assert.Empty(await Store.ListScriptsAsync());
    }

    [Fact]
    public async Task A_skip_far_in_the_future_is_refused()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            Store.RecordSkipAsync(new ScriptSkip(Guid.NewGuid(), "backup", "db1", Now.AddDays(3), "pid 1")));
    }

    [Fact]
    public async Task Prune_deletes_old_abandoned_runs_and_old_skips()
    {
        var old = await Store.RecordStartAsync("backup", Utc(2026, 1, 1, 2, 0), "db1");
        await Store.AbandonRunAsync(old.RunId, Utc(2026, 1, 2, 2, 0), "gone");
        await Store.RecordSuccessAsync("backup", Utc(2026, 2, 20, 2, 0), Utc(2026, 2, 20, 2, 5), "db1");
        await Store.RecordSkipAsync(new ScriptSkip(Guid.NewGuid(), "backup", "db1", Utc(2026, 1, 1, 3, 0), "pid 1"));
        var recent = new ScriptSkip(Guid.NewGuid(), "backup", "db1", Utc(2026, 2, 25, 3, 0), "pid 2");
        await Store.RecordSkipAsync(recent);

        var deleted = await Store.PruneAsync(Utc(2026, 2, 1, 0, 0));

        Assert.Equal(1, deleted);
        Assert.Equal(RunOutcome.Succeeded, Assert.Single(await Store.ListRunsAsync(new RunQuery("backup"))).Outcome);
        Assert.Equal([recent], await Store.ListSkipsAsync("backup"));
    }
}

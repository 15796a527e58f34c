using ScriptMonitor.Runs;

namespace ScriptMonitor.Storage.Tests.Contract;

public abstract partial class ScriptRunStoreContract
{
    private static ScriptRun Finished(string script, string host, DateTimeOffset started, RunOutcome outcome = RunOutcome.Succeeded, int? exitCode = 0, string? output = "ok") =>
        new(Guid.NewGuid(), script, host, started, started.AddMinutes(2), outcome, exitCode, output);

    [Fact]
    public async Task A_batch_stores_new_runs_recognises_retries_and_reports_conflicts_and_bad_runs_without_failing_the_others()
    {
        var stored = Finished("backup", "db1", Utc(2026, 3, 1, 1, 0));
        await Store.ImportRunAsync(stored);
        var fresh = Finished("backup", "db1", Utc(2026, 3, 1, 2, 0));
        var otherScript = stored with { ScriptName = "restore" };
        var otherExit = stored with { Outcome = RunOutcome.Failed, ExitCode = 3 };
        var broken = Finished("backup", "db1", Utc(2026, 3, 1, 3, 0)) with { ScriptName = " padded " };
        var start = new ScriptRun(Guid.NewGuid(), "backup", "db2", Utc(2026, 3, 1, 4, 0), null, RunOutcome.Running, null, null);

        var results = await Store.ImportRunsAsync([new(fresh), new(stored), new(otherScript), new(otherExit), new(broken), new(start)]);

        Assert.Equal(
            [RunImportStatus.Stored, RunImportStatus.AlreadyStored, RunImportStatus.Conflict, RunImportStatus.Conflict, RunImportStatus.Invalid, RunImportStatus.Stored],
            results.Select(r => r.Status));
        Assert.Equal([fresh.RunId, stored.RunId, stored.RunId, stored.RunId, broken.RunId, start.RunId], results.Select(r => r.RunId));
        Assert.Contains("script 'backup', not 'restore'", results[2].Detail, StringComparison.Ordinal);
        Assert.Contains("outcome succeeded, not failed", results[3].Detail, StringComparison.Ordinal);
        Assert.Contains("exit code 0, not 3", results[3].Detail, StringComparison.Ordinal);
        Assert.Equal("run.ScriptName", Assert.Single(results[4].Errors).Path);
        var runs = await Store.ListRunsAsync(new RunQuery("backup"));
        Assert.Equal([start.RunId, fresh.RunId, stored.RunId], runs.Select(r => r.RunId));
        Assert.Equal(stored, runs[2]);
        Assert.Empty(await Store.ListRunsAsync(new RunQuery("restore")));
    }

    [Fact]
    public async Task A_start_then_its_completion_in_later_batches_completes_the_run_and_a_late_start_changes_nothing()
    {
        var start = new ScriptRun(Guid.NewGuid(), "report", "web1", Utc(2026, 3, 1, 1, 0), null, RunOutcome.Running, null, null);
        var end = start with { CompletedAt = Utc(2026, 3, 1, 1, 5), Outcome = RunOutcome.Failed, ExitCode = 2, Output = "boom" };

        var first = await Store.ImportRunsAsync([new(start)]);
        var second = await Store.ImportRunsAsync([new(end), new(start), new(end)]);

        Assert.Equal(RunImportStatus.Stored, Assert.Single(first).Status);
        Assert.Equal([RunImportStatus.Stored, RunImportStatus.AlreadyStored, RunImportStatus.AlreadyStored], second.Select(r => r.Status));
        Assert.Equal(end, Assert.Single(await Store.ListRunsAsync(new RunQuery("report"))));
    }

    [Fact]
    public async Task A_run_received_by_a_server_keeps_its_receipt_time_its_delivery_and_whether_its_clock_disagreed()
    {
        var receivedAt = Now;
        var live = Finished("sync", "web1", Now.AddMinutes(-10));
        var spooled = Finished("sync", "web2", Now.AddHours(-5));
        var skewed = Finished("sync", "web3", Now.AddMinutes(4));
        var local = Finished("sync", "web4", Now.AddHours(-1));

        var results = await Store.ImportRunsAsync(
            [new(live, receivedAt), new(spooled, receivedAt, RunDeliveryKind.Spool), new(skewed, receivedAt), new(local)]);

        Assert.All(results, r => Assert.Equal(RunImportStatus.Stored, r.Status));
        var byHost = (await Store.ListRunsAsync(new RunQuery("sync"))).ToDictionary(r => r.Hostname);
        Assert.Equal(new RunArrival(receivedAt, RunDeliveryKind.Live, ClockSkew: false), byHost["web1"].Arrival);
        Assert.Equal(new RunArrival(receivedAt, RunDeliveryKind.Spool, ClockSkew: false), byHost["web2"].Arrival);
        Assert.Equal(new RunArrival(receivedAt, RunDeliveryKind.Live, ClockSkew: true), byHost["web3"].Arrival);
        Assert.Null(byHost["web4"].Arrival);
    }

    [Fact]
    public async Task Two_writers_importing_overlapping_batches_at_once_store_each_run_once()
    {
        var runs = Enumerable.Range(0, 400).Select(i => Finished($"job-{i % 7}", $"host-{i % 3}", Utc(2026, 3, 1, 0, 0).AddSeconds(i))).ToArray();
        await using var other = await ReopenStoreAsync();
        var writers = new[] { Store, other };

        // Each writer sends every run, in its own order and in its own batches, so their batches overlap everywhere.
        var results = await Task.WhenAll(writers.Select((writer, w) => Task.Run(async () =>
        {
            var mine = w == 0 ? runs : runs.Reverse().ToArray();
            var statuses = new List<RunImportStatus>();
            foreach (var batch in mine.Chunk(50))
            {
                statuses.AddRange((await writer.ImportRunsAsync([.. batch.Select(r => new RunDelivery(r, Now))])).Select(r => r.Status));
            }

            return statuses;
        })));

        var all = results.SelectMany(r => r).ToList();
        Assert.Equal(runs.Length, all.Count(s => s == RunImportStatus.Stored));
        Assert.Equal(runs.Length, all.Count(s => s == RunImportStatus.AlreadyStored));
        var stored = new List<ScriptRun>();
        for (var i = 0; i < 7; i++)
        {
            stored.AddRange(await Store.ListRunsAsync(new RunQuery($"job-{i}") { Limit = RunQuery.MaxLimit }));
        }

        Assert.Equal(runs.Select(r => r.RunId).Order(), stored.Select(r => r.RunId).Order());
    }
}

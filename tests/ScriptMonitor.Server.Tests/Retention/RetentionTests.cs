using ScriptMonitor.Application.Stores;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Tests.Support;

namespace ScriptMonitor.Server.Tests.Retention;

public sealed class RetentionTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_server_prunes_old_runs_by_itself_keeping_the_newest_and_the_last_success_and_clears_old_output()
    {
        using var folder = new TempFolder();
        var database = folder.File("scriptmon.db");
        var now = DateTimeOffset.UtcNow;
        var lastSuccess = Run("yearly-audit", now.AddDays(-300), RunOutcome.Succeeded, "audit ok");
        var failures = Enumerable.Range(1, 4).Select(i => Run("yearly-audit", now.AddDays(-300 + i), RunOutcome.Failed, $"audit failed {i}")).ToList();
        var monthOld = Run("nightly", now.AddDays(-50), RunOutcome.Failed, "disk full");
        var yesterday = Run("nightly", now.AddDays(-1), RunOutcome.Succeeded, "backed up");
        using (var store = ScriptRunStores.Open(database))
        {
            foreach (var run in failures.Prepend(lastSuccess).Append(monthOld).Append(yesterday))
            {
                await store.ImportRunAsync(run);
            }
        }

        await using var server = await ServerProcess.Start(
            database,
            "--Server:Retention:RunDays=100",
            "--Server:Retention:KeepLastRuns=2",
            "--Server:Retention:OutputDays=10",
            "--Server:Retention:Interval=00:00:01").WaitUntilListeningAsync();

        var (audit, nightly) = await PollAsync(database, (audit, nightly) => audit.Count == 3 && nightly.All(r => r.RunId == yesterday.RunId || r.Output is null));

        Assert.Equal([failures[3].RunId, failures[2].RunId, lastSuccess.RunId], audit.Select(r => r.RunId));
        Assert.All(audit, r => Assert.Null(r.Output));
        Assert.Equal([yesterday.RunId, monthOld.RunId], nightly.Select(r => r.RunId));
        Assert.Equal("backed up", nightly[0].Output);
        Assert.Equal(RunOutcome.Failed, nightly[1].Outcome);
        // The pass logs its counts after its last commit, so the store can show its work a moment before the log does.
        Assert.True(await server.WaitForOutputAsync("Retention: deleted 2 runs older than 100 days", Bound), server.Output);
    }

    private static ScriptRun Run(string script, DateTimeOffset started, RunOutcome outcome, string output) =>
        new(Guid.NewGuid(), script, "db1", started, started.AddMinutes(5), outcome, outcome == RunOutcome.Succeeded ? 0 : 1, output);

    private static async Task<(IReadOnlyList<ScriptRun> Audit, IReadOnlyList<ScriptRun> Nightly)> PollAsync(
        string database, Func<IReadOnlyList<ScriptRun>, IReadOnlyList<ScriptRun>, bool> done)
    {
        var deadline = DateTimeOffset.UtcNow + Bound;
        while (true)
        {
            using (var store = ScriptRunStores.Open(database))
            {
                var audit = await store.ListRunsAsync(new RunQuery("yearly-audit"));
                var nightly = await store.ListRunsAsync(new RunQuery("nightly"));
                if (done(audit, nightly) || DateTimeOffset.UtcNow > deadline)
                {
                    return (audit, nightly);
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }
}

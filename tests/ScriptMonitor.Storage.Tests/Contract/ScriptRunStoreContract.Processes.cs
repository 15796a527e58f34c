using ScriptMonitor.Application.Stores;
using ScriptMonitor.Runs;
using ScriptMonitor.Storage.Tests.Support;

namespace ScriptMonitor.Storage.Tests.Contract;

/// <summary>Many writers at once: processes that each open the store, and threads that share one instance.</summary>
public abstract partial class ScriptRunStoreContract
{
    [Fact]
    public async Task Eight_processes_writing_500_runs_each_into_one_new_store_lose_nothing()
    {
        const int Writers = 8;
        const int RunsPerWriter = 500;
        var setting = NewStoreSetting();

        var processes = Enumerable.Range(0, Writers)
            .Select(i => Fixtures.StartRunWriter(setting, $"writer-{i % 2}", $"host-{i}", RunsPerWriter))
            .ToList();
        foreach (var process in processes)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"writer exited {process.ExitCode}: {await stderr}");
            process.Dispose();
        }

        await using var store = ScriptRunStores.Open(ScriptRunStores.Parse(setting), Clock);
        var info = await store.GetInfoAsync();
        Assert.Equal(Writers * RunsPerWriter, info.RunCount);
        Assert.Equal(2, info.ScriptCount);
        for (var i = 0; i < Writers; i++)
        {
            var runs = await store.ListRunsAsync(new RunQuery($"writer-{i % 2}") { Hostname = $"host-{i}", Limit = RunQuery.MaxLimit });
            Assert.Equal(RunsPerWriter, runs.Count);
            Assert.Equal(RunsPerWriter, runs.Select(r => r.StartedAt).Distinct().Count());
        }
    }

    [Fact]
    public async Task Threads_sharing_one_store_instance_lose_nothing()
    {
        var start = Utc(2026, 1, 1, 0, 0);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                var run = await Store.RecordStartAsync("threaded", start.AddSeconds(i), $"thread-{t}");
                await Store.CompleteRunAsync(run.RunId, start.AddSeconds(i + 1), RunOutcome.Succeeded);
            }
        })));

        Assert.Equal(400, (await Store.ListRunsAsync(new RunQuery("threaded") { Outcome = RunOutcome.Succeeded, Limit = 1000 })).Count);
    }
}

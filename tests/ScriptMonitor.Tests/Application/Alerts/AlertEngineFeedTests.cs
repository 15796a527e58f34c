using System.Reflection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ScriptMonitor.Alerts;
using ScriptMonitor.Application.Alerts;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;
using ScriptMonitor.Sqlite;
using ScriptMonitor.Testing;

namespace ScriptMonitor.Tests.Application.Alerts;

/// <summary>
/// The alert loop's reading of the change feed where commits become visible out of number order (PostgreSQL): a
/// change numbered below the cursor, invisible at one read, is read at the next.
/// </summary>
public sealed class AlertEngineFeedTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_change_that_became_visible_after_a_read_past_its_number_is_read_at_the_next_tick_however_long_the_tick()
    {
        var clock = new FakeTimeProvider(Start);
        using var sqlite = SqliteScriptRunStore.Open(_directory.File("runs.db"), new SqliteStoreOptions { TimeProvider = clock });
        var store = HidingStore.Wrap(sqlite);
        var hourly = TimeSpan.FromHours(1);
        foreach (var name in new[] { "early", "late" })
        {
            await store.SetExpectationAsync(new ScriptExpectation(name) { Schedule = Schedule.Every(hourly), Grace = TimeSpan.FromMinutes(10) });
            await Record(store, name, Start.AddMinutes(-30), RunOutcome.Succeeded);
        }

        // Ticks a minute apart with a lag of 5 seconds: longer than the lag, as the settings allow.
        var engine = new AlertEngine(store, new AlertOptions { TickMilliseconds = 60_000, FeedLagSeconds = 5 }, feedInCommitOrder: false, clock, NullLogger.Instance, "test");
        Assert.True(await engine.TickAsync(CancellationToken.None));

        // "early" fails and is numbered first, but its commit is not yet visible when "late"'s is read.
        clock.Advance(TimeSpan.FromSeconds(30));
        var hidden = await Record(store, "early", clock.GetUtcNow().AddSeconds(-5), RunOutcome.Failed);
        await Record(store, "late", clock.GetUtcNow().AddSeconds(-5), RunOutcome.Succeeded);
        HidingStore.Of(store).Hide(hidden);
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True(await engine.TickAsync(CancellationToken.None));
        Assert.DoesNotContain(await store.ListFlipsAsync("early"), f => f.To == HealthState.Failing);

        HidingStore.Of(store).RevealAll();
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.True(await engine.TickAsync(CancellationToken.None));

        Assert.Contains(await store.ListFlipsAsync("early"), f => f.To == HealthState.Failing);
    }

    /// <summary>Records one run, and returns the number the change feed gave the script for it.</summary>
    private static async Task<long> Record(IScriptRunStore store, string name, DateTimeOffset started, RunOutcome outcome)
    {
        await store.ImportRunsAsync([new RunDelivery(new ScriptRun(Guid.NewGuid(), name, "db1", started, started.AddSeconds(1), outcome, outcome == RunOutcome.Failed ? 1 : 0, null))]);
        var changes = await store.ReadChangesAsync(0, RunQuery.MaxLimit);
        return changes.Where(c => c.ScriptName == name).Max(c => c.Sequence);
    }

    /// <summary>A store whose change feed leaves out the numbers it is told to, as PostgreSQL does a commit still in flight.</summary>
    public class HidingStore : DispatchProxy
    {
        private readonly HashSet<long> _hidden = [];
        private IScriptRunStore _inner = null!;

        internal static IScriptRunStore Wrap(IScriptRunStore inner)
        {
            var proxy = Create<IScriptRunStore, HidingStore>();
            ((HidingStore)(object)proxy)._inner = inner;
            return proxy;
        }

        internal static HidingStore Of(IScriptRunStore store) => (HidingStore)(object)store;

        internal void Hide(long sequence) => _hidden.Add(sequence);

        internal void RevealAll() => _hidden.Clear();

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var result = targetMethod!.Invoke(_inner, args);
            if (targetMethod.Name == nameof(IScriptRunStore.ReadChangesAsync) && _hidden.Count > 0)
            {
                return Filter((Task<IReadOnlyList<ScriptChange>>)result!);
            }

            return result;
        }

        private async Task<IReadOnlyList<ScriptChange>> Filter(Task<IReadOnlyList<ScriptChange>> changes) =>
            [.. (await changes).Where(c => !_hidden.Contains(c.Sequence))];
    }
}

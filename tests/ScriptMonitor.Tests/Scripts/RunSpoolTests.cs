using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using ScriptMonitor.Runs;
using ScriptMonitor.Scripts.Spooling;
using ScriptMonitor.Sqlite;

namespace ScriptMonitor.Tests.Scripts;

public sealed class RunSpoolTests : IDisposable
{
    private static readonly DateTimeOffset Started = new(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("scriptmon-spool-");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger _logger = new();
    private readonly RunSpool _spool;

    public RunSpoolTests()
    {
        _spool = new RunSpool(Path.Combine(_directory.FullName, "spool"), _clock, _logger);
    }

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task A_spooled_run_is_delivered_once_with_its_original_timestamps()
    {
        var run = Succeeded("backup", Started, TimeSpan.FromMinutes(3) + TimeSpan.FromMicroseconds(17));
        _spool.Add(run, "store unavailable");
        await using var store = OpenStore();

        var first = await _spool.DeliverAsync(store, CancellationToken.None);
        var second = await _spool.DeliverAsync(store, CancellationToken.None);

        Assert.Equal(new SpoolDelivery(1, 0, 0, 0, null), first);
        Assert.Equal(new SpoolDelivery(0, 0, 0, 0, null), second);
        Assert.Equal(run.ToActivity(), await store.GetLastActivityAsync("backup"));
        Assert.Single(await store.ListRunsAsync(new RunQuery("backup")));
        Assert.Empty(_spool.List());
    }

    [Fact]
    public async Task A_delivery_interrupted_after_storing_stores_nothing_twice()
    {
        var run = Succeeded("backup", Started, TimeSpan.FromMinutes(3));
        var path = _spool.Add(run, null);
        await using var store = OpenStore();
        await store.ImportRunAsync(run);

        var delivery = await _spool.DeliverAsync(store, CancellationToken.None);

        Assert.Equal(new SpoolDelivery(0, 1, 0, 0, null), delivery);
        Assert.False(File.Exists(path));
        Assert.Single(await store.ListRunsAsync(new RunQuery("backup")));
    }

    [Fact]
    public async Task A_start_and_its_completion_spooled_separately_end_as_one_completed_run()
    {
        var completed = Succeeded("report", Started, TimeSpan.FromSeconds(42));
        _spool.Add(completed with { CompletedAt = null, Outcome = RunOutcome.Running }, null);
        _clock.Advance(TimeSpan.FromSeconds(42));
        _spool.Add(completed, null);
        await using var store = OpenStore();

        var delivery = await _spool.DeliverAsync(store, CancellationToken.None);

        Assert.Equal(2, delivery.Delivered);
        Assert.Equal(completed, Assert.Single(await store.ListRunsAsync(new RunQuery("report"))));
    }

    [Fact]
    public async Task Entries_are_listed_oldest_first_and_survive_until_delivered()
    {
        _spool.Add(Succeeded("a", Started, TimeSpan.FromSeconds(1)), "db down");
        _clock.Advance(TimeSpan.FromSeconds(1));
        _spool.Add(Succeeded("b", Started, TimeSpan.FromSeconds(1)), "db down");

        var entries = _spool.List();

        Assert.Equal(["a", "b"], entries.Select(e => e.Entry.ScriptName));
        Assert.All(entries, e => Assert.Equal("db down", e.Entry.Reason));
        Assert.Empty(Directory.GetFiles(_spool.Directory, "*.tmp"));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_store_that_fails_leaves_the_entries_for_next_time()
    {
        _spool.Add(Succeeded("a", Started, TimeSpan.FromSeconds(1)), null);
        var store = OpenStore();
        await store.DisposeAsync();

        var delivery = await _spool.DeliverAsync(store, CancellationToken.None);

        Assert.Equal(1, delivery.Remaining);
        Assert.NotNull(delivery.Error);
        Assert.Single(_spool.List());
    }

    [Fact]
    public async Task An_entry_the_store_refuses_is_moved_aside_and_the_rest_delivered()
    {
        _spool.Add(Succeeded("bad\nname", Started, TimeSpan.FromSeconds(1)), null);
        _clock.Advance(TimeSpan.FromSeconds(1));
        _spool.Add(Succeeded("good", Started, TimeSpan.FromSeconds(1)), null);
        await using var store = OpenStore();

        var delivery = await _spool.DeliverAsync(store, CancellationToken.None);

        Assert.Equal(new SpoolDelivery(1, 0, 1, 0, null), delivery);
        Assert.Single(Directory.GetFiles(Path.Combine(_spool.Directory, "rejected")));
    }

    [Fact]
    public async Task A_corrupt_entry_is_left_in_place_with_a_warning_and_does_not_block_the_rest()
    {
        Directory.CreateDirectory(_spool.Directory);
        await File.WriteAllTextAsync(Path.Combine(_spool.Directory, "0000000000000000001-x-succeeded.run.json"), "{ truncated");
        _spool.Add(Succeeded("good", Started, TimeSpan.FromSeconds(1)), null);
        await using var store = OpenStore();

        var delivery = await _spool.DeliverAsync(store, CancellationToken.None);

        Assert.Equal(1, delivery.Delivered);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Message.Contains("cannot be read", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_spooled_skip_is_delivered_once_beside_the_runs()
    {
        var skip = new ScriptSkip(Guid.NewGuid(), "backup", "web1", Started, "pid 4242 since 2026-03-02T01:00:00Z");
        var entry = _spool.AddSkip(skip, "store unavailable");
        _spool.Add(Succeeded("backup", Started.AddHours(1), TimeSpan.FromMinutes(1)), "store unavailable");
        Assert.True(_spool.HasWaitingEntries());
        Assert.Equal(skip, Assert.Single(_spool.ListSkips()).Entry.ToSkip());
        Assert.Single(_spool.List());
        await using var store = OpenStore();
        await store.RecordSkipAsync(skip);

        var delivery = await _spool.DeliverAsync(store, CancellationToken.None);

        Assert.Equal(new SpoolDelivery(1, 1, 0, 0, null), delivery);
        Assert.False(File.Exists(entry));
        Assert.False(_spool.HasWaitingEntries());
        Assert.Equal([skip], await store.ListSkipsAsync("backup"));
    }

    private static ScriptRun Succeeded(string name, DateTimeOffset started, TimeSpan duration) =>
        new(Guid.NewGuid(), name, "web1", started, started + duration, RunOutcome.Succeeded, 0, null);

    private SqliteScriptRunStore OpenStore() =>
        SqliteScriptRunStore.Open(Path.Combine(_directory.FullName, "runs.db"), new SqliteStoreOptions { TimeProvider = _clock });
}

using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using ScriptMonitor.Runs;
using ScriptMonitor.Application.Recording;
using ScriptMonitor.Application.Spooling;
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

        var first = await _spool.DeliverAsync(new StoreRunRecording(store), CancellationToken.None);
        var second = await _spool.DeliverAsync(new StoreRunRecording(store), CancellationToken.None);

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

        var delivery = await _spool.DeliverAsync(new StoreRunRecording(store), CancellationToken.None);

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

        var delivery = await _spool.DeliverAsync(new StoreRunRecording(store), CancellationToken.None);

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

        var delivery = await _spool.DeliverAsync(new StoreRunRecording(store), CancellationToken.None);

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

        var delivery = await _spool.DeliverAsync(new StoreRunRecording(store), CancellationToken.None);

        Assert.Equal(new SpoolDelivery(1, 0, 1, 0, null), delivery);
        Assert.Single(Directory.GetFiles(Path.Combine(_spool.Directory, "rejected")));
    }

    public static TheoryData<string, string> MalformedEntries => new()
    {
        { "{ truncated", "its content is not a spooled entry" },
        { "null", "it holds no entry" },
        { "[]", "its content is not a spooled entry" },
        { "{}", "its format 0 is not one this ScriptMonitor reads" },
        { """{"format":1,"scriptName":"a","hostname":"h","startedAt":"2026-03-02T02:00:00+00:00","outcome":"succeeded","spooledAt":"2026-03-02T02:00:00+00:00"}""", "its runId is missing" },
        { """{"format":1,"runId":"6f9619ff-8b86-d011-b42d-00cf4fc964ff","hostname":"h","startedAt":"2026-03-02T02:00:00+00:00","outcome":"succeeded","spooledAt":"2026-03-02T02:00:00+00:00"}""", "its scriptName is missing" },
        { """{"format":1,"runId":"6f9619ff-8b86-d011-b42d-00cf4fc964ff","scriptName":"a","startedAt":"2026-03-02T02:00:00+00:00","outcome":"succeeded","spooledAt":"2026-03-02T02:00:00+00:00"}""", "its hostname is missing" },
        { """{"format":1,"runId":"6f9619ff-8b86-d011-b42d-00cf4fc964ff","scriptName":"a","hostname":"h","outcome":"succeeded","spooledAt":"2026-03-02T02:00:00+00:00"}""", "its startedAt is missing" },
        { """{"format":1,"runId":"6f9619ff-8b86-d011-b42d-00cf4fc964ff","scriptName":"a","hostname":"h","startedAt":"2026-03-02T02:00:00+00:00","outcome":7,"spooledAt":"2026-03-02T02:00:00+00:00"}""", "its outcome 7 is not one of" },
        { """{"format":1,"runId":"6f9619ff-8b86-d011-b42d-00cf4fc964ff","scriptName":"a","hostname":"h","startedAt":"2026-03-02T02:00:00+00:00","outcome":"exploded","spooledAt":"2026-03-02T02:00:00+00:00"}""", "its content is not a spooled entry" },
        { """{"format":2,"runId":"6f9619ff-8b86-d011-b42d-00cf4fc964ff"}""", "its format 2 is not one this ScriptMonitor reads" },
    };

    [Theory]
    [MemberData(nameof(MalformedEntries))]
    public async Task A_malformed_entry_is_moved_to_rejected_once_with_one_message_and_does_not_block_the_rest(string content, string reason)
    {
        var bad = WriteEntry("0000000000000000001-x-succeeded.run.json", content);
        _spool.Add(Succeeded("good", Started, TimeSpan.FromSeconds(1)), null);
        await using var store = OpenStore();

        var first = await _spool.DeliverAsync(new StoreRunRecording(store), CancellationToken.None);
        var messages = _logger.Collector.GetSnapshot().Count;
        var second = await _spool.DeliverAsync(new StoreRunRecording(store), CancellationToken.None);

        Assert.Equal(new SpoolDelivery(1, 0, 1, 0, null), first);
        Assert.Equal(new SpoolDelivery(0, 0, 0, 0, null), second);
        Assert.False(File.Exists(bad));
        Assert.True(File.Exists(Path.Combine(_spool.Directory, "rejected", Path.GetFileName(bad))));
        var message = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Message.Contains(bad, StringComparison.Ordinal));
        Assert.Contains(reason, message.Message, StringComparison.Ordinal);
        Assert.Contains("moved to", message.Message, StringComparison.Ordinal);
        Assert.Equal(messages, _logger.Collector.GetSnapshot().Count);
    }

    [Fact]
    public async Task A_malformed_skip_entry_is_moved_to_rejected_like_a_run()
    {
        var bad = WriteEntry("0000000000000000001-x-skipped.skip.json", """{"format":1,"scriptName":"a"}""");
        await using var store = OpenStore();

        var delivery = await _spool.DeliverAsync(new StoreRunRecording(store), CancellationToken.None);

        Assert.Equal(new SpoolDelivery(0, 0, 1, 0, null), delivery);
        Assert.True(File.Exists(Path.Combine(_spool.Directory, "rejected", Path.GetFileName(bad))));
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Message.Contains("its eventId is missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Scanning_lists_unreadable_entries_with_their_reason_and_moves_and_logs_nothing()
    {
        var bad = WriteEntry("0000000000000000001-x-succeeded.run.json", "{}");
        _spool.Add(Succeeded("good", Started, TimeSpan.FromSeconds(1)), null);

        var contents = _spool.Scan();

        Assert.Equal("good", Assert.Single(contents.Entries).Entry.ScriptName);
        var unreadable = Assert.Single(contents.Unreadable);
        Assert.Equal(bad, unreadable.Path);
        Assert.True(unreadable.Malformed);
        Assert.True(File.Exists(bad));
        Assert.Empty(_logger.Collector.GetSnapshot());
    }

    [Fact]
    public async Task An_entry_that_cannot_be_read_now_stays_and_counts_as_waiting()
    {
        Directory.CreateDirectory(_spool.Directory);
        var dangling = Path.Combine(_spool.Directory, "0000000000000000001-x-succeeded.run.json");
        File.CreateSymbolicLink(dangling, Path.Combine(_directory.FullName, "gone"));
        await using var store = OpenStore();

        var delivery = await _spool.DeliverAsync(new StoreRunRecording(store), CancellationToken.None);

        Assert.Equal(1, delivery.Remaining);
        Assert.Contains("cannot be read by the user", delivery.Error, StringComparison.Ordinal);
        Assert.False(Assert.Single(_spool.Scan().Unreadable).Malformed);
    }

    [Fact]
    public async Task A_delivery_that_finds_the_lock_held_waits_and_delivers_what_the_other_left()
    {
        _spool.Add(Succeeded("a", Started, TimeSpan.FromSeconds(1)), null);
        var entry = _spool.Add(Succeeded("b", Started, TimeSpan.FromSeconds(1)), null);
        await using var store = OpenStore();
        var other = HoldDeliveryLock();

        var delivery = _spool.DeliverAsync(new StoreRunRecording(store), TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.False(delivery.IsCompleted);
        File.Delete(entry);
        other.Dispose();
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(new SpoolDelivery(1, 0, 0, 0, null), await delivery);
    }

    [Fact]
    public async Task A_delivery_that_cannot_get_the_lock_in_time_says_so_and_leaves_the_entries()
    {
        _spool.Add(Succeeded("a", Started, TimeSpan.FromSeconds(1)), null);
        await using var store = OpenStore();
        using var other = HoldDeliveryLock();

        var delivery = _spool.DeliverAsync(new StoreRunRecording(store), TimeSpan.FromSeconds(30), CancellationToken.None);
        for (var i = 0; i < 40 && !delivery.IsCompleted; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        var result = await delivery;
        Assert.Equal(1, result.Remaining);
        Assert.Contains("another process is delivering the spool", result.Error, StringComparison.Ordinal);
        Assert.Single(_spool.List());
    }

    [Fact]
    public async Task A_file_in_the_spools_place_is_a_spool_that_cannot_be_used_not_an_empty_one()
    {
        File.WriteAllText(_spool.Directory, "not a directory");
        await using var store = OpenStore();

        var scanning = Assert.Throws<SpoolUnavailableException>(() => _spool.Scan());
        var delivering = await Assert.ThrowsAsync<SpoolUnavailableException>(() => _spool.DeliverAsync(new StoreRunRecording(store), CancellationToken.None));

        Assert.Equal($"The spool {_spool.Directory} cannot be used: it is a file, not a directory.", scanning.Message);
        Assert.Equal(scanning.Message, delivering.Message);
    }

    [Fact]
    public async Task A_lock_that_cannot_be_taken_is_a_spool_problem_naming_the_spool()
    {
        _spool.Add(Succeeded("a", Started, TimeSpan.FromSeconds(1)), null);
        Directory.CreateDirectory(Path.Combine(_spool.Directory, ".delivery.lock"));
        await using var store = OpenStore();

        var error = await Assert.ThrowsAsync<SpoolUnavailableException>(() => _spool.DeliverAsync(new StoreRunRecording(store), CancellationToken.None));

        Assert.Contains($"The spool {_spool.Directory} cannot be locked", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("_", error.Message.Replace(_spool.Directory, string.Empty, StringComparison.Ordinal).Replace(".delivery.lock", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
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

        var delivery = await _spool.DeliverAsync(new StoreRunRecording(store), CancellationToken.None);

        Assert.Equal(new SpoolDelivery(1, 1, 0, 0, null), delivery);
        Assert.False(File.Exists(entry));
        Assert.False(_spool.HasWaitingEntries());
        Assert.Equal([skip], await store.ListSkipsAsync("backup"));
    }

    private static ScriptRun Succeeded(string name, DateTimeOffset started, TimeSpan duration) =>
        new(Guid.NewGuid(), name, "web1", started, started + duration, RunOutcome.Succeeded, 0, null);

    private string WriteEntry(string name, string content)
    {
        Directory.CreateDirectory(_spool.Directory);
        var path = Path.Combine(_spool.Directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Another delivery in progress: the lock that RunSpool takes, held by the test.</summary>
    private FileStream HoldDeliveryLock() =>
        new(Path.Combine(_spool.Directory, ".delivery.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

    private SqliteScriptRunStore OpenStore() =>
        SqliteScriptRunStore.Open(Path.Combine(_directory.FullName, "runs.db"), new SqliteStoreOptions { TimeProvider = _clock });
}

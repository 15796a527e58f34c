using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Cli.Tests.Support;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Cli.Tests.Commands;

public sealed class DbBackupTests : IDisposable
{
    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task A_backup_taken_while_runs_are_written_is_consistent_holds_every_earlier_run_and_restores_by_pointing_at_it()
    {
        var copy = _sandbox.File("backup.db");
        var committed = new ConcurrentQueue<Guid>();
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            using var store = ScriptRunStores.Open(_sandbox.Database);
            var started = DateTimeOffset.UtcNow.AddHours(-1);
            // Bounded so that every run stays within one page of ListRunsAsync below.
            for (var i = 0; i < RunQuery.MaxLimit - 1_000 && !stop.IsCancellationRequested; i++)
            {
                var run = new ScriptRun(Guid.NewGuid(), "nightly-backup", "db1", started.AddMilliseconds(i), started.AddMilliseconds(i + 1), RunOutcome.Succeeded, 0, "backed up");
                await store.ImportRunAsync(run);
                committed.Enqueue(run.RunId);
            }
        });
        await Sandbox.WaitUntilAsync(() => committed.Count >= 200 || writer.IsCompleted, "the writer to commit runs");
        var committedBefore = committed.ToArray();

        var backup = await _sandbox.RunAsync("db", "backup", copy);
        var committedDuring = committed.Count;
        await stop.CancelAsync();
        await writer;

        Assert.True(backup.ExitCode == 0, backup.ToString());
        Assert.Contains($"to {copy} (", backup.Stdout, StringComparison.Ordinal);
        Assert.True(committedDuring > committedBefore.Length, "the writer wrote while the backup ran");
        Assert.Equal("ok", IntegrityCheck(copy));
        Assert.Empty(Directory.GetFiles(_sandbox.Root, "*.partial"));
        using (var restored = ScriptRunStores.Open(copy))
        {
            var runs = await restored.ListRunsAsync(new RunQuery("nightly-backup") { Limit = RunQuery.MaxLimit });
            var inCopy = runs.Select(r => r.RunId).ToHashSet();
            Assert.All(committedBefore, id => Assert.Contains(id, inCopy));
        }

        _sandbox.Database = copy;
        var status = _sandbox.Run("status");
        var last = _sandbox.Run("last", "nightly-backup");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("nightly-backup", status.Stdout, StringComparison.Ordinal);
        Assert.True(last.ExitCode == 0, last.ToString());
    }

    [Fact]
    public void An_existing_file_is_replaced_only_with_force()
    {
        Assert.Equal(0, _sandbox.Run("record", "job", "--started", "2026-11-29T01:00:00Z", "--completed", "2026-11-29T01:00:05Z").ExitCode);
        var copy = _sandbox.File("backup.db");
        File.WriteAllText(copy, "yesterday's backup");

        var refused = _sandbox.Run("db", "backup", copy);
        var unchanged = File.ReadAllText(copy);
        var forced = _sandbox.Run("db", "backup", copy, "--force");

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains($"{copy} exists already; nothing was written (--force replaces it)", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal("yesterday's backup", unchanged);
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Equal("ok", IntegrityCheck(copy));
    }

    [Fact]
    public void A_postgresql_store_is_backed_up_with_pg_dump_and_nothing_is_written()
    {
        var copy = _sandbox.File("backup.db");

        var result = _sandbox.Run("--database", "Host=127.0.0.1;Port=1;Database=scriptmon;Username=scriptmon;Password=unused", "db", "backup", copy);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("back it up with pg_dump", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(copy));
    }

    private static string IntegrityCheck(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)command.ExecuteScalar()!;
    }
}

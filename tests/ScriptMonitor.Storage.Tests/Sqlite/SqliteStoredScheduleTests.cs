using Microsoft.Data.Sqlite;
using ScriptMonitor.Health;
using ScriptMonitor.Sqlite;
using ScriptMonitor.Testing;

namespace ScriptMonitor.Storage.Tests.Sqlite;

/// <summary>
/// A cron schedule stored before today's rules (one that never fires, a seconds field) is read back with its problem
/// instead of making every expectation of the store unreadable.
/// </summary>
public sealed class SqliteStoredScheduleTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("0 0 30 2 *", "never fires")]
    [InlineData("0 30 2 * * *", "has 6 fields")]
    public async Task A_stored_schedule_that_is_no_longer_accepted_is_read_with_its_problem_and_the_others_as_usual(string stored, string problem)
    {
        var path = _directory.File("runs.db");
        using (var store = SqliteScriptRunStore.Open(path))
        {
            await store.SetExpectationAsync(new ScriptExpectation("old") { Schedule = Schedule.Cron("0 0 28 2 *") });
            await store.SetExpectationAsync(new ScriptExpectation("fine") { Schedule = Schedule.Cron("30 2 * * *", "Europe/Berlin") });
        }

        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE expectations SET cron = $cron WHERE script_name = 'old'";
            update.Parameters.AddWithValue("$cron", stored);
            Assert.Equal(1, update.ExecuteNonQuery());
        }

        using var reopened = SqliteScriptRunStore.Open(path);
        var snapshots = await reopened.ReadSnapshotsAsync();
        var old = Assert.IsType<CronSchedule>((await reopened.GetExpectationAsync("old"))?.Schedule);
        var fine = Assert.IsType<CronSchedule>(snapshots.Single(s => s.ScriptName == "fine").Expectation?.Schedule);

        Assert.Equal(stored, old.Expression);
        Assert.Contains(problem, old.Problem, StringComparison.Ordinal);
        Assert.Null(fine.Problem);
        Assert.Equal(2, (await reopened.ListExpectationsAsync()).Count);
    }
}

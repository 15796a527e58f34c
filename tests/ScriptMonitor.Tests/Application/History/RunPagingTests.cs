using Microsoft.Extensions.Logging.Abstractions;
using ScriptMonitor.Application.History;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Tests.Application.History;

/// <summary>A script's runs read page by page on a SQLite file, as the CLI and the server list them.</summary>
public sealed class RunPagingTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 2, 0, 0, TimeSpan.Zero);

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("scriptmon-paging-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Paging_returns_every_run_once_newest_first_when_many_started_at_the_same_instant()
    {
        var history = await HistoryWithRunsAsync(sameStart: 5, others: 3);
        var seen = new List<(Guid RunId, string StartedAt)>();
        string? before = null;
        var pages = 0;
        do
        {
            var page = await history.ListAsync(new RunListRequest("nightly", Limit: 2) { Before = before });
            seen.AddRange(page.Runs.Select(r => (r.RunId, r.StartedAt)));
            before = page.Next;
            pages++;
        }
        while (before is not null && pages < 20);

        Assert.Equal(8, seen.Count);
        Assert.Equal(8, seen.Select(r => r.RunId).Distinct().Count());
        Assert.Equal(4, pages);
        Assert.Equal(seen.Select(r => r.StartedAt).OrderDescending(StringComparer.Ordinal), seen.Select(r => r.StartedAt));
    }

    [Fact]
    public async Task The_last_page_has_no_cursor_and_a_page_size_out_of_range_or_a_foreign_cursor_is_refused_naming_it()
    {
        var history = await HistoryWithRunsAsync(sameStart: 1, others: 1);

        var all = await history.ListAsync(new RunListRequest("nightly", Limit: 2));
        var zero = await Assert.ThrowsAsync<ValidationException>(() => history.ListAsync(new RunListRequest("nightly", Limit: 0)));
        var cursor = await Assert.ThrowsAsync<ValidationException>(() => history.ListAsync(new RunListRequest("nightly") { Before = "not-a-cursor" }));

        Assert.Equal(2, all.Runs.Count);
        Assert.Null(all.Next);
        Assert.Equal("request.Limit", Assert.Single(zero.Errors).Path);
        Assert.Equal("request.Before", Assert.Single(cursor.Errors).Path);
    }

    private async Task<StoreRunHistory> HistoryWithRunsAsync(int sameStart, int others)
    {
        var database = Path.Combine(_directory.FullName, "scriptmon.db");
        using (var store = ScriptRunStores.Open(database))
        {
            for (var i = 0; i < sameStart; i++)
            {
                await store.RecordSuccessAsync("nightly", Start, Start.AddMinutes(1), "db1");
            }

            for (var i = 1; i <= others; i++)
            {
                await store.RecordSuccessAsync("nightly", Start.AddHours(i), Start.AddHours(i).AddMinutes(1), "db1");
            }
        }

        return new StoreRunHistory(new StoreAccess(ScriptRunStores.Parse(database), TimeProvider.System), TimeProvider.System, NullLogger.Instance);
    }
}

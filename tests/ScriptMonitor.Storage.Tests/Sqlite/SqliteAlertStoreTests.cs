using ScriptMonitor.Alerts;
using ScriptMonitor.Runs;
using ScriptMonitor.Sqlite;
using ScriptMonitor.Storage.Tests.Contract;
using ScriptMonitor.Testing;

namespace ScriptMonitor.Storage.Tests.Sqlite;

/// <summary>The alert store contract against a real SQLite file in a temporary directory; the lease runs on the store's clock.</summary>
public sealed class SqliteAlertStoreTests : AlertStoreContract, IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    protected override Task<IScriptRunStore> OpenEmptyStoreAsync() =>
        Task.FromResult<IScriptRunStore>(SqliteScriptRunStore.Open(_directory.File("runs.db"), new SqliteStoreOptions { TimeProvider = Clock }));

    protected override Task LapseAsync(LeaderLease lease)
    {
        Clock.Advance(lease.ExpiresAt - Clock.GetUtcNow() + TimeSpan.FromSeconds(1));
        return Task.CompletedTask;
    }
}

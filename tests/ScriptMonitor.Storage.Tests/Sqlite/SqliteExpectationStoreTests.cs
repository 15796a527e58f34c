using ScriptMonitor.Runs;
using ScriptMonitor.Sqlite;
using ScriptMonitor.Storage.Tests.Contract;
using ScriptMonitor.Testing;

namespace ScriptMonitor.Storage.Tests.Sqlite;

/// <summary>The expectation contract against a real SQLite file in a temporary directory.</summary>
public sealed class SqliteExpectationStoreTests : ExpectationStoreContract, IDisposable
{
    private readonly TempDirectory _directory = new();

    private string DatabasePath => _directory.File("runs.db");

    public void Dispose() => _directory.Dispose();

    protected override Task<IScriptRunStore> OpenEmptyStoreAsync() =>
        Task.FromResult<IScriptRunStore>(SqliteScriptRunStore.Open(DatabasePath, new SqliteStoreOptions { TimeProvider = Clock }));

    protected override Task<IScriptRunStore> ReopenStoreAsync() => OpenEmptyStoreAsync();
}

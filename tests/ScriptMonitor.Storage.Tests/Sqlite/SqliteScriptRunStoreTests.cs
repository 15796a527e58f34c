using ScriptMonitor.Runs;
using ScriptMonitor.Sqlite;
using ScriptMonitor.Storage.Tests.Contract;
using ScriptMonitor.Stores;
using ScriptMonitor.Testing;

namespace ScriptMonitor.Storage.Tests.Sqlite;

/// <summary>The store contract against a real SQLite file in a temporary directory.</summary>
public sealed class SqliteScriptRunStoreTests : ScriptRunStoreContract, IDisposable
{
    private readonly TempDirectory _directory = new();

    private string DatabasePath => _directory.File("runs.db");

    protected override string Setting => DatabasePath;

    public void Dispose() => _directory.Dispose();

    /// <summary>What the next build might change: a column it adds, or one it renames, which older builds still read.</summary>
    internal static SchemaMigration NextMigration(bool keepsOlderWriters) => keepsOlderWriters
        ? new("a note the next build keeps on each run", "ALTER TABLE runs ADD COLUMN next_build_note TEXT;") { KeepsOlderWriters = true }
        : new("the output column renamed", "ALTER TABLE runs RENAME COLUMN output TO output_tail;");

    protected override Task<IScriptRunStore> OpenEmptyStoreAsync() =>
        Task.FromResult<IScriptRunStore>(SqliteScriptRunStore.Open(DatabasePath, new SqliteStoreOptions { TimeProvider = Clock }));

    protected override Task<IScriptRunStore> ReopenStoreAsync() => OpenEmptyStoreAsync();

    protected override string NewStoreSetting() => _directory.File($"new-{Guid.NewGuid():N}.db");

    protected override Task<IScriptRunStore> OpenAsNextBuildAsync(bool keepsOlderWriters) =>
        Task.FromResult<IScriptRunStore>(SqliteScriptRunStore.Open(DatabasePath, new SqliteStoreOptions { TimeProvider = Clock, TestMigrations = [NextMigration(keepsOlderWriters)] }));
}

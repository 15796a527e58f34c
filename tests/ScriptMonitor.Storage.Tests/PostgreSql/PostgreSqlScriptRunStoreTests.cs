using Npgsql;
using ScriptMonitor.PostgreSql;
using ScriptMonitor.Runs;
using ScriptMonitor.Storage.Tests.Contract;
using ScriptMonitor.Stores;

namespace ScriptMonitor.Storage.Tests.PostgreSql;

/// <summary>The store contract against a real PostgreSQL server; every test gets a schema of its own.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlScriptRunStoreTests(PostgreSqlServer server) : ScriptRunStoreContract, IDisposable
{
    private readonly List<string> _schemas = [PostgreSqlServer.NewSchemaName()];

    protected override string Setting => server.WithSchema(_schemas[0]);

    public void Dispose()
    {
        using var connection = new NpgsqlConnection(server.ConnectionString);
        connection.Open();
        foreach (var schema in _schemas)
        {
            using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>What the next build might change: a column it adds, or one it renames, which older builds still read.</summary>
    internal static SchemaMigration NextMigration(bool keepsOlderWriters) => keepsOlderWriters
        ? new("a note the next build keeps on each run", "ALTER TABLE {schema}.runs ADD COLUMN next_build_note text;") { KeepsOlderWriters = true }
        : new("the output column renamed", "ALTER TABLE {schema}.runs RENAME COLUMN output TO output_tail;");

    protected override async Task<IScriptRunStore> OpenEmptyStoreAsync() =>
        await PostgreSqlScriptRunStore.OpenAsync(server.ConnectionString, new PostgreSqlStoreOptions { Schema = _schemas[0], TimeProvider = Clock });

    protected override Task<IScriptRunStore> ReopenStoreAsync() => OpenEmptyStoreAsync();

    protected override string NewStoreSetting()
    {
        var schema = PostgreSqlServer.NewSchemaName();
        _schemas.Add(schema);
        return server.WithSchema(schema);
    }

    protected override async Task<IScriptRunStore> OpenAsNextBuildAsync(bool keepsOlderWriters) =>
        await PostgreSqlScriptRunStore.OpenAsync(server.ConnectionString, new PostgreSqlStoreOptions { Schema = _schemas[0], TimeProvider = Clock, TestMigrations = [NextMigration(keepsOlderWriters)] });
}

using Npgsql;
using ScriptMonitor.PostgreSql;
using ScriptMonitor.Runs;
using ScriptMonitor.Storage.Tests.Contract;

namespace ScriptMonitor.Storage.Tests.PostgreSql;

/// <summary>The expectation contract against a real PostgreSQL server; every test gets a schema of its own.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlExpectationStoreTests(PostgreSqlServer server) : ExpectationStoreContract, IDisposable
{
    private readonly string _schema = PostgreSqlServer.NewSchemaName();

    public void Dispose()
    {
        using var connection = new NpgsqlConnection(server.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", connection);
        command.ExecuteNonQuery();
    }

    protected override async Task<IScriptRunStore> OpenEmptyStoreAsync() =>
        await PostgreSqlScriptRunStore.OpenAsync(server.ConnectionString, new PostgreSqlStoreOptions { Schema = _schema, TimeProvider = Clock });

    protected override Task<IScriptRunStore> ReopenStoreAsync() => OpenEmptyStoreAsync();
}

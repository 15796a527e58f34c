using System.Globalization;
using Npgsql;
using ScriptMonitor.Alerts;
using ScriptMonitor.PostgreSql;
using ScriptMonitor.Runs;
using ScriptMonitor.Storage.Tests.Contract;

namespace ScriptMonitor.Storage.Tests.PostgreSql;

/// <summary>The alert store contract against a real PostgreSQL server; every test gets a schema of its own, and the lease runs on the database's clock.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlAlertStoreTests(PostgreSqlServer server) : AlertStoreContract, IDisposable
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

    protected override async Task LapseAsync(LeaderLease lease)
    {
        var expires = lease.ExpiresAt.ToString("O", CultureInfo.InvariantCulture);
        while (await server.ScalarAsync<bool>($"SELECT now() <= '{expires}'::timestamptz"))
        {
            await Task.Delay(100);
        }
    }
}

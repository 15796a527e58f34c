using Npgsql;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Storage.Tests.Contract;
using ScriptMonitor.Testing;

namespace ScriptMonitor.Storage.Tests.PostgreSql;

/// <summary>
/// Every method of the contract on a PostgreSQL store whose tables another session holds locked, and on a database
/// that only takes read-only transactions (a standby, or a role refused writes): reads answer, and every write fails
/// as <see cref="Runs.StoreUnavailableException"/>. The server down is in <see cref="PostgreSqlOutageTests"/>.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlStoreFailureTests(PostgreSqlServer server) : StoreFailureContract
{
    protected override async Task<IReadOnlyList<StoreCallResult>> CallEveryMethodWhileLockedAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var schema = PostgreSqlServer.NewSchemaName();

        // A write waits for a lock no longer than this before the server gives up on it (lock_timeout).
        await using var store = ScriptRunStores.Open(ScriptRunStores.Parse($"{server.WithSchema(schema)};Options=-c lock_timeout=100"));
        await StoreCalls.SeedAsync(store, now);

        await using var other = new NpgsqlConnection(server.ConnectionString);
        await other.OpenAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await using (var lockTables = new NpgsqlCommand($"LOCK TABLE \"{schema}\".runs, \"{schema}\".scripts, \"{schema}\".skips, \"{schema}\".expectations, \"{schema}\".api_keys, \"{schema}\".audit_log, "
            + $"\"{schema}\".script_changes, \"{schema}\".flips, \"{schema}\".notifications, \"{schema}\".delivery_attempts, \"{schema}\".channels, "
            + $"\"{schema}\".maintenance_windows, \"{schema}\".leader_lease, \"{schema}\".ping_identities, \"{schema}\".installation_settings IN EXCLUSIVE MODE", other, transaction))
        {
            await lockTables.ExecuteNonQueryAsync();
        }

        return await StoreCalls.CallEachAsync(store, now);
    }

    protected override async Task<IReadOnlyList<StoreCallResult>> CallEveryMethodReadOnlyAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var database = await server.CreateDatabaseAsync();
        await using (var seeding = ScriptRunStores.Open(ScriptRunStores.Parse(database)))
        {
            await StoreCalls.SeedAsync(seeding, now);
        }

        await server.ExecuteAsync($"ALTER DATABASE \"{new NpgsqlConnectionStringBuilder(database).Database}\" SET default_transaction_read_only = on");
        await using var store = ScriptRunStores.Open(ScriptRunStores.Parse(database));
        return await StoreCalls.CallEachAsync(store, now);
    }
}

using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using ScriptMonitor.PostgreSql;
using ScriptMonitor.Runs;
using ScriptMonitor.Sqlite;

namespace ScriptMonitor.Simulation;

/// <summary>
/// The fresh store one shard simulates one segment on: a SQLite file, or a PostgreSQL database of its own created on
/// the given server and dropped again when the segment ends (also when it fails).
/// </summary>
/// <remarks>
/// The PostgreSQL store judges some instants by the database's clock (<c>now()</c>): whether a run's start or end is
/// more than a day ahead, and whether the alert loop's lease lapsed. The simulated year is not the server's, so each
/// database gets a clock of its own that the simulation moves with its fake clock: <c>sim.now()</c>, found before
/// <c>pg_catalog.now()</c> by the connections' search path. The database then judges by the simulated instant, as a
/// server judges by one clock shared with the hosts; the store's SQL is what it always is.
/// </remarks>
internal sealed class SimulationStore : IAsyncDisposable
{
    private const string ClockSchema = "sim";

    private readonly string? _adminConnection;
    private readonly string? _database;
    private readonly NpgsqlDataSource? _clock;

    private SimulationStore(IScriptRunStore store, bool feedInCommitOrder, string? adminConnection = null, string? database = null, NpgsqlDataSource? clock = null)
    {
        Store = store;
        FeedInCommitOrder = feedInCommitOrder;
        _adminConnection = adminConnection;
        _database = database;
        _clock = clock;
    }

    public IScriptRunStore Store { get; }

    /// <summary>As the server decides it: a store in a local file shows commits in sequence order; PostgreSQL does not.</summary>
    public bool FeedInCommitOrder { get; }

    /// <summary>The store the options name, e.g. "SQLite 3.46.1" or "PostgreSQL 15.18", from a connection to it.</summary>
    internal static async Task<string> DescribeAsync(SimulationOptions options, CancellationToken cancellationToken)
    {
        if (options.PostgreSql is not { } connection)
        {
            await using var sqlite = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
            await sqlite.OpenAsync(cancellationToken);
            return "SQLite " + sqlite.ServerVersion;
        }

        await using var source = NpgsqlDataSource.Create(connection);
        await using var command = source.CreateCommand("SHOW server_version");
        var version = (string)(await command.ExecuteScalarAsync(cancellationToken))!;

        // "15.18 (Debian 15.18-0+deb12u1)": the version, without the packager's note.
        return "PostgreSQL " + version.Split(' ')[0];
    }

    internal static async Task<SimulationStore> CreateAsync(SimulationOptions options, string directory, int segment, int shard, FakeTimeProvider clock, CancellationToken cancellationToken)
    {
        if (options.PostgreSql is not { } connection)
        {
            var path = Path.Combine(directory, $"simulation-{segment}-{shard}.db");
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }

            return new SimulationStore(SqliteScriptRunStore.Open(path, new SqliteStoreOptions { FlushEveryCommit = false, TimeProvider = clock }), feedInCommitOrder: true);
        }

        // Unique on a shared server too, and within the 63 characters of a name.
        var database = string.Create(CultureInfo.InvariantCulture, $"scriptmon_simulation_{Environment.ProcessId}_{segment}_{shard}_{Guid.NewGuid().ToString("N")[..12]}");
        await using (var admin = NpgsqlDataSource.Create(connection))
        {
            await using var create = admin.CreateCommand($"CREATE DATABASE {database}");
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        NpgsqlDataSource? clockSource = null;
        try
        {
            var settings = new NpgsqlConnectionStringBuilder(connection) { Database = database, SearchPath = $"{ClockSchema}, pg_catalog" };
            clockSource = NpgsqlDataSource.Create(settings.ConnectionString);
            await using (var command = clockSource.CreateCommand(
                $"""
                CREATE SCHEMA {ClockSchema};
                CREATE TABLE {ClockSchema}.clock (at timestamptz NOT NULL);
                INSERT INTO {ClockSchema}.clock VALUES ('{clock.GetUtcNow():O}');
                CREATE FUNCTION {ClockSchema}.now() RETURNS timestamptz LANGUAGE sql STABLE AS 'SELECT at FROM {ClockSchema}.clock';
                """))
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            var store = await PostgreSqlScriptRunStore.OpenAsync(settings.ConnectionString, new PostgreSqlStoreOptions { TimeProvider = clock }, cancellationToken);
            return new SimulationStore(store, feedInCommitOrder: false, connection, database, clockSource);
        }
        catch
        {
            if (clockSource is not null)
            {
                await clockSource.DisposeAsync();
            }

            await DropAsync(connection, database);
            throw;
        }
    }

    /// <summary>Moves the database's clock to the simulation's (PostgreSQL); SQLite reads the fake clock itself.</summary>
    public async Task SetClockAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_clock is null)
        {
            return;
        }

        await using var command = _clock.CreateCommand($"UPDATE {ClockSchema}.clock SET at = $1");
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        if (_clock is not null)
        {
            await _clock.DisposeAsync();
        }

        if (_adminConnection is not null && _database is not null)
        {
            await DropAsync(_adminConnection, _database);
        }
    }

    private static async Task DropAsync(string connection, string database)
    {
        // FORCE: a connection the store's pool still had open must not keep the database.
        await using var admin = NpgsqlDataSource.Create(connection);
        await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        await drop.ExecuteNonQueryAsync(CancellationToken.None);
    }
}

using Npgsql;
using ScriptMonitor.PostgreSql;

namespace ScriptMonitor.Storage.Tests.PostgreSql;

/// <summary>The tests that need a PostgreSQL server share one, started once for the run.</summary>
[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgreSqlServer>
{
    public const string Name = "PostgreSQL";
}

/// <summary>
/// The PostgreSQL server the tests use: the one <c>SCRIPTMON_TEST_POSTGRES</c> names (a connection string of a user
/// that may create databases), else a throwaway server started here and removed at the end. When neither can be had,
/// every PostgreSQL test fails with the reason: these tests never skip.
/// </summary>
public sealed class PostgreSqlServer : IAsyncLifetime
{
    public const string Variable = "SCRIPTMON_TEST_POSTGRES";

    private readonly List<string> _databases = [];
    private ThrowawayPostgreSqlServer? _throwaway;
    private NpgsqlConnectionStringBuilder? _admin;

    /// <summary>Keywords for the server's default database, as a user who may create databases.</summary>
    public string ConnectionString => Admin.ConnectionString;

    public string Host => Admin.Host!;

    public int Port => Admin.Port;

    public string Username => Admin.Username!;

    public string? Password => Admin.Password;

    private NpgsqlConnectionStringBuilder Admin => _admin ?? throw new InvalidOperationException("The PostgreSQL server is not ready.");

    public async Task InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            _admin = PostgreSqlConnectionString.Parse(configured);
        }
        else
        {
            var bin = ThrowawayPostgreSqlServer.FindBinDirectory() ?? throw new InvalidOperationException(
                $"The PostgreSQL tests need a server: {Variable} is not set, and initdb/pg_ctl are neither on PATH nor under /usr/lib/postgresql/*/bin. "
                + $"Run ./test.sh (it installs postgresql-15), or set {Variable}=postgresql://user:password@host:5432/postgres.");
            _throwaway = await ThrowawayPostgreSqlServer.StartAsync(bin);
            _admin = new NpgsqlConnectionStringBuilder(_throwaway.ConnectionString);
        }

        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
        }
        catch (NpgsqlException e)
        {
            throw new InvalidOperationException($"The PostgreSQL server for the tests at {Host}:{Port} cannot be used: {e.Message}", e);
        }
    }

    public async Task DisposeAsync()
    {
        if (_throwaway is not null)
        {
            await _throwaway.DisposeAsync();
            return;
        }

        foreach (var database in _databases)
        {
            await ExecuteAsync($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
        }
    }

    /// <summary>A new, empty database; its keyword connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "scriptmon_test_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync($"CREATE DATABASE \"{name}\"");
        lock (_databases)
        {
            _databases.Add(name);
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>A <c>postgresql://</c> URI for a database of this server, password included.</summary>
    public string Uri(string database) =>
        $"postgresql://{System.Uri.EscapeDataString(Username)}:{System.Uri.EscapeDataString(Password ?? string.Empty)}@{Host}:{Port}/{System.Uri.EscapeDataString(database)}";

    /// <summary>A setting, as <c>SCRIPTMON_DATABASE</c> holds it, for a store in <paramref name="schema"/> of the default database.</summary>
    public string WithSchema(string schema) => $"{ConnectionString};Schema={schema}";

    /// <summary>A schema name no test has used.</summary>
    public static string NewSchemaName() => "test_" + Guid.NewGuid().ToString("N");

    public async Task ExecuteAsync(string sql, string? connectionString = null)
    {
        await using var connection = new NpgsqlConnection(connectionString ?? ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql, string? connectionString = null)
    {
        await using var connection = new NpgsqlConnection(connectionString ?? ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}

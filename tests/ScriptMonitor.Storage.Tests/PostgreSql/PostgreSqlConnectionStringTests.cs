using Npgsql;
using ScriptMonitor.PostgreSql;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Storage.Tests.PostgreSql;

/// <summary>The connection strings users write: Npgsql keywords and libpq URIs, and clear errors for the rest.</summary>
public sealed class PostgreSqlConnectionStringTests
{
    public static TheoryData<string, string, int, string?, string?, string?> Uris => new()
    {
        { "postgresql://db1/scriptmon", "db1", 5432, "scriptmon", null, null },
        { "postgres://alice@db1:6543/runs", "db1", 6543, "runs", "alice", null },
        { "postgresql://alice:s%40cret%3A%2F@db1.example.com/scriptmon", "db1.example.com", 5432, "scriptmon", "alice", "s@cret:/" },
        { "postgresql://alice:p:w@db1/scriptmon", "db1", 5432, "scriptmon", "alice", "p:w" },
        { "postgresql://[::1]:5433/scriptmon", "::1", 5433, "scriptmon", null, null },
        { "POSTGRESQL://db1/my%20db", "db1", 5432, "my db", null, null },
        { "postgresql://db1,db2:5433/scriptmon", "db1,db2:5433", 5432, "scriptmon", null, null },
        { "postgresql:///scriptmon?host=%2Fvar%2Frun%2Fpostgresql", "/var/run/postgresql", 5432, "scriptmon", null, null },
        { "postgresql://db1/scriptmon?user=bob&password=pw&port=7000", "db1", 7000, "scriptmon", "bob", "pw" },
    };

    [Theory]
    [MemberData(nameof(Uris))]
    public void A_URI_is_read_as_libpq_reads_it(string uri, string host, int port, string? database, string? user, string? password)
    {
        var settings = PostgreSqlConnectionString.Parse(uri);

        Assert.Equal(host, settings.Host);
        Assert.Equal(port, settings.Port);
        Assert.Equal(database, settings.Database);
        Assert.Equal(user, settings.Username);
        Assert.Equal(password, settings.Password);
    }

    [Fact]
    public void TCP_keepalive_is_on_in_seconds_unless_the_text_sets_it()
    {
        var defaults = PostgreSqlConnectionString.Parse("Host=db1;Database=scriptmon");
        var own = PostgreSqlConnectionString.Parse("Host=db1;Database=scriptmon;Tcp Keepalive=false");

        Assert.Equal((true, PostgreSqlConnectionString.TcpKeepAliveSeconds, 1), (defaults.TcpKeepAlive, defaults.TcpKeepAliveTime, defaults.TcpKeepAliveInterval));
        Assert.False(own.TcpKeepAlive);
        Assert.Equal(0, own.TcpKeepAliveTime);
    }

    [Fact]
    public void URI_query_parameters_map_to_Npgsql_settings()
    {
        var settings = PostgreSqlConnectionString.Parse("postgresql://db1/scriptmon?sslmode=verify-full&connect_timeout=7&application_name=nightly&target_session_attrs=read-write&Maximum%20Pool%20Size=5");

        Assert.Equal(SslMode.VerifyFull, settings.SslMode);
        Assert.Equal(7, settings.Timeout);
        Assert.Equal("nightly", settings.ApplicationName);
        Assert.Equal("read-write", settings.TargetSessionAttributes);
        Assert.Equal(5, settings.MaxPoolSize);
    }

    [Fact]
    public void Keywords_are_read_as_Npgsql_reads_them_and_the_application_is_named()
    {
        var settings = PostgreSqlConnectionString.Parse("Host=db1;Port=6000;Database=runs;Username=alice;Password=secret");

        Assert.Equal("db1", settings.Host);
        Assert.Equal(6000, settings.Port);
        Assert.Equal("secret", settings.Password);
        Assert.Equal("scriptmon", settings.ApplicationName);
    }

    [Theory]
    [InlineData("Host=db1;Database=runs", 16)]
    [InlineData("postgresql://db1/runs", 16)]
    [InlineData("Host=db1;Database=runs;Maximum Pool Size=100", 100)]
    [InlineData("postgresql://db1/runs?Maximum%20Pool%20Size=3", 3)]
    [InlineData("Host=db1;Database=runs;Minimum Pool Size=40", 40)]
    public void An_instance_keeps_at_most_16_connections_unless_the_setting_names_its_own_pool_size(string connectionString, int maxPoolSize)
    {
        // Npgsql's default (100) is PostgreSQL's default max_connections: two busy server instances would run out.
        Assert.Equal(maxPoolSize, PostgreSqlConnectionString.Parse(connectionString).MaxPoolSize);
    }

    [Theory]
    [InlineData("Host=db1;Port=6000;Database=runs;Username=alice;Password=secret", "postgresql://alice@db1:6000/runs")]
    [InlineData("postgresql://alice:secret@db1/runs", "postgresql://alice@db1:5432/runs")]
    public void The_description_names_user_host_port_and_database_but_never_the_password(string connectionString, string description)
    {
        Assert.Equal(description, PostgreSqlConnectionString.Describe(PostgreSqlConnectionString.Parse(connectionString), PostgreSqlStoreOptions.DefaultSchema));
        Assert.Equal(description + " (schema other)", PostgreSqlConnectionString.Describe(PostgreSqlConnectionString.Parse(connectionString), "other"));
    }

    [Theory]
    [InlineData("Host=db1;Password=hunter2;Bogus=1", "bogus")]
    [InlineData("Password=hunter2;Database=scriptmon", "names no host")]
    [InlineData("postgresql://alice:hunter2@db1:notaport/scriptmon", "notaport")]
    [InlineData("postgresql://alice:hunter2@db1:70000/scriptmon", "70000")]
    [InlineData("postgresql://alice:hunter2@[::1/scriptmon", "closing ']'")]
    [InlineData("postgresql://alice:hunter2@db1/scriptmon?sslmode=sometimes", "sslmode 'sometimes'")]
    [InlineData("postgresql://alice:hunter2@db1/scriptmon?nonsense=1", "'nonsense'")]
    [InlineData("postgresql://alice:hunter2@db1/scriptmon?sslmode", "NAME=VALUE")]
    [InlineData("postgresql://alice:hunter2@/scriptmon", "names no host")]
    [InlineData("postgresql://alice:hunter2@db1,/scriptmon", "empty host")]
    public async Task A_malformed_connection_string_is_refused_with_a_clear_ArgumentException(string connectionString, string reason)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => PostgreSqlScriptRunStore.OpenAsync(connectionString));

        Assert.Equal("connectionString", error.ParamName);
        Assert.Contains("PostgreSQL connection string is malformed", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_connection_string_is_refused()
    {
        Assert.ThrowsAny<ArgumentException>(() => PostgreSqlScriptRunStore.Open(" "));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1abc")]
    [InlineData("has-dash")]
    [InlineData("quote\"d")]
    public void A_bad_schema_name_is_refused(string schema)
    {
        Assert.ThrowsAny<ArgumentException>(() => new PostgreSqlStoreOptions { Schema = schema });
    }

    [Fact]
    public void StoreUnavailableException_is_not_an_ArgumentException()
    {
        Assert.False(typeof(ArgumentException).IsAssignableFrom(typeof(StoreUnavailableException)));
    }
}

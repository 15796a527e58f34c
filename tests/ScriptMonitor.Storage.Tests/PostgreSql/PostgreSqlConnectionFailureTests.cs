using Npgsql;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.PostgreSql;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Storage.Tests.PostgreSql;

/// <summary>A server that cannot be reached, refuses the login, or drops a connection.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlConnectionFailureTests(PostgreSqlServer server)
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_unreachable_server_gives_StoreUnavailableException_naming_host_and_port()
    {
        var port = ThrowawayPostgreSqlServer.FreePort();

        var direct = await Assert.ThrowsAsync<StoreUnavailableException>(() => PostgreSqlScriptRunStore.OpenAsync($"Host=127.0.0.1;Port={port};Username=scriptmon;Password=hunter2;Timeout=5"));
        var configured = Assert.Throws<StoreUnavailableException>(() => ScriptRunStores.Open($"postgresql://scriptmon:hunter2@127.0.0.1:{port}/scriptmon"));

        foreach (var error in new[] { direct, configured })
        {
            Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
            Assert.Contains("Cannot connect", error.Message, StringComparison.Ordinal);
            Assert.Contains("refused", error.Message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_refused_password_gives_StoreUnavailableException_without_the_password()
    {
        var uri = $"postgresql://{server.Username}:not-the-password@{server.Host}:{server.Port}/postgres";

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => PostgreSqlScriptRunStore.OpenAsync(uri));

        Assert.Contains($"{server.Host}:{server.Port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("password authentication failed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_the_server_drops_is_replaced_once_and_the_call_succeeds()
    {
        var applicationName = "scriptmon-drop-" + Guid.NewGuid().ToString("N");
        var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString) { ApplicationName = applicationName }.ConnectionString;
        await using var store = await PostgreSqlScriptRunStore.OpenAsync(connectionString, new PostgreSqlStoreOptions { Schema = PostgreSqlServer.NewSchemaName() });
        await store.RecordSuccessAsync("before", Start, Start);

        await server.ExecuteAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '{applicationName}'");
        await store.RecordSuccessAsync("during", Start, Start);

        Assert.Single(await store.ListRunsAsync(new RunQuery("during")));
    }
}

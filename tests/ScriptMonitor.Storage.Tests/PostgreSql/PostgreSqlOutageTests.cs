using ScriptMonitor.PostgreSql;
using ScriptMonitor.Runs;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Storage.Tests.Contract;
using ScriptMonitor.Testing;

namespace ScriptMonitor.Storage.Tests.PostgreSql;

/// <summary>
/// A PostgreSQL server of this class's own, restarted and made unresponsive (its processes stopped while the kernel
/// still accepts connections): a store call waits no longer than the bounds its options set, and a connection the
/// restart left stale is replaced instead of failing the call.
/// </summary>
public sealed class PostgreSqlOutageTests : IClassFixture<PostgreSqlOutageTests.OwnServer>
{
    /// <summary>Longer than any bound the tests set, so that a call that hangs fails the test instead of the run.</summary>
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(45);

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan StoppedServerBound = TimeSpan.FromSeconds(10);

    private readonly OwnServer _server;

    public PostgreSqlOutageTests(OwnServer server)
    {
        _server = server;
    }

    private PostgreSqlStoreOptions Bounded => new() { Schema = PostgreSqlServer.NewSchemaName(), ConnectTimeout = Bound, CommandTimeout = Bound };

    /// <summary>
    /// A store with the bounds on a schema created first without them: creating a schema is not what is timed here,
    /// and on a busy machine its statements may take longer than the bound.
    /// </summary>
    private async Task<PostgreSqlScriptRunStore> OpenBoundedOnReadySchemaAsync()
    {
        var bounded = Bounded;
        await (await PostgreSqlScriptRunStore.OpenAsync(_server.Server.ConnectionString, new PostgreSqlStoreOptions { Schema = bounded.Schema })).DisposeAsync();
        return await PostgreSqlScriptRunStore.OpenAsync(_server.Server.ConnectionString, bounded);
    }

    [Fact]
    public async Task A_completion_after_a_server_restart_is_stored_on_a_fresh_connection()
    {
        await using var store = await OpenBoundedOnReadySchemaAsync();
        var run = await store.RecordStartAsync("nightly", DateTimeOffset.UtcNow.AddSeconds(-1), "db1");

        await _server.Server.StopAsync();
        await _server.Server.RestartAsync();
        var done = await store.CompleteRunAsync(run.RunId, DateTimeOffset.UtcNow, RunOutcome.Succeeded, exitCode: 0);

        Assert.Equal(RunOutcome.Succeeded, done.Outcome);
        Assert.Equal(RunOutcome.Succeeded, Assert.Single(await store.ListRunsAsync(new RunQuery("nightly"))).Outcome);
    }

    [Fact]
    public async Task A_server_that_accepts_connections_but_never_answers_fails_the_open_within_the_connect_timeout()
    {
        await _server.Server.FreezeAsync();
        try
        {
            var direct = await Assert.ThrowsAsync<StoreUnavailableException>(() => PostgreSqlScriptRunStore.OpenAsync(_server.Server.ConnectionString, Bounded).WaitAsync(HangLimit));
            var location = ScriptRunStores.Parse(_server.Server.ConnectionString);
            var configured = await Assert.ThrowsAsync<StoreUnavailableException>(() => Task.Run(() => ScriptRunStores.Open(location, waitBound: Bound)).WaitAsync(HangLimit));

            Assert.Contains("Cannot connect to PostgreSQL", direct.Message, StringComparison.Ordinal);
            Assert.Contains("Cannot connect to PostgreSQL", configured.Message, StringComparison.Ordinal);
        }
        finally
        {
            await _server.Server.ThawAsync();
        }
    }

    [Fact]
    public async Task A_statement_the_server_never_answers_fails_within_the_command_timeout_and_the_store_recovers()
    {
        await using var store = await OpenBoundedOnReadySchemaAsync();
        await store.RecordSuccessAsync("hourly", DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow, "db1");

        await _server.Server.FreezeAsync();
        try
        {
            await Assert.ThrowsAsync<StoreUnavailableException>(() => store.RecordStartAsync("hourly", DateTimeOffset.UtcNow, "db1").WaitAsync(HangLimit));
        }
        finally
        {
            await _server.Server.ThawAsync();
        }

        // The statement sent before the freeze may still run once the server wakes: a timeout cannot say whether it
        // did, which is why a caller keeps the run (the spool) and delivery is idempotent by run id.
        var after = await store.RecordStartAsync("after", DateTimeOffset.UtcNow, "db1");
        Assert.Equal(after.RunId, Assert.Single(await store.ListRunsAsync(new RunQuery("after"))).RunId);
    }

    [Fact]
    public async Task Every_method_of_a_store_whose_server_is_down_throws_StoreUnavailableException()
    {
        var now = DateTimeOffset.UtcNow;
        var location = ScriptRunStores.Parse($"{_server.Server.ConnectionString};Schema={PostgreSqlServer.NewSchemaName()}");
        // The schema is made before the bound applies, and the bound is roomy: a stopped server refuses at once, so
        // it only has to cover connecting and seeding on a machine busy with other tests.
        ScriptRunStores.Open(location).Dispose();
        await using var store = ScriptRunStores.Open(location, waitBound: StoppedServerBound);
        await StoreCalls.SeedAsync(store, now);

        await _server.Server.StopAsync();
        try
        {
            StoreFailureContract.AssertEveryCallUnavailable(await StoreCalls.CallEachAsync(store, now).WaitAsync(HangLimit));
        }
        finally
        {
            await _server.Server.RestartAsync();
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(2000.0)]
    public void A_connect_timeout_out_of_range_is_refused(double seconds)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new PostgreSqlStoreOptions { ConnectTimeout = TimeSpan.FromSeconds(seconds) });

        Assert.Contains("ConnectTimeout", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The server these tests stop, restart and freeze: never the shared one.</summary>
    public sealed class OwnServer : IAsyncLifetime
    {
        private ThrowawayPostgreSqlServer? _server;

        internal ThrowawayPostgreSqlServer Server => _server ?? throw new InvalidOperationException("The server is not started.");

        public async Task InitializeAsync()
        {
            var bin = ThrowawayPostgreSqlServer.FindBinDirectory() ?? throw new InvalidOperationException(
                "PostgreSQL server binaries (initdb, pg_ctl) are not installed: install postgresql (Debian: apt-get install postgresql), or run ./test.sh.");
            _server = await ThrowawayPostgreSqlServer.StartAsync(bin);
        }

        public async Task DisposeAsync()
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }
        }
    }
}

using System.Net;
using System.Net.Sockets;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Access;
using ScriptMonitor.Application.Configuration;
using ScriptMonitor.Application.Remote;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Configuration;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Tests.Support;
using ScriptMonitor.Testing;

namespace ScriptMonitor.Tests.Application.Remote;

/// <summary>
/// The recording port over a real scriptmon-server: what it stored is read back from the server's store, and each way
/// the server can fail arrives as the exception the recorder already handles for a store.
/// </summary>
public sealed class ServerRunRecordingTests(ServerRunRecordingTests.Server server) : IClassFixture<ServerRunRecordingTests.Server>
{
    private static readonly DateTimeOffset Started = new(2026, 11, 29, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_start_then_its_completion_is_one_run_and_sending_it_again_changes_nothing()
    {
        using var recording = server.Recording(server.IngestKey);
        var start = new ScriptRun(Guid.NewGuid(), "backup-start", "db1", Started, null, RunOutcome.Running, null, null);
        var end = start with { CompletedAt = Started.AddSeconds(42), Outcome = RunOutcome.Succeeded, ExitCode = 0, Output = "42 tables\n" };

        await recording.RecordStartAsync(start, runner: null);
        var running = Assert.Single(await server.RunsAsync("backup-start"));
        await recording.CompleteRunAsync(end);
        var again = await recording.ImportRunAsync(end);

        Assert.Equal(RunOutcome.Running, running.Outcome);
        Assert.False(again);
        var run = Assert.Single(await server.RunsAsync("backup-start"));
        Assert.Equal(start.RunId, run.RunId);
        Assert.Equal(RunOutcome.Succeeded, run.Outcome);
        Assert.Equal(Started, run.StartedAt);
        Assert.Equal(Started.AddSeconds(42), run.CompletedAt);
        Assert.Equal("42 tables\n", run.Output);
    }

    [Fact]
    public async Task A_run_that_breaks_a_rule_is_refused_naming_the_field_as_the_server_does_and_nothing_is_stored()
    {
        using var recording = server.Recording(server.IngestKey);
        var future = DateTimeOffset.UtcNow.AddDays(3);
        var run = new ScriptRun(Guid.NewGuid(), "backup-future", "db1", future, future.AddSeconds(1), RunOutcome.Failed, 1, null);

        var refused = await Assert.ThrowsAsync<ValidationException>(() => recording.ImportRunAsync(run));

        Assert.Contains(refused.Errors, e => e.Path == "startedAt" && e.Message.StartsWith("startedAt ", StringComparison.Ordinal));
        Assert.Empty(await server.RunsAsync("backup-future"));
    }

    [Fact]
    public async Task Only_the_tail_of_a_long_output_that_the_store_keeps_is_sent()
    {
        using var recording = server.Recording(server.IngestKey);
        var output = new string('x', 100_000) + "the end\n";
        var run = new ScriptRun(Guid.NewGuid(), "backup-long", "db1", Started, Started.AddSeconds(1), RunOutcome.Failed, 1, output);

        // Whole, the output alone is far above the server's body limit.
        Assert.True(await recording.ImportRunAsync(run));

        var stored = Assert.Single(await server.RunsAsync("backup-long"));
        Assert.Equal(output[^ScriptRun.MaxOutputLength..], stored.Output);
    }

    [Fact]
    public async Task A_body_the_server_finds_too_large_is_refused_naming_the_limit_and_not_retried_as_an_outage()
    {
        using var recording = server.Recording(server.IngestKey);

        // Within the length the store keeps, but each arrow is six bytes once escaped in JSON: above the 16 KiB limit.
        var run = new ScriptRun(Guid.NewGuid(), "backup-large", "db1", Started, Started.AddSeconds(1), RunOutcome.Failed, 1, new string('→', ScriptRun.MaxOutputLength));

        // A ValidationException is an ArgumentException: the recorder reports it as refused and does not spool it.
        var refused = await Assert.ThrowsAsync<ValidationException>(() => recording.ImportRunAsync(run));

        Assert.Contains("413 Content Too Large", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Server:MaxRequestBodyBytes", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await server.RunsAsync("backup-large"));
    }

    [Fact]
    public async Task A_skipped_run_is_stored_once_by_its_event_id()
    {
        using var recording = server.Recording(server.IngestKey);
        var skip = new ScriptSkip(Guid.NewGuid(), "backup-skip", "db1", Started, "pid 4242 (backup.sh)");

        var first = await recording.RecordSkipAsync(skip);
        var retry = await recording.RecordSkipAsync(skip);

        Assert.True(first);
        Assert.False(retry);
        await using var store = ScriptRunStores.Open(server.Database);
        var stored = Assert.Single(await store.ListSkipsAsync("backup-skip"));
        Assert.Equal(skip.EventId, stored.EventId);
        Assert.Equal("pid 4242 (backup.sh)", stored.Holder);
    }

    [Fact]
    public async Task A_missing_or_unknown_key_is_the_server_unavailable_saying_which_setting_to_fix()
    {
        var run = new ScriptRun(Guid.NewGuid(), "backup-nokey", "db1", Started, Started.AddSeconds(1), RunOutcome.Succeeded, 0, null);
        using var withoutKey = server.Recording(key: null);
        using var unknownKey = server.Recording(key: "smk_unknown");

        var missing = await Assert.ThrowsAsync<StoreUnavailableException>(() => withoutKey.ImportRunAsync(run));
        var unknown = await Assert.ThrowsAsync<StoreUnavailableException>(() => unknownKey.ImportRunAsync(run));

        Assert.Contains("401", missing.Message, StringComparison.Ordinal);
        Assert.Contains("no key is configured: set SCRIPTMON_KEY", missing.Message, StringComparison.Ordinal);
        Assert.Contains("401", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("check the key in SCRIPTMON_KEY", unknown.Message, StringComparison.Ordinal);
        Assert.Empty(await server.RunsAsync("backup-nokey"));
    }

    [Fact]
    public async Task A_server_that_is_not_there_or_never_answers_is_unavailable()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var run = new ScriptRun(Guid.NewGuid(), "backup-down", "db1", Started, Started.AddSeconds(1), RunOutcome.Succeeded, 0, null);
        using var hanging = Recording(new Uri($"http://127.0.0.1:{port}/"), "smk_any", TimeSpan.FromMilliseconds(500));

        var slow = await Assert.ThrowsAsync<StoreUnavailableException>(() => hanging.ImportRunAsync(run));
        silent.Stop();
        using var gone = Recording(new Uri($"http://127.0.0.1:{port}/"), "smk_any", TimeSpan.FromSeconds(5));
        var refused = await Assert.ThrowsAsync<StoreUnavailableException>(() => gone.ImportRunAsync(run));

        Assert.Equal($"server:http://127.0.0.1:{port}/ did not answer within 500ms.", slow.Message);
        Assert.StartsWith($"server:http://127.0.0.1:{port}/ cannot be reached: ", refused.Message, StringComparison.Ordinal);
    }

    private static ServerRunRecording Recording(Uri url, string? key, TimeSpan bound) =>
        new(new ServerConnection(new ServerLocation(url, key, StoreLocationSource.Explicit), bound));

    /// <summary>One scriptmon-server on a store of its own, with an ingest key, for every test of the class.</summary>
    public sealed class Server : IAsyncLifetime
    {
        private readonly TempDirectory _directory = new();
        private ServerProcess? _process;

        public const int MaxRequestBodyBytes = 16 * 1024;

        public string Database => _directory.File("scriptmon.db");

        public string IngestKey { get; private set; } = string.Empty;

        public async Task InitializeAsync()
        {
            await using (var store = ScriptRunStores.Open(Database))
            {
                IngestKey = (await new KeyService(store, TimeProvider.System).CreateAsync("db1", KeyScope.Ingest, ["backup-*"], "test")).Secret;
            }

            // A small body limit, so that a body above it is easily made.
            _process = await ServerProcess.Start(Database, $"--Server:MaxRequestBodyBytes={MaxRequestBodyBytes}").WaitUntilListeningAsync();
        }

        internal ServerRunRecording Recording(string? key) => ServerRunRecordingTests.Recording(_process!.BaseAddress, key, TimeSpan.FromSeconds(30));

        public async Task<IReadOnlyList<ScriptRun>> RunsAsync(string script)
        {
            await using var store = ScriptRunStores.Open(Database);
            return await store.ListRunsAsync(new RunQuery(script));
        }

        public async Task DisposeAsync()
        {
            if (_process is not null)
            {
                await _process.DisposeAsync();
            }

            _directory.Dispose();
        }
    }
}

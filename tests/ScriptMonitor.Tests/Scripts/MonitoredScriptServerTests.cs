using ScriptMonitor.Access;
using ScriptMonitor.Application.Access;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Tests.Support;
using ScriptMonitor.Tests.Support;

namespace ScriptMonitor.Tests.Scripts;

/// <summary>A script built on the base class, with SCRIPTMON_SERVER and SCRIPTMON_KEY set, records through a real server.</summary>
public sealed class MonitoredScriptServerTests : IDisposable
{
    private readonly ScriptEnvironment _environment = new();

    public void Dispose() => _environment.Dispose();

    [Fact]
    public async Task A_failing_script_is_recorded_on_the_server_with_its_status_and_message()
    {
        await using (var store = _environment.OpenStore())
        {
            _environment.Variables["SCRIPTMON_KEY"] = (await new KeyService(store, TimeProvider.System).CreateAsync("db1", KeyScope.Ingest, ["test-*"], "test")).Secret;
        }

        await using var server = await ServerProcess.Start(_environment.Database).WaitUntilListeningAsync();
        _environment.Variables["SCRIPTMON_SERVER"] = server.BaseAddress.ToString();

        var result = await _environment.RunAsync("exit", "3", "the input feed is empty");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.DoesNotContain("spooled", result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_environment.SpoolDirectory) && Directory.EnumerateFiles(_environment.SpoolDirectory, "*.run.json").Any());
        var run = Assert.Single(await _environment.RunsAsync());
        Assert.Equal(RunOutcome.Failed, run.Outcome);
        Assert.Equal(3, run.ExitCode);
        Assert.Equal("the input feed is empty", run.Output);
    }
}

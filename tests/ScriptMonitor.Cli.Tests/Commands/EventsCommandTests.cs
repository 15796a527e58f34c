using ScriptMonitor.Application.Stores;
using ScriptMonitor.Cli.Tests.Support;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Cli.Tests.Commands;

/// <summary><c>scriptmon events</c> and runs of unknown duration, on a store a server wrote them into.</summary>
public sealed class EventsCommandTests : IDisposable
{
    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Events_lists_a_scripts_log_pings_newest_first_in_text_and_json()
    {
        Assert.Equal(0, _sandbox.Run("record", "backup", "--started", "-1h", "--completed", "-1h").ExitCode);
        using (var store = ScriptRunStores.Open(_sandbox.Database))
        {
            var events = (IScriptEventStore)store;
            await events.AddScriptEventAsync("backup", DateTimeOffset.UtcNow.AddMinutes(-10), ScriptEvent.Log, "first\nrotated 3 files\n", "10.0.0.7");
            await events.AddScriptEventAsync("backup", DateTimeOffset.UtcNow.AddMinutes(-5), ScriptEvent.Log, null, "10.0.0.8");
        }

        var text = _sandbox.Run("events", "backup");
        var page = _sandbox.Run("events", "backup", "--limit", "1", "--json").Json();
        var none = _sandbox.Run("events", "quiet");
        var bad = _sandbox.Run("events", "backup", "--offset", "-1");

        Assert.True(text.ExitCode == 0, text.ToString());
        var lines = text.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("AT", lines[0], StringComparison.Ordinal);
        Assert.Contains("10.0.0.8", lines[1], StringComparison.Ordinal);
        Assert.Contains("rotated 3 files", lines[2], StringComparison.Ordinal);
        Assert.Equal("10.0.0.8", page.GetProperty("events")[0].GetProperty("source").GetString());
        Assert.Equal(1, page.GetProperty("nextOffset").GetInt32());
        Assert.Equal((0, "No events of quiet.\n"), (none.ExitCode, none.Stdout));
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("--offset", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_shows_unknown_for_a_run_whose_start_is_not_known()
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(-3);
        using (var store = ScriptRunStores.Open(_sandbox.Database))
        {
            await store.ImportRunAsync(new ScriptRun(Guid.NewGuid(), "pinged", "db-01", at, at, RunOutcome.Succeeded, null, null) { DurationUnknown = true });
        }

        var text = _sandbox.Run("runs", "pinged");
        var json = _sandbox.Run("last", "pinged", "--json").Json();

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("unknown", text.Stdout.Split('\n')[1], StringComparison.Ordinal);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("durationSeconds").ValueKind);
        Assert.True(json.GetProperty("durationUnknown").GetBoolean());
        Assert.Equal("unknown", _sandbox.Run("last", "pinged").Field("duration"));
    }
}

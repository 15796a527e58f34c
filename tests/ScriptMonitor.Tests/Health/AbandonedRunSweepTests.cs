using System.Diagnostics;
using System.Globalization;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;
using ScriptMonitor.Sqlite;
using ScriptMonitor.Testing;

namespace ScriptMonitor.Tests.Health;

/// <summary>Runs left running are closed as abandoned: by a real process that died on this host, or by the time bound.</summary>
public sealed class AbandonedRunSweepTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly SqliteScriptRunStore _store;
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    public AbandonedRunSweepTests()
    {
        _store = SqliteScriptRunStore.Open(_directory.File("runs.db"), new SqliteStoreOptions { FlushEveryCommit = false });
    }

    public void Dispose()
    {
        _store.Dispose();
        _directory.Dispose();
    }

    private static RunnerProcess This => RunnerProcess.Current() ?? throw new InvalidOperationException("This system has no /proc to name a runner by.");

    [Fact]
    public async Task A_run_whose_runner_was_killed_on_this_host_is_closed_with_why_and_a_live_one_is_not()
    {
        using var child = Process.Start("sleep", "60");
        var runner = This with { ProcessId = child.Id, StartTime = StartTimeOf(child.Id) };
        var dead = await _store.RecordStartAsync("backup", _now.AddMinutes(-5), runner: runner);
        var alive = await _store.RecordStartAsync("report", _now.AddMinutes(-5), runner: This);
        Assert.Empty(await AbandonedRunSweep.CloseGoneRunsAsync(_store, _now, CancellationToken.None));
        child.Kill();
        await child.WaitForExitAsync();

        var closed = await AbandonedRunSweep.CloseGoneRunsAsync(_store, _now, CancellationToken.None);

        var (run, reason) = Assert.Single(closed);
        Assert.Equal(dead.RunId, run.RunId);
        Assert.Equal($"its runner (pid {child.Id} on {RunValidation.ThisHost}) is gone: it ended without recording the run's end (killed, or out of memory)", reason);
        var stored = Assert.Single(await _store.ListRunsAsync(new RunQuery("backup")));
        Assert.Equal(RunOutcome.Abandoned, stored.Outcome);
        Assert.EndsWith("[abandoned] " + reason, stored.Output, StringComparison.Ordinal);
        Assert.Equal(RunOutcome.Running, Assert.Single(await _store.ListRunsAsync(new RunQuery("report"))).Outcome);
        Assert.Equal(alive.RunId, Assert.Single(await _store.ListRunningAsync()).RunId);
    }

    [Fact]
    public async Task A_run_from_before_a_reboot_of_this_host_is_closed_but_one_in_another_pid_namespace_is_not()
    {
        await _store.RecordStartAsync("before-reboot", _now.AddHours(-1), runner: This with { BootId = Guid.NewGuid().ToString() });
        await _store.RecordStartAsync("in-a-container", _now.AddHours(-1), runner: This with { PidNamespace = "pid:[1]", ProcessId = 1 });
        await _store.RecordStartAsync("elsewhere", _now.AddHours(-1), hostname: "another-host", runner: This with { BootId = Guid.NewGuid().ToString() });

        var closed = await AbandonedRunSweep.CloseAllAsync(_store, _now, CancellationToken.None);

        var (run, reason) = Assert.Single(closed);
        Assert.Equal("before-reboot", run.ScriptName);
        Assert.EndsWith("is gone: the host restarted after the run started", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runs_nobody_can_check_are_closed_once_past_their_bound()
    {
        await _store.RecordStartAsync("nightly", _now.AddDays(-2), hostname: "another-host");
        await _store.RecordStartAsync("slow", _now.AddHours(-2), hostname: "another-host");
        await _store.RecordStartAsync("bounded", _now.AddHours(-2), hostname: "another-host");
        await _store.SetExpectationAsync(new ScriptExpectation("bounded") { AbandonAfter = TimeSpan.FromHours(1) });

        var closed = await AbandonedRunSweep.CloseAllAsync(_store, _now, CancellationToken.None);

        Assert.Equal(["bounded", "nightly"], closed.Select(c => c.Run.ScriptName).Order(StringComparer.Ordinal));
        Assert.Contains(closed, c => c.Reason == "it was still running after 2d, past the 1d after which a run is presumed abandoned");
        Assert.Equal("slow", Assert.Single(await _store.ListRunningAsync()).ScriptName);
    }

    [Fact]
    public async Task A_late_completion_replaces_the_abandonment_and_the_script_is_up()
    {
        var run = await _store.RecordStartAsync("nightly", _now.AddDays(-2), hostname: "another-host");
        Assert.Single(await AbandonedRunSweep.CloseAllAsync(_store, _now, CancellationToken.None));

        await _store.CompleteRunAsync(run.RunId, _now, RunOutcome.Succeeded);

        Assert.Equal(RunOutcome.Succeeded, Assert.Single(await _store.ListRunsAsync(new RunQuery("nightly"))).Outcome);
        Assert.Empty(await AbandonedRunSweep.CloseAllAsync(_store, _now, CancellationToken.None));
    }

    /// <summary>Field 22 of /proc/PID/stat, counted after the command name's closing parenthesis.</summary>
    private static long StartTimeOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19], CultureInfo.InvariantCulture);
    }
}

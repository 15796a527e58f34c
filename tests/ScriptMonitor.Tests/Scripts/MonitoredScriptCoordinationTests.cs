using Microsoft.Extensions.Logging.Abstractions;
using ScriptMonitor.Application.Status;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Configuration;
using ScriptMonitor.Runs;
using ScriptMonitor.Tests.Support;

namespace ScriptMonitor.Tests.Scripts;

/// <summary>
/// What a monitored script does with the world around it, as real processes: the lock against a second instance,
/// the cron control file, signals, and the spool when the store is down.
/// </summary>
public sealed class MonitoredScriptCoordinationTests : IDisposable
{
    private readonly ScriptEnvironment _environment = new();

    public void Dispose() => _environment.Dispose();

    [Fact]
    public async Task A_second_instance_exits_1_and_records_nothing_while_the_first_holds_the_lock()
    {
        using var first = _environment.Start("hold");
        await first.WaitUntilReadyAsync();

        // The first run's start is recorded beside its Main: once it is there, any other run would be the second's.
        var holding = await WaitForRunAsync(RunOutcome.Running);
        var second = await _environment.RunAsync("pass");

        Assert.True(second.ExitCode == 1, second.ToString());
        Assert.Contains("already running", second.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("main ran", second.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(holding, Assert.Single(await _environment.RunsAsync()));
        Assert.Equal(first.Id, holding.Runner?.ProcessId);

        await first.SendLineAsync("done");
        var firstResult = await first.WaitForExitAsync();
        Assert.True(firstResult.ExitCode == 0, firstResult.ToString());
        var run = Assert.Single(await _environment.RunsAsync());
        Assert.Equal(RunOutcome.Succeeded, run.Outcome);
    }

    [Fact]
    public async Task A_stale_lock_left_by_a_killed_run_is_claimed_with_a_warning()
    {
        using (var crashed = _environment.Start("hold"))
        {
            await crashed.WaitUntilReadyAsync();
            await WaitForRunAsync(RunOutcome.Running);
            await crashed.SignalAsync("KILL");
            await crashed.WaitForExitAsync();
        }

        var result = await _environment.RunAsync("pass");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches("WARNING test-script: Claiming stale lock .* left by a run that did not end cleanly", result.StandardError);

        // The killed run's start was recorded: the run that claimed its lock closed it as abandoned.
        var runs = await _environment.RunsAsync();
        Assert.Equal([RunOutcome.Succeeded, RunOutcome.Abandoned], runs.Select(r => r.Outcome).Order());
    }

    [Theory]
    [InlineData("[test-script]\nenabled = false\n", "[test-script]")]
    [InlineData("[DEFAULT]\nenabled = false\n", "[DEFAULT]")]
    [InlineData("[DEFAULT]\nenabled = true\n[test-script]\nenabled = no\n", "[test-script]")]
    public async Task A_script_disabled_by_cron_control_says_why_exits_0_and_neither_runs_nor_records(string control, string section)
    {
        await File.WriteAllTextAsync(_environment.CronControl, control);

        var result = await _environment.RunAsync("pass");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"disabled by {section} in cron control file {_environment.CronControl}", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("main ran", result.StandardOutput, StringComparison.Ordinal);
        Assert.Empty(await _environment.RunsAsync());
    }

    [Theory]
    [InlineData("[DEFAULT]\nenabled = false\n[test-script]\nenabled = true\n")]
    [InlineData("[other-script]\nenabled = false\n")]
    [InlineData("")]
    public async Task A_script_enabled_by_cron_control_runs_and_records(string control)
    {
        await File.WriteAllTextAsync(_environment.CronControl, control);

        var result = await _environment.RunAsync("pass");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("main ran", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(RunOutcome.Succeeded, Assert.Single(await _environment.RunsAsync()).Outcome);
    }

    [Fact]
    public async Task A_malformed_cron_control_file_fails_open_with_a_warning()
    {
        await File.WriteAllTextAsync(_environment.CronControl, "[test-script]\nenabled = maybe\n");

        var result = await _environment.RunAsync("pass");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("WARNING", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("enabled must be true or false", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(RunOutcome.Succeeded, Assert.Single(await _environment.RunsAsync()).Outcome);
    }

    [Fact]
    public async Task An_unreadable_cron_control_file_fails_open_with_a_warning()
    {
        // Tests may run as root, who reads any file whatever its mode: a directory where the file should be is
        // unreadable for everyone.
        Directory.CreateDirectory(_environment.CronControl);

        var result = await _environment.RunAsync("pass");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Cron control file {_environment.CronControl} cannot be used", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(RunOutcome.Succeeded, Assert.Single(await _environment.RunsAsync()).Outcome);
    }

    [Theory]
    [InlineData("TERM", 143, "SIGTERM")]
    [InlineData("INT", 130, "SIGINT")]
    public async Task A_signal_cancels_Main_records_an_interrupted_failure_and_exits_128_plus_the_signal(string signal, int exitCode, string name)
    {
        using var script = _environment.Start("hold");
        await script.WaitUntilReadyAsync();

        await script.SignalAsync(signal);
        var result = await script.WaitForExitAsync();

        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.Contains($"interrupted by {name}", result.StandardError, StringComparison.Ordinal);
        await using var store = _environment.OpenStore();
        Assert.Null(store.GetLastActivity("test-script"));
        var run = Assert.Single(await store.ListRunsAsync(new RunQuery("test-script")));
        Assert.Equal(RunOutcome.Failed, run.Outcome);
        Assert.Equal(exitCode, run.ExitCode);
        Assert.Equal($"interrupted by {name}", run.Output);
    }

    [Fact]
    public async Task A_Main_that_ignores_cancellation_is_abandoned_after_the_grace_period_and_still_recorded()
    {
        _environment.Variables["TEST_SCRIPT_GRACE_MS"] = "200";
        using var script = _environment.Start("stubborn");
        await script.WaitUntilReadyAsync();

        await script.SignalAsync("TERM");
        var result = await script.WaitForExitAsync();

        Assert.True(result.ExitCode == 143, result.ToString());
        Assert.Contains("did not stop within 0.2 s", result.StandardError, StringComparison.Ordinal);
        Assert.Equal("interrupted by SIGTERM", Assert.Single(await _environment.RunsAsync()).Output);
    }

    [Fact]
    public async Task A_script_SIGKILLed_mid_run_shows_as_running_then_abandoned()
    {
        int pid;
        using (var killed = _environment.Start("hold"))
        {
            await killed.WaitUntilReadyAsync();
            pid = killed.Id;

            // The start is recorded beside Main, not before it: wait until the run is there.
            var running = await WaitForRunAsync(RunOutcome.Running);
            Assert.Equal(pid, running.Runner?.ProcessId);
            await killed.SignalAsync("KILL");
            await killed.WaitForExitAsync();
        }

        // Reading only: the status overview sees the run as abandoned, and leaves it running in the store.
        var status = await new StoreStatusQuery(
            new StoreAccess(ScriptRunStores.Parse(_environment.Database), TimeProvider.System),
            TimeProvider.System,
            NullLogger.Instance).ReadAsync();
        var row = Assert.Single(status.Scripts);
        Assert.Equal("Abandoned", row.Health);
        Assert.Equal(RunOutcome.Running, Assert.Single(await _environment.RunsAsync()).Outcome);

        // The next run of any script on this host closes the runs whose runner is gone.
        _environment.Variables["TEST_SCRIPT_NAME"] = "other-script";
        var other = await _environment.RunAsync("pass");

        Assert.True(other.ExitCode == 0, other.ToString());
        var abandoned = Assert.Single(await _environment.RunsAsync());
        Assert.Equal(RunOutcome.Abandoned, abandoned.Outcome);
        Assert.Contains($"its runner (pid {pid} on ", abandoned.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_the_store_cannot_take_is_spooled_and_delivered_once_by_the_next_run_with_its_own_timestamps()
    {
        // A directory where the database file should be: the store cannot be opened.
        var unwritable = _environment.File("not-a-database");
        Directory.CreateDirectory(unwritable);
        _environment.Variables["SCRIPTMON_DATABASE"] = unwritable;

        var spooled = await _environment.RunAsync("pass");

        Assert.True(spooled.ExitCode == 0, spooled.ToString());
        Assert.Contains("ERROR test-script: Cannot record the run of test-script", spooled.StandardError, StringComparison.Ordinal);
        var entry = Assert.Single(Directory.GetFiles(_environment.SpoolDirectory, "*.run.json"));
        var (runId, spooledStart, spooledEnd) = ReadEntry(entry);

        _environment.Variables["SCRIPTMON_DATABASE"] = _environment.Database;
        var delivering = await _environment.RunAsync("pass");

        Assert.True(delivering.ExitCode == 0, delivering.ToString());
        Assert.Empty(Directory.GetFiles(_environment.SpoolDirectory, "*.run.json"));
        var runs = await _environment.RunsAsync();
        Assert.Equal(2, runs.Count);
        var delivered = Assert.Single(runs, r => r.RunId == runId);
        Assert.Equal(Timestamps.Normalize(spooledStart), delivered.StartedAt);
        Assert.Equal(Timestamps.Normalize(spooledEnd), delivered.CompletedAt);
        Assert.Equal(RunOutcome.Succeeded, delivered.Outcome);

        var third = await _environment.RunAsync("pass");

        Assert.True(third.ExitCode == 0, third.ToString());
        runs = await _environment.RunsAsync();
        Assert.Equal(3, runs.Count);
        Assert.Equal(3, runs.Select(r => r.RunId).Distinct().Count());
        Assert.Single(runs, r => r.RunId == runId);
    }

    [Fact]
    public async Task Another_script_delivers_the_spool_of_every_script_on_the_host()
    {
        var unwritable = _environment.File("not-a-database");
        Directory.CreateDirectory(unwritable);
        _environment.Variables["SCRIPTMON_DATABASE"] = unwritable;
        var spooled = await _environment.RunAsync("exit", "5", "store down too");
        Assert.True(spooled.ExitCode == 5, spooled.ToString());
        Assert.Single(Directory.GetFiles(_environment.SpoolDirectory, "*.run.json"));

        _environment.Variables["SCRIPTMON_DATABASE"] = _environment.Database;
        _environment.Variables["TEST_SCRIPT_NAME"] = "other-script";
        var other = await _environment.RunAsync("pass");

        Assert.True(other.ExitCode == 0, other.ToString());
        var failure = Assert.Single(await _environment.RunsAsync("test-script"));
        Assert.Equal(RunOutcome.Failed, failure.Outcome);
        Assert.Equal(5, failure.ExitCode);
        Assert.Equal("store down too", failure.Output);
        Assert.Single(await _environment.RunsAsync("other-script"));
    }

    /// <summary>Waits until the script's one run has the outcome, or fails the test after a minute.</summary>
    private async Task<ScriptRun> WaitForRunAsync(RunOutcome outcome)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            if (await _environment.RunsAsync() is [var run] && run.Outcome == outcome)
            {
                return run;
            }

            await Task.Delay(20, timeout.Token);
        }
    }

    private static (Guid RunId, DateTimeOffset Started, DateTimeOffset Completed) ReadEntry(string spoolEntry)
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(spoolEntry));
        var root = document.RootElement;
        return (root.GetProperty("runId").GetGuid(), root.GetProperty("startedAt").GetDateTimeOffset(), root.GetProperty("completedAt").GetDateTimeOffset());
    }
}

using System.Net;
using ScriptMonitor.Runs;
using ScriptMonitor.Tests.Support;

namespace ScriptMonitor.Tests.Scripts;

/// <summary>The lifecycle of a monitored script, run as a real process: outcomes, exit statuses, options, logging.</summary>
public sealed class MonitoredScriptProcessTests : IDisposable
{
    private readonly ScriptEnvironment _environment = new();

    public void Dispose() => _environment.Dispose();

    [Fact]
    public async Task A_successful_run_is_recorded_with_the_script_name_and_this_host()
    {
        var result = await _environment.RunAsync("pass");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("main ran", result.StandardOutput, StringComparison.Ordinal);
        var run = Assert.Single(await _environment.RunsAsync());
        Assert.Equal(RunOutcome.Succeeded, run.Outcome);
        Assert.Equal("test-script", run.ScriptName);
        Assert.Equal(Dns.GetHostName(), run.Hostname);
        Assert.True(run.CompletedAt >= run.StartedAt);
    }

    [Fact]
    public async Task A_successful_run_at_the_default_verbosity_prints_nothing_on_stderr()
    {
        var result = await _environment.RunAsync("pass");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(string.Empty, result.StandardError);
    }

    [Fact]
    public async Task An_exception_exits_1_logs_its_stack_trace_and_records_a_failure_never_a_success()
    {
        var result = await _environment.RunAsync("fail");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("System.InvalidOperationException: Some failure", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("   at TestScript.MainAsync", result.StandardError, StringComparison.Ordinal);
        await using var store = _environment.OpenStore();
        Assert.Null(store.GetLastActivity("test-script"));
        var run = Assert.Single(await store.ListRunsAsync(new RunQuery("test-script")));
        Assert.Equal(RunOutcome.Failed, run.Outcome);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("System.InvalidOperationException: Some failure", run.Output);
    }

    [Fact]
    public async Task A_script_failure_exits_with_its_own_status_and_message_without_a_stack_trace()
    {
        var result = await _environment.RunAsync("exit", "3", "the input feed is empty");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("the input feed is empty", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
        var run = Assert.Single(await _environment.RunsAsync());
        Assert.Equal(RunOutcome.Failed, run.Outcome);
        Assert.Equal(3, run.ExitCode);
        Assert.Equal("the input feed is empty", run.Output);
    }

    [Theory]
    [InlineData("--no-such-option", "pass")]
    [InlineData("pass", "--log-file")]
    [InlineData("--log-file=DEBUG:", "pass")]
    public async Task A_bad_command_line_prints_the_usage_exits_2_and_records_nothing(params string[] args)
    {
        var result = await _environment.RunAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("Usage:", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("main ran", result.StandardOutput, StringComparison.Ordinal);
        Assert.False(File.Exists(_environment.Database));
    }

    [Fact]
    public async Task Help_lists_the_common_options_and_exits_0_without_running()
    {
        var result = await _environment.RunAsync("--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var option in new[] { "--verbose", "--quiet", "--log-file", "[LEVEL:]PATH", "test-script" })
        {
            Assert.Contains(option, result.StandardOutput, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(_environment.Database));
    }

    [Fact]
    public async Task Arguments_after_a_double_dash_may_start_with_a_dash()
    {
        var result = await _environment.RunAsync("--", "exit", "4", "-not-an-option");

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("-not-an-option", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], "information")]
    [InlineData(new[] { "-v" }, "debug")]
    [InlineData(new[] { "-v", "-v" }, "trace")]
    [InlineData(new[] { "-vv" }, "trace")]
    [InlineData(new[] { "-q" }, "warning")]
    [InlineData(new[] { "-qq" }, "error")]
    [InlineData(new[] { "-q", "-q", "-q" }, "critical")]
    [InlineData(new[] { "-v", "-q" }, "information")]
    public async Task Verbose_and_quiet_options_move_the_stderr_level_cumulatively(string[] options, string leastSevereShown)
    {
        string[] levels = ["trace", "debug", "information", "warning", "error", "critical"];

        var result = await _environment.RunAsync([.. options, "log"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var shownFrom = Array.IndexOf(levels, leastSevereShown);
        for (var i = 0; i < levels.Length; i++)
        {
            var line = $"{levels[i]} message";
            if (i >= shownFrom)
            {
                Assert.Contains(line, result.StandardError, StringComparison.Ordinal);
            }
            else
            {
                Assert.DoesNotContain(line, result.StandardError, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Log_lines_carry_UTC_timestamps()
    {
        var result = await _environment.RunAsync("log");

        Assert.Matches(@"(?m)^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z WARNING test-script: warning message$", result.StandardError);
    }

    [Fact]
    public async Task Log_file_receives_its_own_level_in_addition_to_stderr()
    {
        var logFile = _environment.File("logs/test-script.log");

        var result = await _environment.RunAsync("-q", $"--log-file=DEBUG:{logFile}", "log");

        Assert.True(result.ExitCode == 0, result.ToString());
        var written = await File.ReadAllTextAsync(logFile);
        Assert.Contains("debug message", written, StringComparison.Ordinal);
        Assert.Contains("critical message", written, StringComparison.Ordinal);
        Assert.DoesNotContain("trace message", written, StringComparison.Ordinal);
        Assert.DoesNotContain("information message", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("warning message", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_file_without_a_level_keeps_information_even_when_stderr_is_quiet()
    {
        var logFile = _environment.File("plain.log");

        var result = await _environment.RunAsync("-qq", $"--log-file={logFile}", "log");

        Assert.True(result.ExitCode == 0, result.ToString());
        var written = await File.ReadAllTextAsync(logFile);
        Assert.Contains("information message", written, StringComparison.Ordinal);
        Assert.DoesNotContain("debug message", written, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_file_moved_away_by_logrotate_is_reopened_at_its_path()
    {
        var logFile = _environment.File("rotated.log");
        using var script = _environment.Start($"--log-file={logFile}", "rotate");
        await script.WaitUntilReadyAsync();

        File.Move(logFile, logFile + ".1");
        await script.SendLineAsync("go");
        var result = await script.WaitForExitAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        var old = await File.ReadAllTextAsync(logFile + ".1");
        var current = await File.ReadAllTextAsync(logFile);
        Assert.Contains("before rotation", old, StringComparison.Ordinal);
        Assert.DoesNotContain("after rotation", old, StringComparison.Ordinal);
        Assert.Contains("after rotation", current, StringComparison.Ordinal);
        Assert.DoesNotContain("before rotation", current, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_file_truncated_by_copytruncate_gets_new_lines_from_its_start()
    {
        var logFile = _environment.File("truncated.log");
        using var script = _environment.Start($"--log-file={logFile}", "rotate");
        await script.WaitUntilReadyAsync();

        File.Copy(logFile, logFile + ".1");
        await using (new FileStream(logFile, FileMode.Truncate, FileAccess.Write, FileShare.ReadWrite))
        {
        }

        await script.SendLineAsync("go");
        var result = await script.WaitForExitAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        var current = await File.ReadAllTextAsync(logFile);
        Assert.Contains("after rotation", current, StringComparison.Ordinal);
        Assert.DoesNotContain('\0', current);
        Assert.Contains("before rotation", await File.ReadAllTextAsync(logFile + ".1"), StringComparison.Ordinal);
    }
}

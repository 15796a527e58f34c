using System.Text;
using ScriptMonitor.Cli.Tests.Support;

namespace ScriptMonitor.Cli.Tests.Exec;

/// <summary>Whatever stdout and stderr are (closed, full, a file, a pipe nobody reads), the job runs as it would unwrapped.</summary>
public sealed class ExecDescriptorTests : IDisposable
{
    /// <summary>A job line that says whether its descriptor N is open, without writing to it.</summary>
    private const string ReportDescriptors = "exec 8>>descriptors; for n in 0 1 2; do if (exec 9>&$n); then echo \"$n open\" >&8; else echo \"$n closed\" >&8; fi; done";

    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Theory]
    [InlineData("exec \"$@\" >&-", "1 closed")]
    [InlineData("exec \"$@\" 2>&-", "2 closed")]
    [InlineData("exec \"$@\" <&-", "0 closed")]
    public async Task Exec_runs_the_job_with_a_closed_descriptor_closed_for_the_job_too(string caller, string expected)
    {
        var result = await _sandbox.RunThroughShellAsync(caller, "exec", "closed", "--", "sh", "-c", ReportDescriptors + "; exit 4");

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains(expected, _sandbox.Lines("descriptors"));
        Assert.Equal(3, _sandbox.Lines("descriptors").Length);
        Assert.Equal(4, Runs.Only(_sandbox, "closed").GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task Exec_with_every_standard_descriptor_closed_still_runs_and_records_the_job()
    {
        var result = await _sandbox.RunThroughShellAsync("exec \"$@\" <&- >&- 2>&-", "exec", "all-closed", "--", "sh", "-c", ReportDescriptors + "; exit 3");

        Assert.Equal(3, result.ExitCode);
        Assert.Equal(["0 closed", "1 closed", "2 closed"], _sandbox.Lines("descriptors"));
        Assert.Equal(3, Runs.Only(_sandbox, "all-closed").GetProperty("exitCode").GetInt32());
    }

    [Theory]
    [InlineData("exec \"$@\" >/dev/full", "standard output")]
    [InlineData("exec \"$@\" 2>/dev/full", "standard error")]
    public async Task Exec_passes_the_status_through_when_its_output_cannot_be_written_and_records_a_warning(string caller, string stream)
    {
        var result = await _sandbox.RunThroughShellAsync(caller, "exec", "full", "--", "sh", "-c", "echo out; echo err >&2; touch finished; exit 0");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(_sandbox.File("finished")));
        var run = Runs.Only(_sandbox, "full");
        Assert.Equal("succeeded", run.GetProperty("outcome").GetString());
        Assert.Contains($"warning: the command's {stream} could not be passed on (No space left on device)", run.Output(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_gives_the_job_a_regular_file_as_it_is_and_records_the_tail_of_what_it_appended()
    {
        var log = _sandbox.File("job.log");
        await File.WriteAllTextAsync(log, "written before the run\n");

        var result = await _sandbox.RunThroughShellAsync(
            $"exec \"$@\" >>'{log}' 2>&1",
            "exec", "to-file", "--", "sh", "-c", "if [ -f /dev/stdout ] && [ -f /dev/stderr ]; then echo regular-files; fi; echo failing >&2; exit 2");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("written before the run\nregular-files\nfailing\n", await File.ReadAllTextAsync(log));
        var output = Runs.Only(_sandbox, "to-file").Output();
        Assert.StartsWith("regular-files\nfailing\n[scriptmon] exited with status 2", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_keeps_passing_on_a_background_process_output_after_it_returns()
    {
        var late = _sandbox.File("late-written");
        using var scriptmon = _sandbox.Start("exec", "daemon", "--", "sh", "-c", $"(while [ ! -e go ] && [ -e '{_sandbox.Root}' ]; do sleep 0.05; done; echo late; touch '{late}') & echo early");
        var stdout = new MemoryStream();
        var copy = scriptmon.StandardOutput.BaseStream.CopyToAsync(stdout);

        await scriptmon.WaitForExitAsync();
        await File.WriteAllTextAsync(_sandbox.File("go"), string.Empty);
        await copy.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, scriptmon.ExitCode);
        Assert.Equal("early\nlate\n", Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.True(File.Exists(late));
        Assert.Equal("succeeded", Runs.Only(_sandbox, "daemon").GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Exec_lets_a_background_process_keep_writing_to_an_output_file_after_it_returns()
    {
        var log = _sandbox.File("daemon.log");

        var result = await _sandbox.RunThroughShellAsync(
            $"exec \"$@\" >'{log}' 2>&1",
            "exec", "daemon", "--", "sh", "-c", $"(while [ ! -e go ] && [ -e '{_sandbox.Root}' ]; do sleep 0.05; done; echo late; touch written) & echo early");
        await File.WriteAllTextAsync(_sandbox.File("go"), string.Empty);
        await Sandbox.WaitForFileAsync(_sandbox.File("written"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("early\nlate\n", await File.ReadAllTextAsync(log));
    }

    [Fact]
    public async Task Exec_enforces_the_timeout_and_records_the_run_while_nobody_reads_its_output()
    {
        // The test reads nothing until the run is recorded: the pipe fills, and scriptmon's copy of it blocks.
        using var scriptmon = _sandbox.Start("exec", "blocked", "--timeout", "1s", "--", "sh", "-c", "head -c 1000000 /dev/zero; sleep 60");
        await Sandbox.WaitUntilAsync(() => Runs.Recorded(_sandbox, "blocked") is [var run] && run.GetProperty("outcome").GetString() == "failed", "the timed-out run to be recorded");

        var result = await Sandbox.CompleteAsync(scriptmon);

        Assert.Equal(124, result.ExitCode);
        // What the job wrote before the timeout stopped it, blocked as it was, all passed on.
        Assert.NotEmpty(result.StdoutBytes);
        Assert.True(result.StdoutBytes.All(b => b == 0), "the output was changed on the way");
        Assert.Contains("timed out after 1s", Runs.Only(_sandbox, "blocked").Output(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_keeps_the_order_of_stdout_and_stderr_that_go_to_one_pipe()
    {
        var script = "i=0; while [ $i -lt 200 ]; do echo out-$i; echo err-$i >&2; i=$((i+1)); done";

        var result = await _sandbox.RunThroughShellAsync("exec \"$@\" 2>&1", "exec", "merged", "--", "sh", "-c", script);

        var expected = string.Concat(Enumerable.Range(0, 200).Select(i => $"out-{i}\nerr-{i}\n"));
        Assert.Equal(expected, result.Stdout);
    }
}

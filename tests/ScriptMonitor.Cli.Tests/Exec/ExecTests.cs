using System.Diagnostics;
using System.Text.Json;
using ScriptMonitor.Cli.Tests.Support;

namespace ScriptMonitor.Cli.Tests.Exec;

public sealed class ExecTests : IDisposable
{
    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(42)]
    [InlineData(255)]
    public void Exec_exits_with_the_commands_own_status(int status)
    {
        var result = _sandbox.Run("exec", "job", "--", "sh", "-c", $"exit {status}");

        Assert.Equal(status, result.ExitCode);
    }

    [Fact]
    public void Exec_passes_binary_output_through_byte_for_byte()
    {
        var data = new byte[100_000];
        new Random(4).NextBytes(data);
        var file = _sandbox.File("random.bin");
        File.WriteAllBytes(file, data);

        var result = _sandbox.Run("exec", "copy", "--", "cat", file);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(data, result.StdoutBytes);
    }

    [Fact]
    public void Exec_passes_stderr_through_unchanged_and_keeps_stdout_apart()
    {
        var result = _sandbox.Run("exec", "streams", "--", "sh", "-c", "printf 'to-out'; printf 'to-err\\n' >&2");

        Assert.Equal("to-out", result.Stdout);
        Assert.Equal("to-err\n", result.Stderr);
    }

    [Fact]
    public void Exec_passes_arguments_through_without_reading_them_as_its_own()
    {
        var result = _sandbox.Run("exec", "args", "--", "printf", "%s|", "--help", "--json", "a b", "--");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("--help|--json|a b|--|", result.Stdout);
    }

    [Fact]
    public async Task Exec_lets_the_command_see_a_closed_pipe_as_it_would_unwrapped()
    {
        using var scriptmon = _sandbox.Start("exec", "piped", "--", "yes");
        await scriptmon.StandardOutput.BaseStream.ReadExactlyAsync(new byte[16]);

        scriptmon.StandardOutput.BaseStream.Dispose();
        var stderr = scriptmon.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await scriptmon.WaitForExitAsync(timeout.Token);

        Assert.True(scriptmon.ExitCode == 141, $"exit {scriptmon.ExitCode}: {await stderr}");
        Assert.Contains("killed by SIGPIPE", OnlyRun("piped").GetProperty("output").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Exec_starts_the_command_with_default_signal_handling_so_pipelines_end_quietly()
    {
        var result = _sandbox.Run("exec", "pipeline", "--", "sh", "-c", "yes | head -n 1");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("y\n", result.Stdout);
        Assert.Equal(string.Empty, result.Stderr);
    }

    [Fact]
    public async Task Exec_does_not_wait_for_a_background_process_that_keeps_the_output_open()
    {
        using var scriptmon = _sandbox.Start("exec", "daemonizes", "--", "sh", "-c", "sleep 60 & echo $! > background; echo started");
        var stdout = new MemoryStream();
        var copy = scriptmon.StandardOutput.BaseStream.CopyToAsync(stdout);

        await scriptmon.WaitForExitAsync();
        var succeeded = OnlyRun("daemonizes").GetProperty("outcome").GetString();
        using (var kill = Process.Start("kill", [File.ReadAllText(_sandbox.File("background")).Trim()]))
        {
            await kill.WaitForExitAsync();
        }

        await copy.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, scriptmon.ExitCode);
        Assert.Equal("started\n", System.Text.Encoding.UTF8.GetString(stdout.ToArray()));
        Assert.Equal("succeeded", succeeded);
    }

    [Fact]
    public void Exec_runs_the_command_unrecorded_when_the_configuration_cannot_be_read()
    {
        File.WriteAllText(_sandbox.File("config.json"), "{ not json");

        var result = _sandbox.Run("exec", "configless", "--", "sh", "-c", "echo ran; exit 6");

        Assert.Equal(6, result.ExitCode);
        Assert.Equal("ran\n", result.Stdout);
        Assert.Contains("without recording it", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Exec_with_lock_does_not_run_the_command_when_the_configuration_cannot_be_read()
    {
        File.WriteAllText(_sandbox.File("config.json"), "{ not json");
        var marker = _sandbox.File("ran");

        var result = _sandbox.Run("exec", "configless", "--lock", "--", "touch", marker);

        Assert.Equal(125, result.ExitCode);
        Assert.False(File.Exists(marker));
        Assert.Contains("its lock cannot be taken because the configuration cannot be read", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Exec_records_a_successful_run_with_a_run_id()
    {
        Assert.Equal(0, _sandbox.Run("exec", "hello", "--", "echo", "hello").ExitCode);

        var last = _sandbox.Run("last", "hello", "--json").Json();

        Assert.Equal("hello", last.GetProperty("script").GetString());
        Assert.Equal("succeeded", last.GetProperty("outcome").GetString());
        Assert.Equal(0, last.GetProperty("exitCode").GetInt32());
        Assert.NotEqual(Guid.Empty, last.GetProperty("runId").GetGuid());
        Assert.Equal(Environment.MachineName, last.GetProperty("host").GetString(), ignoreCase: true);
    }

    [Fact]
    public void Exec_records_a_failure_with_its_exit_status_and_the_tail_of_its_output()
    {
        Assert.Equal(5, _sandbox.Run("exec", "broken", "--", "sh", "-c", "echo working; echo 'disk full' >&2; exit 5").ExitCode);

        var run = OnlyRun("broken");

        Assert.Equal("failed", run.GetProperty("outcome").GetString());
        Assert.Equal(5, run.GetProperty("exitCode").GetInt32());
        var output = run.GetProperty("output").GetString()!;
        Assert.Contains("working\n", output, StringComparison.Ordinal);
        Assert.Contains("disk full\n", output, StringComparison.Ordinal);
        Assert.EndsWith("exited with status 5", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Exec_keeps_only_the_last_10_KB_of_a_long_output()
    {
        var script = "i=0; while [ $i -lt 5000 ]; do echo line-$i; i=$((i+1)); done; exit 7";

        var result = _sandbox.Run("exec", "noisy", "--", "sh", "-c", script);

        Assert.Equal(7, result.ExitCode);
        Assert.StartsWith("line-0\nline-1\n", result.Stdout, StringComparison.Ordinal);
        var output = OnlyRun("noisy").GetProperty("output").GetString()!;
        Assert.True(output.Length <= 10 * 1024, $"stored output is {output.Length} characters");
        Assert.Contains("line-4999\n", output, StringComparison.Ordinal);
        Assert.DoesNotContain("line-10\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Exec_does_not_store_the_output_of_a_success()
    {
        _sandbox.Run("exec", "quiet", "--", "echo", "fine");

        Assert.Equal(JsonValueKind.Null, OnlyRun("quiet").GetProperty("output").ValueKind);
    }

    [Fact]
    public async Task Exec_forwards_SIGTERM_to_the_command_and_records_the_signal()
    {
        var ready = _sandbox.File("ready");
        using var scriptmon = _sandbox.Start("exec", "trapper", "--", "sh", "-c", $"trap 'echo got-term; exit 143' TERM; touch '{ready}'; while :; do sleep 0.05; done");
        await Sandbox.WaitForFileAsync(ready);

        Sandbox.Signal(scriptmon, "TERM");
        var result = await Sandbox.CompleteAsync(scriptmon);

        Assert.Equal(143, result.ExitCode);
        Assert.Contains("got-term", result.Stdout, StringComparison.Ordinal);
        var run = OnlyRun("trapper");
        Assert.Equal("failed", run.GetProperty("outcome").GetString());
        Assert.Equal(143, run.GetProperty("exitCode").GetInt32());
        Assert.Contains("received SIGTERM", run.GetProperty("output").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_reports_a_command_killed_by_a_forwarded_signal_as_128_plus_the_signal()
    {
        var ready = _sandbox.File("ready");
        using var scriptmon = _sandbox.Start("exec", "sleeper", "--", "sh", "-c", $"touch '{ready}'; exec sleep 60");
        await Sandbox.WaitForFileAsync(ready);
        await WaitForChildAsync(scriptmon.Id, "sleep");

        Sandbox.Signal(scriptmon, "HUP");
        var result = await Sandbox.CompleteAsync(scriptmon);

        Assert.Equal(129, result.ExitCode);
        var output = OnlyRun("sleeper").GetProperty("output").GetString();
        Assert.Contains("received SIGHUP", output, StringComparison.Ordinal);
        Assert.Contains("killed by SIGHUP", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Exec_timeout_kills_a_command_that_ignores_SIGTERM_and_records_a_timeout()
    {
        var result = _sandbox.Run("exec", "stubborn", "--timeout", "1s", "--kill-after", "500ms", "--", "sh", "-c", "trap '' TERM; while :; do sleep 0.05; done");

        Assert.Equal(124, result.ExitCode);
        var run = OnlyRun("stubborn");
        Assert.Equal("failed", run.GetProperty("outcome").GetString());
        Assert.Equal(137, run.GetProperty("exitCode").GetInt32());
        Assert.Contains("timed out after 1s: sent SIGTERM, then SIGKILL", run.GetProperty("output").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Exec_timeout_exits_124_and_records_the_commands_own_status()
    {
        var result = _sandbox.Run("exec", "slow", "--timeout", "300ms", "--", "sleep", "30");

        Assert.Equal(124, result.ExitCode);
        var run = OnlyRun("slow");
        Assert.Equal(143, run.GetProperty("exitCode").GetInt32());
        Assert.Contains("timed out after 300ms: sent SIGTERM to its process group; exit status 143 (scriptmon exited with 124)", run.GetProperty("output").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_with_lock_skips_a_second_run_while_the_first_holds_it()
    {
        var ready = _sandbox.File("ready");
        var release = _sandbox.File("release");
        using var first = _sandbox.Start("exec", "locked", "--lock", "--", "sh", "-c", $"touch '{ready}'; while [ ! -f '{release}' ]; do sleep 0.05; done");
        await Sandbox.WaitForFileAsync(ready);

        var second = await _sandbox.RunAsync("exec", "locked", "--lock", "--", "touch", _sandbox.File("second-ran"));
        File.WriteAllText(release, string.Empty);
        var firstResult = await Sandbox.CompleteAsync(first);

        Assert.Equal(1, second.ExitCode);
        Assert.Contains("already running", second.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_sandbox.File("second-ran")));
        Assert.Equal(0, firstResult.ExitCode);
        Assert.Single(_sandbox.Run("runs", "locked", "--json").Json().GetProperty("runs").EnumerateArray());
    }

    [Fact]
    public void Exec_with_lock_runs_when_nobody_holds_it()
    {
        Assert.Equal(0, _sandbox.Run("exec", "locked", "--lock", "--", "true").ExitCode);
        Assert.Equal(0, _sandbox.Run("exec", "locked", "--lock", "--", "true").ExitCode);

        Assert.Equal(2, _sandbox.Run("runs", "locked", "--json").Json().GetProperty("runs").GetArrayLength());
    }

    [Fact]
    public void Exec_does_not_run_a_script_disabled_by_cron_control()
    {
        File.WriteAllText(_sandbox.CronControl, "[DEFAULT]\nenabled = true\n\n[nightly]\nenabled = false\n");
        var marker = _sandbox.File("ran");

        var result = _sandbox.Run("exec", "nightly", "--", "touch", marker);

        Assert.Equal(0, result.ExitCode);
        Assert.False(File.Exists(marker));
        Assert.False(File.Exists(_sandbox.Database));
    }

    [Fact]
    public void Exec_records_a_command_that_cannot_be_found_as_a_failure_with_status_127()
    {
        var result = _sandbox.Run("exec", "typo", "--", "/no/such/command");

        Assert.Equal(127, result.ExitCode);
        var run = OnlyRun("typo");
        Assert.Equal("failed", run.GetProperty("outcome").GetString());
        Assert.Contains("could not start the command", run.GetProperty("output").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Exec_records_the_host_it_is_given()
    {
        _sandbox.Run("exec", "hosted", "--host", "db-01", "--", "true");

        Assert.Equal("db-01", OnlyRun("hosted").GetProperty("host").GetString());
    }

    [Fact]
    public void Exec_spools_a_run_the_store_cannot_take_and_spool_flush_delivers_it()
    {
        var good = _sandbox.Database;
        File.WriteAllText(_sandbox.File("not-a-directory"), string.Empty);
        _sandbox.Database = _sandbox.File("not-a-directory", "scriptmon.db");

        var result = _sandbox.Run("exec", "offline", "--", "sh", "-c", "echo still-runs; exit 4");

        Assert.Equal(4, result.ExitCode);
        Assert.Equal("still-runs\n", result.Stdout);
        Assert.Contains("spooled", result.Stderr, StringComparison.Ordinal);
        var spooled = Assert.Single(_sandbox.Run("spool", "list", "--json").Json().GetProperty("entries").EnumerateArray());
        Assert.Equal("offline", spooled.GetProperty("script").GetString());
        Assert.Equal("failed", spooled.GetProperty("outcome").GetString());
        Assert.Equal(4, spooled.GetProperty("exitCode").GetInt32());
        Assert.Equal(3, _sandbox.Run("spool", "flush").ExitCode);

        _sandbox.Database = good;
        var flush = _sandbox.Run("spool", "flush", "--json");

        Assert.Equal(0, flush.ExitCode);
        Assert.Equal(1, flush.Json().GetProperty("delivered").GetInt32());
        Assert.Empty(_sandbox.Run("spool", "list", "--json").Json().GetProperty("entries").EnumerateArray());
        var run = OnlyRun("offline");
        Assert.Equal(spooled.GetProperty("runId").GetGuid(), run.GetProperty("runId").GetGuid());
        Assert.Equal(spooled.GetProperty("startedAt").GetString(), run.GetProperty("startedAt").GetString());
        Assert.Equal(4, run.GetProperty("exitCode").GetInt32());
        Assert.Contains("still-runs", run.GetProperty("output").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Exec_delivers_waiting_spooled_runs_once_the_store_is_back()
    {
        var good = _sandbox.Database;
        File.WriteAllText(_sandbox.File("not-a-directory"), string.Empty);
        _sandbox.Database = _sandbox.File("not-a-directory", "scriptmon.db");
        _sandbox.Run("exec", "later", "--", "true");

        _sandbox.Database = good;
        _sandbox.Run("exec", "later", "--", "true");

        Assert.Empty(_sandbox.Run("spool", "list", "--json").Json().GetProperty("entries").EnumerateArray());
        Assert.Equal(2, _sandbox.Run("runs", "later", "--json").Json().GetProperty("runs").GetArrayLength());
    }

    [Fact]
    public async Task Exec_records_itself_as_the_runner_of_the_run_it_started()
    {
        using var scriptmon = _sandbox.Start("exec", "watched", "--", "sh", "-c", $"while [ ! -e stop ] && [ -e '{_sandbox.Root}' ]; do sleep 0.05; done");
        IReadOnlyList<ScriptMonitor.Runs.ScriptRun> running = [];
        await Sandbox.WaitUntilAsync(() => (running = RunningRuns()).Count == 1, "the start to be recorded");
        await File.WriteAllTextAsync(_sandbox.File("stop"), string.Empty);
        await Sandbox.CompleteAsync(scriptmon);

        var runner = running[0].Runner;
        Assert.NotNull(runner);
        Assert.Equal(scriptmon.Id, runner.ProcessId);
        Assert.Equal(ScriptMonitor.Runs.RunnerProcess.Current()!.BootId, runner.BootId);
        Assert.Equal("succeeded", OnlyRun("watched").GetProperty("outcome").GetString());
    }

    private IReadOnlyList<ScriptMonitor.Runs.ScriptRun> RunningRuns()
    {
        if (!File.Exists(_sandbox.Database))
        {
            return [];
        }

        using var store = ScriptMonitor.Sqlite.SqliteScriptRunStore.Open(_sandbox.Database);
        return store.ListRunningAsync().GetAwaiter().GetResult();
    }

    private JsonElement OnlyRun(string script)
    {
        var runs = _sandbox.Run("runs", script, "--json");
        Assert.True(runs.ExitCode == 0, runs.ToString());
        return Assert.Single(runs.Json().GetProperty("runs").EnumerateArray());
    }

    /// <summary>Waits until the process has a child running <paramref name="command"/>, so a signal reaches it and not its shell.</summary>
    private static async Task WaitForChildAsync(int parent, string command)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            foreach (var directory in Directory.GetDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                    if (name == command && fields[1] == parent.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    {
                        return;
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // The process ended while we looked.
                }
            }

            await Task.Delay(20, timeout.Token);
        }
    }
}

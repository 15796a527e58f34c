using System.Diagnostics;
using System.Globalization;
using ScriptMonitor.Cli.Tests.Support;

namespace ScriptMonitor.Cli.Tests.Exec;

/// <summary>The job runs in a process group of its own; every signal scriptmon receives reaches that group once.</summary>
public sealed class ExecSignalTests : IDisposable
{
    /// <summary>
    /// Every signal scriptmon passes on, by number (Linux): HUP INT QUIT USR1 USR2 ALRM TERM STKFLT CONT TSTP URG XCPU
    /// XFSZ VTALRM PROF WINCH IO PWR, and real-time signals above the runtime's own (SIGRTMIN+1 … SIGRTMAX).
    /// </summary>
    private static readonly int[] Forwarded = [1, 2, 3, 10, 12, 14, 15, 16, 18, 20, 23, 24, 25, 26, 27, 28, 29, 30, 35, 50, 64];

    /// <summary>
    /// A job's wait that starts no process (so none is stopped by SIGTSTP or killed by a signal sent to the group):
    /// a read of a FIFO, which each signal interrupts, and which <see cref="StopWaitingAsync"/> ends.
    /// </summary>
    private const string WaitWithoutChildren = "mkfifo wake; exec 3<>wake; touch ready; while [ ! -e stop ]; do read -r _ <&3; done";

    private readonly Sandbox _sandbox;

    public ExecSignalTests()
    {
        InheritedSignals.RequireDefaults();
        _sandbox = new Sandbox();
    }

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Exec_passes_each_signal_it_receives_on_to_the_job_exactly_once_and_survives_them_all()
    {
        var traps = string.Join("; ", Forwarded.Select(n => $"trap 'echo {n} >> got' {n}"));
        var job = $"{traps}; {WaitWithoutChildren}; exit 5";
        using var scriptmon = _sandbox.Start("exec", "signals", "--", "sh", "-c", job);
        await Sandbox.WaitForFileAsync(_sandbox.File("ready"));

        foreach (var signal in Forwarded)
        {
            Kill(scriptmon.Id, signal);
            await Sandbox.WaitUntilAsync(() => _sandbox.Lines("got").Contains(signal.ToString(CultureInfo.InvariantCulture)), $"the job to get signal {signal}");
        }

        await StopWaitingAsync();
        var result = await Sandbox.CompleteAsync(scriptmon);

        Assert.True(result.ExitCode == 5, result.ToString());
        Assert.Equal(Forwarded.Select(n => n.ToString(CultureInfo.InvariantCulture)), _sandbox.Lines("got"));
        Assert.Equal(5, Runs.Only(_sandbox, "signals").GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task Exec_runs_the_job_in_its_own_process_group_so_a_signal_to_scriptmons_group_reaches_it_once()
    {
        var job = $"trap 'echo INT >> got' INT; trap 'echo USR1 >> got' USR1; set -- $(sed 's/.*) //' /proc/$$/stat); echo $3 > job-group; {WaitWithoutChildren}";
        using var scriptmon = StartAsProcessGroupLeader("exec", "group", "--", "sh", "-c", job);
        await Sandbox.WaitForFileAsync(_sandbox.File("ready"));

        Kill(-scriptmon.Id, 2);
        await Sandbox.WaitUntilAsync(() => _sandbox.Lines("got").Contains("INT"), "the job to get SIGINT");
        // A marker sent after: once it arrived, a second SIGINT would have arrived too.
        Kill(scriptmon.Id, 10);
        await Sandbox.WaitUntilAsync(() => _sandbox.Lines("got").Contains("USR1"), "the job to get SIGUSR1");
        await StopWaitingAsync();
        var result = await Sandbox.CompleteAsync(scriptmon);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["INT", "USR1"], _sandbox.Lines("got"));
        Assert.NotEqual(scriptmon.Id.ToString(CultureInfo.InvariantCulture), _sandbox.Lines("job-group").Single().Trim());
    }

    [Fact]
    public async Task Exec_timeout_stops_the_jobs_whole_process_group()
    {
        var result = await _sandbox.RunAsync("exec", "tree", "--timeout", "1s", "--", "sh", "-c", "sleep 60 & echo $! > grandchild; wait");

        Assert.Equal(124, result.ExitCode);
        var grandchild = int.Parse(_sandbox.Lines("grandchild").Single(), CultureInfo.InvariantCulture);
        await Sandbox.WaitUntilAsync(() => !IsRunning(grandchild), "the background process of the timed-out job to end");
    }

    [Fact]
    public async Task Exec_keeps_a_signal_the_caller_ignored_ignored_for_the_job()
    {
        var result = await _sandbox.RunThroughShellAsync("trap '' HUP USR2; exec \"$@\"", "exec", "nohup", "--", "sh", "-c", "grep SigIgn /proc/$$/status > ignored");

        Assert.True(result.ExitCode == 0, result.ToString());
        var ignored = ulong.Parse(_sandbox.Lines("ignored").Single().Split(':')[1].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        Assert.True((ignored & (1UL << (1 - 1))) != 0, "SIGHUP is not ignored by the job");
        Assert.True((ignored & (1UL << (12 - 1))) != 0, "SIGUSR2 is not ignored by the job");
        Assert.True((ignored & (1UL << (15 - 1))) == 0, "SIGTERM is ignored by the job");
    }

    [Fact]
    public async Task Exec_records_the_jobs_own_status_when_the_caller_ignores_SIGCHLD()
    {
        var result = await _sandbox.RunThroughBashAsync("trap '' CHLD; exec \"$@\"", "exec", "no-chld", "--", "sh", "-c", "grep SigIgn /proc/$$/status > ignored; exit 7");

        Assert.True(result.ExitCode == 7, result.ToString());
        Assert.Equal(7, Runs.Only(_sandbox, "no-chld").GetProperty("exitCode").GetInt32());
        var ignored = ulong.Parse(_sandbox.Lines("ignored").Single().Split(':')[1].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        Assert.True((ignored & (1UL << (17 - 1))) == 0, "SIGCHLD is still ignored by the job");
    }

    private async Task StopWaitingAsync()
    {
        await File.WriteAllTextAsync(_sandbox.File("stop"), string.Empty);
        await using var wake = new FileStream(_sandbox.File("wake"), FileMode.Open, FileAccess.Write);
        await wake.WriteAsync("\n"u8.ToArray());
    }

    private Process StartAsProcessGroupLeader(params string[] args) =>
        _sandbox.StartThroughShell("exec setsid \"$@\"", args);

    private static void Kill(int target, int signal)
    {
        using var kill = Process.Start("kill", [$"-{signal.ToString(CultureInfo.InvariantCulture)}", "--", target.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}

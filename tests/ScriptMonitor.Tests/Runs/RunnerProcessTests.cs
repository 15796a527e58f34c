using System.Diagnostics;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Tests.Runs;

public sealed class RunnerProcessTests
{
    [Fact]
    public void This_process_is_alive_here()
    {
        var current = RunnerProcess.Current();

        Assert.NotNull(current);
        Assert.Equal(Environment.ProcessId, current.ProcessId);
        Assert.Matches("^[0-9a-f-]{36}$", current.BootId);
        Assert.StartsWith("pid:[", current.PidNamespace, StringComparison.Ordinal);
        Assert.True(current.IsAliveHere());
    }

    [Fact]
    public void A_process_that_exited_is_gone()
    {
        using var child = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        var stat = File.ReadAllText($"/proc/{child.Id}/stat");
        var startTime = long.Parse(stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[19], System.Globalization.CultureInfo.InvariantCulture);
        var runner = RunnerProcess.Current()! with { ProcessId = child.Id, StartTime = startTime };
        Assert.True(runner.IsAliveHere());

        child.Kill();
        child.WaitForExit();

        Assert.False(runner.IsAliveHere());
    }

    [Fact]
    public void A_reused_process_id_is_not_the_runner()
    {
        var runner = RunnerProcess.Current()! with { StartTime = RunnerProcess.Current()!.StartTime + 1 };

        Assert.False(runner.IsAliveHere());
    }

    [Fact]
    public void A_runner_of_an_earlier_boot_is_gone()
    {
        var runner = RunnerProcess.Current()! with { BootId = "00000000-0000-0000-0000-000000000000" };

        Assert.False(runner.IsAliveHere());
    }

    [Fact]
    public void A_runner_in_another_pid_namespace_cannot_be_judged_here()
    {
        var runner = RunnerProcess.Current()! with { PidNamespace = "pid:[1]" };

        Assert.Null(runner.IsAliveHere());
    }
}

using ScriptMonitor.Cli.Exec;

namespace ScriptMonitor.Cli.Tests.Exec;

/// <summary>Which signals scriptmon passes on to the job, as docs/cli.md lists them.</summary>
public sealed class SignalForwarderTests
{
    /// <summary>KILL, STOP; CHLD; PIPE; TTIN, TTOU; ILL, TRAP, ABRT, BUS, FPE, SEGV, SYS; glibc's 32 and 33; SIGRTMIN (34, the runtime's).</summary>
    private static readonly int[] NeverForwarded = [9, 19, 17, 13, 21, 22, 4, 5, 6, 7, 8, 11, 31, 32, 33, 34];

    /// <summary>What the .NET runtime handles before scriptmon's code runs (Native AOT: SIGFPE, SIGSEGV, 33, SIGRTMIN).</summary>
    private static readonly SignalMask RuntimeHandlers = SignalMask.Empty.With(8).With(11).With(33).With(34);

    public static TheoryData<int, bool> EverySignal()
    {
        var data = new TheoryData<int, bool>();
        for (var signal = 1; signal <= 64; signal++)
        {
            data.Add(signal, !NeverForwarded.Contains(signal));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EverySignal))]
    public void A_signal_is_forwarded_unless_it_is_scriptmons_own_or_the_runtimes(int signal, bool forwarded)
    {
        var caller = new CallerSignals(SignalMask.Empty, RuntimeHandlers, SignalMask.Empty);

        Assert.Equal(forwarded, SignalForwarder.Forwardable(caller).Contains(signal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(10)]
    [InlineData(40)]
    public void A_signal_the_caller_ignored_is_not_forwarded(int signal)
    {
        var caller = new CallerSignals(SignalMask.Empty.With(signal), RuntimeHandlers, SignalMask.Empty);

        Assert.False(SignalForwarder.Forwardable(caller).Contains(signal));
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(15, true)]
    [InlineData(10, false)]
    [InlineData(45, false)]
    public void A_signal_another_part_of_the_process_handles_is_forwarded_only_when_the_runtime_shares_it(int signal, bool forwarded)
    {
        var caller = new CallerSignals(SignalMask.Empty, RuntimeHandlers.With(signal), SignalMask.Empty);

        Assert.Equal(forwarded, SignalForwarder.Forwardable(caller).Contains(signal));
    }

    [Fact]
    public void The_job_gets_every_signal_at_its_default_except_those_the_caller_ignored_but_SIGCHLD()
    {
        var caller = new CallerSignals(SignalMask.Empty.With(1).With(17), SignalMask.Empty, SignalMask.Empty);

        var defaults = caller.JobDefaults();

        Assert.False(defaults.Contains(1));
        Assert.True(defaults.Contains(17));
        Assert.True(defaults.Contains(15));
        Assert.True(defaults.Contains(13));
    }
}

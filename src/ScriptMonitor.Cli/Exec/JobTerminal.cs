
namespace ScriptMonitor.Cli.Exec;

/// <summary>
/// The terminal on stdin. When scriptmon runs in its foreground process group it is handed to the job's group for
/// the run, as a shell does for a foreground job, so that Ctrl-C, Ctrl-\ and Ctrl-Z reach the job's group (once)
/// and the job can read the terminal; it is taken back when the job ends or stops. A job that stops (Ctrl-Z, or
/// SIGTTIN when it reads the terminal from the background) stops scriptmon with it, so the user's shell sees its job
/// stopped and can continue it.
/// </summary>
internal sealed class JobTerminal
{
    private readonly int _ownGroup;

    private JobTerminal(int ownGroup, bool foreground)
    {
        _ownGroup = ownGroup;
        IsForeground = foreground;
    }

    /// <summary>Whether scriptmon's group had the terminal when the job started: the job's group then gets it.</summary>
    internal bool IsForeground { get; }

    /// <summary>The terminal, when stdin is one; null otherwise (cron, systemd, a pipeline).</summary>
    internal static JobTerminal? Detect(CallerDescriptors descriptors)
    {
        if (descriptors.InputClosed || LibC.IsTerminal(Posix.StandardInput) != 1)
        {
            return null;
        }

        var ownGroup = LibC.GetProcessGroup();
        return new JobTerminal(ownGroup, LibC.GetTerminalProcessGroup(Posix.StandardInput) == ownGroup);
    }

    /// <summary>Makes <paramref name="group"/> the foreground group, when scriptmon's own group has the terminal.</summary>
    internal void HandTo(int group) => Move(_ownGroup, group);

    /// <summary>Makes scriptmon's group the foreground group again, when <paramref name="group"/> has the terminal.</summary>
    internal void TakeBack(int group) => Move(group, _ownGroup);

    /// <summary>
    /// Moves the terminal from one group to another, only if the first has it. SIGTTOU is blocked meanwhile: a
    /// process outside the foreground group that sets it would otherwise be stopped by it.
    /// </summary>
    private static unsafe void Move(int from, int to)
    {
        var block = stackalloc byte[LibC.SignalSetSize];
        var previous = stackalloc byte[LibC.SignalSetSize];
        SignalMask.Empty.With(Posix.SigTtou).CopyTo(block);
        _ = LibC.ThreadSignalMask(LibC.SignalBlock, block, previous);
        try
        {
            if (LibC.GetTerminalProcessGroup(Posix.StandardInput) == from)
            {
                _ = LibC.SetTerminalProcessGroup(Posix.StandardInput, to);
            }
        }
        finally
        {
            _ = LibC.ThreadSignalMask(LibC.SignalSetMask, previous, null);
        }
    }
}

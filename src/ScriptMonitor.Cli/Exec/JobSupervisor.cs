namespace ScriptMonitor.Cli.Exec;

/// <summary>How the job's direct child ended, as observed.</summary>
/// <param name="ExitCode">Its exit status; 128+N when signal N ended it, as a shell reports it.</param>
/// <param name="Signal">The signal that ended it, when one did.</param>
/// <param name="Timestamp">The monotonic reading when its end was seen.</param>
/// <param name="StatusLost">Another process reaped it, so its status is unknown.</param>
internal sealed record JobExit(int ExitCode, int? Signal, long Timestamp, bool StatusLost);

/// <summary>
/// Waits for the job on scriptmon's main thread, and nothing else: output is copied on another thread and the store
/// is written on another, so neither can hold up the timeout. The job's end is seen through a pidfd (at once, with no
/// polling) and read with <c>waitid(WNOWAIT)</c>: the direct child stays a zombie until <see cref="Reap"/>, so its pid
/// (the job's process group id) cannot be reused while scriptmon may still signal that group.
/// </summary>
internal sealed class JobSupervisor(RunClock clock, SignalForwarder forwarder, JobTerminal? terminal)
{
    /// <summary>How often to look for a stopped job when a terminal is involved (stops have no pidfd event).</summary>
    private static readonly TimeSpan StopCheckInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>How often to look for the job's end where the kernel has no pidfd (before Linux 5.3).</summary>
    private static readonly TimeSpan FallbackInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>Whether the timeout ran out and the job's group was sent SIGTERM.</summary>
    internal bool TimedOut { get; private set; }

    /// <summary>Whether the job outlived the grace after SIGTERM and its group was sent SIGKILL.</summary>
    internal bool Killed { get; private set; }

    /// <summary>
    /// Waits until the job's direct child exits, sending its group SIGTERM (then SIGCONT, so a stopped job can act on
    /// it) when <paramref name="timeout"/> runs out and SIGKILL <paramref name="grace"/> later. With a terminal, a job
    /// that stops (Ctrl-Z) stops scriptmon too, as a shell's job would, and continues with it.
    /// </summary>
    internal JobExit WaitForExit(int processId, TimeSpan? timeout, TimeSpan grace)
    {
        var pidDescriptor = (int)LibC.SystemCall(LibC.SystemCallPidFdOpen, processId, 0);
        try
        {
            TimeSpan? killAt = null;
            while (true)
            {
                var elapsed = clock.Elapsed(clock.Now);
                TimeSpan? next = !TimedOut ? timeout - elapsed : !Killed ? killAt - elapsed : null;
                if (pidDescriptor < 0)
                {
                    next = Shorter(next, FallbackInterval);
                }

                if (terminal is not null)
                {
                    next = Shorter(next, StopCheckInterval);
                }

                Wait(pidDescriptor, next);
                var state = Peek(processId);
                if (state is { } exit)
                {
                    return exit;
                }

                elapsed = clock.Elapsed(clock.Now);
                if (!TimedOut && elapsed >= timeout)
                {
                    TimedOut = true;
                    killAt = elapsed + grace;
                    SignalGroup(processId, Posix.SigTerm);
                    SignalGroup(processId, Posix.SigCont);
                }
                else if (TimedOut && !Killed && elapsed >= killAt)
                {
                    Killed = true;
                    SignalGroup(processId, Posix.SigKill);
                }
            }
        }
        finally
        {
            Posix.CloseQuietly(pidDescriptor);
        }
    }

    /// <summary>Collects the exited child; after this its group is no longer signalled.</summary>
    internal static unsafe void Reap(int processId)
    {
        int status;
        while (LibC.WaitPid(processId, &status, 0) < 0 && LibC.LastError == LibC.Interrupted)
        {
        }
    }

    private static TimeSpan Shorter(TimeSpan? wait, TimeSpan cap) => wait is { } w && w < cap ? w : cap;

    private static unsafe void Wait(int pidDescriptor, TimeSpan? wait)
    {
        var milliseconds = wait is not { } w ? -1 : w <= TimeSpan.Zero ? 0 : (int)Math.Min(Math.Ceiling(w.TotalMilliseconds), int.MaxValue);
        if (milliseconds == 0)
        {
            return;
        }

        var poll = new PollDescriptor { Descriptor = pidDescriptor, Events = LibC.PollIn };
        _ = LibC.Poll(&poll, 1, milliseconds);
    }

    private static void SignalGroup(int processGroup, int signal)
    {
        if (processGroup != LibC.GetProcessGroup())
        {
            _ = Posix.Send(-processGroup, signal);
        }
    }

    /// <summary>The child's end, without collecting it; null while it runs. A stop is handled here (with a terminal).</summary>
    private unsafe JobExit? Peek(int processId)
    {
        var info = stackalloc byte[LibC.SignalInfoSize];
        var options = LibC.WaitExited | LibC.WaitNoHang | LibC.WaitNoWait | (terminal is null ? 0 : LibC.WaitStopped);
        while (true)
        {
            new Span<byte>(info, LibC.SignalInfoSize).Clear();
            if (LibC.WaitId(LibC.WaitForPid, processId, info, options) == 0)
            {
                break;
            }

            if (LibC.LastError != LibC.Interrupted)
            {
                // ECHILD: something else collected it; its status is lost, and it is certainly over.
                return new JobExit(Posix.SignalExitBase, null, clock.Now, StatusLost: true);
            }
        }

        if (*(int*)(info + LibC.SignalInfoPidOffset) == 0)
        {
            return null;
        }

        var code = *(int*)(info + LibC.SignalInfoCodeOffset);
        var status = *(int*)(info + LibC.SignalInfoStatusOffset);
        switch (code)
        {
            case LibC.ChildExited:
                return new JobExit(status, null, clock.Now, StatusLost: false);
            case LibC.ChildKilled or LibC.ChildDumped:
                return new JobExit(Posix.SignalExitBase + status, status, clock.Now, StatusLost: false);
            case LibC.ChildStopped:
                StopWithJob(processId, info);
                return null;
            default:
                return null;
        }
    }

    /// <summary>
    /// The job stopped (Ctrl-Z, or SIGTTIN when it read the terminal in the background): the terminal comes back to
    /// scriptmon's group and scriptmon stops itself, so the shell sees its job stopped. When the shell continues it
    /// (fg or bg), SIGCONT is passed on, with the terminal when scriptmon is in the foreground again.
    /// </summary>
    private unsafe void StopWithJob(int processId, byte* info)
    {
        // Collect the stop report itself (not the exit), so it is not seen again.
        _ = LibC.WaitId(LibC.WaitForPid, processId, info, LibC.WaitStopped | LibC.WaitNoHang);
        terminal?.TakeBack(processId);
        _ = Posix.Send(LibC.GetProcessId(), Posix.SigStop);
        forwarder.ContinueJobUnlessForwarding();
    }
}

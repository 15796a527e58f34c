namespace ScriptMonitor.Cli.Exec;

/// <summary>
/// The signal dispositions and mask scriptmon was started with, read before scriptmon changes any, so the job
/// starts with the caller's: a signal the caller ignored (<c>nohup</c>'s SIGHUP) stays ignored for the job.
/// </summary>
/// <param name="Ignored">Signals set to SIG_IGN.</param>
/// <param name="Caught">Signals with a handler: at this point, the runtime's own.</param>
/// <param name="Blocked">The signal mask of the thread that starts the job.</param>
internal sealed record CallerSignals(SignalMask Ignored, SignalMask Caught, SignalMask Blocked)
{
    private const string StatusPath = "/proc/self/status";

    /// <summary>
    /// Reads the dispositions from /proc (the kernel's view, for every signal at once) and the mask of the calling
    /// thread. SIGPIPE is the exception: the .NET runtime ignores it before any of scriptmon's code runs, so the
    /// caller's choice cannot be seen and the job gets it at its default, as shells and cron give it.
    /// </summary>
    internal static unsafe CallerSignals Capture()
    {
        var set = stackalloc byte[LibC.SignalSetSize];
        var blocked = LibC.ThreadSignalMask(LibC.SignalBlock, null, set) == 0 ? SignalMask.From(set) : SignalMask.Empty;
        SignalMask ignored = default, caught = default;
        try
        {
            foreach (var line in File.ReadLines(StatusPath))
            {
                if (line.StartsWith("SigIgn:", StringComparison.Ordinal))
                {
                    ignored = SignalMask.Parse(line["SigIgn:".Length..]);
                }
                else if (line.StartsWith("SigCgt:", StringComparison.Ordinal))
                {
                    caught = SignalMask.Parse(line["SigCgt:".Length..]);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            // Without /proc nothing is known to be ignored: the job gets every signal at its default, as before.
        }

        return new CallerSignals(ignored.Without(Posix.SigPipe), caught, blocked);
    }

    /// <summary>
    /// The signals the job gets at their default disposition: all but those the caller ignored. SIGCHLD is always
    /// among them, as <c>timeout(1)</c> resets it: a job that inherits it ignored cannot wait for its own children.
    /// </summary>
    internal SignalMask JobDefaults()
    {
        var defaults = SignalMask.Empty;
        for (var signal = 1; signal <= Posix.HighestSignal; signal++)
        {
            if (signal is not (Posix.SigKill or Posix.SigStop) && (!Ignored.Contains(signal) || signal == Posix.SigChld))
            {
                defaults = defaults.With(signal);
            }
        }

        return defaults;
    }

    /// <summary>
    /// Sets SIGCHLD back to its default in scriptmon, as <c>timeout(1)</c> does: ignored, the kernel reaps the job
    /// before scriptmon can read its exit status (and the runtime's own handler would reap it when it believes
    /// SIGCHLD ignored).
    /// </summary>
    internal static void ResetChildSignal() => _ = LibC.SetSignalHandler(Posix.SigChld, LibC.SignalDefault);
}

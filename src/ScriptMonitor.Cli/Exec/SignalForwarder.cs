using System.Runtime.InteropServices;

namespace ScriptMonitor.Cli.Exec;

/// <summary>
/// Passes every signal scriptmon receives that would end or concern the job on to the job's process group, once,
/// instead of letting it end scriptmon before the run is recorded. The job runs in a group of its own, so a signal
/// sent to scriptmon's group (Ctrl-C, <c>kill -INT -PGID</c>, a service manager's stop) reaches the job only through
/// here: once, never twice. scriptmon never signals its own group.
/// </summary>
/// <remarks>
/// Forwarded: SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGTERM, SIGSTKFLT, SIGCONT, SIGTSTP, SIGURG,
/// SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGWINCH, SIGIO, SIGPWR and the real-time signals SIGRTMIN+1 to SIGRTMAX.
/// Not forwarded: SIGKILL and SIGSTOP (they cannot be caught); SIGCHLD (how scriptmon learns the job ended);
/// SIGPIPE (about scriptmon's own output); SIGTTIN and SIGTTOU (about scriptmon's own use of the terminal); the
/// synchronous faults SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV and SIGSYS (scriptmon's own crashes); and
/// SIGRTMIN, which the .NET runtime uses to suspend its threads. A signal the caller ignored is not forwarded: it
/// stays ignored for scriptmon and for the job. The registrations stay for the life of the process: a signal that
/// arrives while the run is being recorded must not end scriptmon with the runtime's default action.
/// </remarks>
internal sealed class SignalForwarder
{
    private static readonly int[] StandardSignals =
    [
        Posix.SigHup, Posix.SigInt, Posix.SigQuit, Posix.SigUsr1, Posix.SigUsr2, Posix.SigAlrm, Posix.SigTerm,
        Posix.SigStkflt, Posix.SigCont, Posix.SigTstp, Posix.SigUrg, Posix.SigXcpu, Posix.SigXfsz, Posix.SigVtalrm,
        Posix.SigProf, Posix.SigWinch, Posix.SigIo, Posix.SigPwr,
    ];

    /// <summary>Signals the runtime installs handlers for that it hands over to registrations (and can be cancelled).</summary>
    private static readonly int[] SharedWithRuntime = [Posix.SigInt, Posix.SigQuit, Posix.SigTerm, Posix.SigCont, Posix.SigWinch];

    /// <summary>Signals that do not end a process by default: passed on, but not named as the reason a run failed.</summary>
    private static readonly int[] NonTerminating = [Posix.SigCont, Posix.SigTstp, Posix.SigUrg, Posix.SigWinch];

    private readonly Lock _gate = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly List<int> _pending = [];
    private int? _group;
    private JobTerminal? _terminal;
    private bool _ended;

    private SignalForwarder(SignalMask forwarded) => Forwarded = forwarded;

    /// <summary>The signals passed on.</summary>
    internal SignalMask Forwarded { get; }

    /// <summary>The last signal that would have ended the job and was passed on to it, if any.</summary>
    internal int? LastTerminating { get; private set; }

    /// <summary>
    /// Takes over the signals to forward. From here on they are kept for the job until it starts, then passed on.
    /// </summary>
    internal static SignalForwarder Install(CallerSignals caller)
    {
        var forwarder = new SignalForwarder(Forwardable(caller));
        foreach (var signal in forwarder.Forwarded.Signals())
        {
            try
            {
                forwarder._registrations.Add(PosixSignalRegistration.Create((PosixSignal)signal, forwarder.OnSignal));
            }
            catch (Exception e) when (e is IOException or PlatformNotSupportedException or ArgumentOutOfRangeException)
            {
                // A signal this system does not let a program handle: it keeps its default for scriptmon.
            }
        }

        return forwarder;
    }

    /// <summary>
    /// The signals to forward: the fixed list and the real-time signals above the runtime's, less those the caller
    /// ignored and those another part of the process already handles for itself.
    /// </summary>
    internal static SignalMask Forwardable(CallerSignals caller)
    {
        var mask = SignalMask.Empty;
        foreach (var signal in StandardSignals)
        {
            mask = mask.With(signal);
        }

        for (var signal = Posix.RealTimeMin + 1; signal <= Posix.RealTimeMax; signal++)
        {
            mask = mask.With(signal);
        }

        foreach (var signal in mask.Signals())
        {
            if (caller.Ignored.Contains(signal) || (caller.Caught.Contains(signal) && !SharedWithRuntime.Contains(signal)))
            {
                mask = mask.Without(signal);
            }
        }

        return mask;
    }

    /// <summary>The job runs as process group <paramref name="group"/>: signals kept until now are passed on, in order.</summary>
    internal void Attach(int group, JobTerminal? terminal)
    {
        lock (_gate)
        {
            _group = group;
            _terminal = terminal;
            foreach (var signal in _pending)
            {
                SendLocked(signal);
            }

            _pending.Clear();
        }
    }

    /// <summary>The job is over (or never started): from now on nothing is passed on.</summary>
    internal void Detach()
    {
        lock (_gate)
        {
            _ended = true;
            _group = null;
        }
    }

    /// <summary>
    /// Continues the job's group after scriptmon itself was stopped and continued, when no SIGCONT handler does it
    /// (the caller ignored SIGCONT): the terminal goes back to the job first, as a shell's <c>fg</c> does.
    /// </summary>
    internal void ContinueJobUnlessForwarding()
    {
        if (Forwarded.Contains(Posix.SigCont))
        {
            return;
        }

        lock (_gate)
        {
            if (_group is { } group)
            {
                _terminal?.HandTo(group);
                _ = Posix.Send(-group, Posix.SigCont);
            }
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        var signal = Posix.Number(context.Signal);
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            if (_group is null)
            {
                _pending.Add(signal);
                return;
            }

            SendLocked(signal);
        }
    }

    private void SendLocked(int signal)
    {
        if (_group is not { } group || group == LibC.GetProcessGroup())
        {
            return;
        }

        if (signal == Posix.SigCont)
        {
            // scriptmon was continued (fg): the job's group gets the terminal back before it runs again.
            _terminal?.HandTo(group);
        }

        _ = Posix.Send(-group, signal);
        if (!NonTerminating.Contains(signal))
        {
            LastTerminating = signal;
        }
    }
}

using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ScriptMonitor.Cli.Exec;

/// <summary>
/// Runs a wrapped command: stdin inherited, stdout and stderr copied byte for byte to scriptmon's own while their
/// tail is kept, SIGINT/SIGTERM/SIGHUP/SIGQUIT passed on, and an optional timeout that terminates and then kills.
/// One thread does it all with <c>poll</c>: a wrapper that starts thousands of times a day should not pay for
/// threads it does not need.
/// </summary>
internal sealed class ChildProcess
{
    private const int CopyBufferSize = 64 * 1024;
    private const int NoSuchFile = 2; // ENOENT
    private const int NotPermitted = 13; // EACCES
    private const int Closed = -1;

    /// <summary>How often the loop looks at the clock and the process while no output arrives.</summary>
    private const int TickMilliseconds = 50;

    /// <summary>
    /// How long to keep copying output after the command exited. A command that leaves a background process
    /// holding its stdout open must not keep the wrapper (and the recorded run) open with it.
    /// </summary>
    private static readonly TimeSpan OutputDrainLimit = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private int? _processId;
    private int? _pendingSignal;
    private int? _forwardedSignal;

    /// <summary>Runs the command to its end.</summary>
    /// <param name="command">The program and its arguments.</param>
    /// <param name="timeout">When to terminate it, if ever.</param>
    /// <param name="grace">How long it gets between SIGTERM and SIGKILL after a timeout.</param>
    /// <param name="tail">Receives its combined output.</param>
    /// <param name="started">Called once it runs (or could not be started), while it runs: recording its start there
    /// never delays the command itself.</param>
    internal static ChildOutcome Run(IReadOnlyList<string> command, TimeSpan? timeout, TimeSpan grace, OutputTail tail, Action started) =>
        new ChildProcess().RunCore(command, timeout, grace, tail, started);

    private ChildOutcome RunCore(IReadOnlyList<string> command, TimeSpan? timeout, TimeSpan grace, OutputTail tail, Action started)
    {
        var registrations = new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT }
            .Select(signal => PosixSignalRegistration.Create(signal, Forward))
            .ToArray();
        try
        {
            int processId, stdout, stderr;
            try
            {
                (processId, stdout, stderr) = Spawn.Start(command);
            }
            catch (SpawnException e)
            {
                var status = e.ErrorNumber switch
                {
                    NotPermitted => Hosting.ExitCodes.CommandNotExecutable,
                    NoSuchFile => Hosting.ExitCodes.CommandNotFound,
                    _ => Hosting.ExitCodes.CommandNotExecutable,
                };
                started();
                return new ChildOutcome(status, null, null, false, false, e.Message);
            }

            lock (_gate)
            {
                _processId = processId;
                if (_pendingSignal is { } pending)
                {
                    SendLocked(pending);
                }
            }

            started();
            var (exitCode, killedBy, timedOut, killed) = Supervise(processId, stdout, stderr, tail, timeout, grace);
            lock (_gate)
            {
                _processId = null;
                return new ChildOutcome(exitCode, killedBy, _forwardedSignal, timedOut, killed, null);
            }
        }
        finally
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
        }
    }

    /// <summary>Copies output until both pipes end, enforcing the timeout, then reaps the process.</summary>
    private static (int ExitCode, int? KilledBy, bool TimedOut, bool Killed) Supervise(
        int processId, int stdout, int stderr, OutputTail tail, TimeSpan? timeout, TimeSpan grace)
    {
        var buffer = new byte[CopyBufferSize];
        var clock = Stopwatch.StartNew();
        (int ExitCode, int? Signal)? exit = null;
        TimeSpan? drainUntil = null;
        TimeSpan? killAt = null;
        var (timedOut, killed) = (false, false);
        try
        {
            while (stdout != Closed || stderr != Closed || exit is null)
            {
                if (stdout == Closed && stderr == Closed && timeout is null)
                {
                    exit = Spawn.Wait(processId);
                    break;
                }

                var (outReady, errReady) = Spawn.Poll(stdout, stderr, TickMilliseconds);
                if (outReady)
                {
                    stdout = Pump(stdout, Posix.StandardOutput, buffer, tail);
                }

                if (errReady)
                {
                    stderr = Pump(stderr, Posix.StandardError, buffer, tail);
                }

                exit ??= Spawn.TryWait(processId, block: false);
                var now = clock.Elapsed;
                if (exit is not null)
                {
                    drainUntil ??= now + OutputDrainLimit;
                    if (now >= drainUntil)
                    {
                        break;
                    }

                    continue;
                }

                if (!timedOut && now >= timeout)
                {
                    Posix.Send(processId, Posix.SigTerm);
                    (timedOut, killAt) = (true, now + grace);
                }
                else if (timedOut && !killed && now >= killAt)
                {
                    Posix.Send(processId, Posix.SigKill);
                    killed = true;
                }
            }
        }
        finally
        {
            Close(stdout);
            Close(stderr);
        }

        var (exitCode, killedBy) = exit ?? Spawn.Wait(processId);
        return (exitCode, killedBy, timedOut, killed);
    }

    /// <summary>
    /// Copies what one pipe holds through unchanged, keeping the tail; returns the descriptor, or
    /// <see cref="Closed"/> at its end. When whoever reads scriptmon's output goes away (<c>scriptmon exec … | head</c>),
    /// the command's pipe is closed too, so the command learns it as it would unwrapped (SIGPIPE).
    /// </summary>
    private static int Pump(int from, int to, byte[] buffer, OutputTail tail)
    {
        var read = Spawn.Read(from, buffer);
        if (read > 0)
        {
            tail.Append(buffer.AsSpan(0, read));
            if (Posix.WriteAll(to, buffer.AsSpan(0, read)))
            {
                return from;
            }
        }

        Close(from);
        return Closed;
    }

    private static void Close(int descriptor)
    {
        if (descriptor != Closed)
        {
            Spawn.CloseDescriptor(descriptor);
        }
    }

    /// <summary>Passes a signal on to the command instead of letting it end scriptmon before the run is recorded.</summary>
    private void Forward(PosixSignalContext context)
    {
        context.Cancel = true;
        var signal = Posix.Number(context.Signal);
        lock (_gate)
        {
            if (_processId is null)
            {
                _pendingSignal = signal;
                return;
            }

            SendLocked(signal);
        }
    }

    private void SendLocked(int signal)
    {
        _forwardedSignal = signal;
        if (_processId is { } processId)
        {
            Posix.Send(processId, signal);
        }
    }
}

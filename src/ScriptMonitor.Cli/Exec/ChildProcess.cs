using System.Runtime.InteropServices;

namespace ScriptMonitor.Cli.Exec;

/// <summary>
/// Runs a wrapped command: stdin inherited, stdout and stderr copied byte for byte to scriptmon's own while their
/// tail is kept, SIGINT/SIGTERM/SIGHUP/SIGQUIT passed on, and an optional timeout that terminates and then kills.
/// </summary>
internal sealed class ChildProcess
{
    private const int CopyBufferSize = 64 * 1024;
    private const int NoSuchFile = 2; // ENOENT
    private const int NotPermitted = 13; // EACCES

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

            var copies = new[] { Copy(stdout, Posix.StandardOutput, tail), Copy(stderr, Posix.StandardError, tail) };
            lock (_gate)
            {
                _processId = processId;
                if (_pendingSignal is { } pending)
                {
                    SendLocked(pending);
                }
            }

            started();
            var exit = Task.Factory.StartNew(() => Spawn.Wait(processId), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            var (timedOut, killed) = WaitForExit(exit, processId, timeout, grace);
            var (exitCode, killedBy) = exit.Result;
            Task.WaitAll(copies, OutputDrainLimit);
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

    private static (bool TimedOut, bool Killed) WaitForExit(Task exit, int processId, TimeSpan? timeout, TimeSpan grace)
    {
        if (timeout is not { } limit || exit.Wait(limit))
        {
            exit.Wait();
            return (false, false);
        }

        Posix.Send(processId, Posix.SigTerm);
        if (exit.Wait(grace))
        {
            return (true, false);
        }

        Posix.Send(processId, Posix.SigKill);
        exit.Wait();
        return (true, true);
    }

    /// <summary>
    /// Copies one of the command's streams through unchanged, keeping the tail. When whoever reads scriptmon's
    /// output goes away (<c>scriptmon exec … | head</c>), the command's pipe is closed too, so the command learns
    /// it as it would unwrapped (SIGPIPE) instead of writing forever into a pipe nobody reads.
    /// </summary>
    private static Task Copy(int from, int to, OutputTail tail) => Task.Factory.StartNew(
        () =>
        {
            var buffer = new byte[CopyBufferSize];
            try
            {
                int read;
                while ((read = Spawn.Read(from, buffer)) > 0)
                {
                    tail.Append(buffer.AsSpan(0, read));
                    if (!Posix.WriteAll(to, buffer.AsSpan(0, read)))
                    {
                        return;
                    }
                }
            }
            finally
            {
                Spawn.CloseDescriptor(from);
            }
        },
        CancellationToken.None,
        TaskCreationOptions.LongRunning,
        TaskScheduler.Default);

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

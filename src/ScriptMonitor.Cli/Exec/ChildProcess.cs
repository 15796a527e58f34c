using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ScriptMonitor.Cli.Exec;

/// <summary>
/// Runs a wrapped command: stdin inherited, stdout and stderr copied byte for byte to scriptmon's own while their
/// tail is kept, SIGINT/SIGTERM/SIGHUP/SIGQUIT passed on, and an optional timeout that terminates and then kills.
/// </summary>
internal sealed class ChildProcess
{
    private const int CopyBufferSize = 64 * 1024;

    /// <summary>
    /// How long to keep copying output after the command exited. A command that leaves a background process
    /// holding its stdout open must not keep the wrapper (and the recorded run) open with it.
    /// </summary>
    private static readonly TimeSpan OutputDrainLimit = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private Process? _process;
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
        var start = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        for (var i = 1; i < command.Count; i++)
        {
            start.ArgumentList.Add(command[i]);
        }

        var registrations = new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT }
            .Select(signal => PosixSignalRegistration.Create(signal, Forward))
            .ToArray();
        try
        {
            Process process;
            try
            {
                process = Process.Start(start) ?? throw new Win32Exception("the process did not start");
            }
            catch (Win32Exception e)
            {
                var status = e.NativeErrorCode == 13 ? Hosting.ExitCodes.CommandNotExecutable : Hosting.ExitCodes.CommandNotFound;
                started();
                return new ChildOutcome(status, null, false, false, $"{command[0]}: {e.Message}");
            }

            using (process)
            {
                var copies = new[]
                {
                    Copy(process.StandardOutput.BaseStream, Console.OpenStandardOutput(), tail),
                    Copy(process.StandardError.BaseStream, Console.OpenStandardError(), tail),
                };
                lock (_gate)
                {
                    _process = process;
                    if (_pendingSignal is { } pending)
                    {
                        SendLocked(pending);
                    }
                }

                started();

                var (timedOut, killed) = Wait(process, timeout, grace);
                Task.WaitAll(copies, OutputDrainLimit);
                lock (_gate)
                {
                    _process = null;
                    return new ChildOutcome(process.ExitCode, _forwardedSignal, timedOut, killed, null);
                }
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

    private static (bool TimedOut, bool Killed) Wait(Process process, TimeSpan? timeout, TimeSpan grace)
    {
        if (timeout is not { } limit || process.WaitForExit(limit))
        {
            process.WaitForExit();
            return (false, false);
        }

        Posix.Send(process.Id, Posix.SigTerm);
        if (process.WaitForExit(grace))
        {
            process.WaitForExit();
            return (true, false);
        }

        Posix.Send(process.Id, Posix.SigKill);
        process.WaitForExit();
        return (true, true);
    }

    /// <summary>Copies one of the command's streams through unchanged, keeping the tail.</summary>
    private static Task Copy(Stream from, Stream to, OutputTail tail) => Task.Factory.StartNew(
        () =>
        {
            var buffer = new byte[CopyBufferSize];
            var downstreamOpen = true;
            int read;
            while ((read = from.Read(buffer, 0, buffer.Length)) > 0)
            {
                tail.Append(buffer.AsSpan(0, read));
                if (downstreamOpen)
                {
                    try
                    {
                        to.Write(buffer, 0, read);
                        to.Flush();
                    }
                    catch (IOException)
                    {
                        // Whoever reads scriptmon's output went away (a closed pipe). Keep draining the command so it
                        // is not blocked on a full pipe, and keep its tail for the record.
                        downstreamOpen = false;
                    }
                }
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
            if (_process is null)
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
        if (_process is { } process)
        {
            Posix.Send(process.Id, signal);
        }
    }
}

using System.Runtime.InteropServices;
using ScriptMonitor.Application.Lifecycle;

namespace ScriptMonitor.Scripts.Lifecycle;

/// <summary>
/// Turns SIGINT and SIGTERM (and the caller's cancellation) into a cancelled token, instead of the runtime's
/// default of ending the process at once, so that <c>Main</c> can stop cleanly and the run is recorded as interrupted.
/// </summary>
internal sealed class InterruptSignals : IDisposable
{
    private readonly CancellationTokenSource _cancellation;
    private readonly TaskCompletionSource _interrupted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<IDisposable> _registrations = [];
    private int _exitCode;

    private InterruptSignals(CancellationToken callerToken)
    {
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
        _registrations.Add(callerToken.Register(() => Interrupt(ExitCodes.Interrupted, "cancellation")));
    }

    /// <summary>Cancelled when a signal arrives or the caller cancels.</summary>
    internal CancellationToken Token => _cancellation.Token;

    /// <summary>Completes when a signal arrives or the caller cancels.</summary>
    internal Task Interrupted => _interrupted.Task;

    /// <summary>The exit status the interruption calls for: 130 for SIGINT, 143 for SIGTERM.</summary>
    internal int ExitCode => Volatile.Read(ref _exitCode);

    /// <summary>What interrupted the run, for the log and the recorded failure.</summary>
    internal string? Cause { get; private set; }

    internal static InterruptSignals Register(CancellationToken callerToken)
    {
        var signals = new InterruptSignals(callerToken);
        try
        {
            signals._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, context => signals.OnSignal(context, ExitCodes.Interrupted, "SIGINT")));
            signals._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => signals.OnSignal(context, ExitCodes.Terminated, "SIGTERM")));
        }
        catch (PlatformNotSupportedException)
        {
            // No signals here (a browser): the caller's token is the only way to interrupt.
        }

        return signals;
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cancellation.Dispose();
    }

    private void OnSignal(PosixSignalContext context, int exitCode, string name)
    {
        // Keep the process alive: the run still has to be recorded.
        context.Cancel = true;
        Interrupt(exitCode, name);
    }

    private void Interrupt(int exitCode, string cause)
    {
        if (Interlocked.CompareExchange(ref _exitCode, exitCode, 0) != 0)
        {
            return;
        }

        Cause = cause;
        _interrupted.TrySetResult();
        _cancellation.Cancel();
    }
}

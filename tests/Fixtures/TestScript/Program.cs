// A monitored script the tests run as a real process. Its first argument says what to do:
//   pass                  succeed, printing "main ran"
//   fail                  throw an exception
//   exit STATUS MESSAGE   throw a ScriptFailureException with that status
//   log                   log one message at every level, then succeed
//   hold                  print "ready", then wait for a line on stdin (succeed) or for cancellation
//   stubborn              print "ready", then wait for a line on stdin, ignoring cancellation
//   rotate                log "before rotation", print "ready", wait for a line on stdin, log "after rotation"
// TEST_SCRIPT_NAME overrides the script's name; TEST_SCRIPT_GRACE_MS its interrupt grace period.
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using ScriptMonitor.Scripts;

// A process started in the background by a non-interactive shell inherits SIGINT ignored, and so would this fixture
// when the test run itself was started that way; put the default back so that SIGINT tests mean the same everywhere.
if (OperatingSystem.IsLinux())
{
    NativeSignals.RestoreDefault(NativeSignals.SigInt);
}

var options = Environment.GetEnvironmentVariable("TEST_SCRIPT_GRACE_MS") is { Length: > 0 } grace
    ? new MonitoredScriptOptions { InterruptGracePeriod = TimeSpan.FromMilliseconds(int.Parse(grace, CultureInfo.InvariantCulture)) }
    : null;
return await new TestScript(Environment.GetEnvironmentVariable("TEST_SCRIPT_NAME") ?? "test-script", options).RunAsync(args);

internal sealed partial class TestScript(string name, MonitoredScriptOptions? options) : MonitoredScript(name, options)
{
    protected override async Task MainAsync(CancellationToken cancellationToken)
    {
        switch (Args[0])
        {
            case "pass":
                Console.WriteLine("main ran");
                break;
            case "fail":
                throw new InvalidOperationException("Some failure");
            case "exit":
                throw new ScriptFailureException(Args[2], int.Parse(Args[1], CultureInfo.InvariantCulture));
            case "log":
                foreach (var level in new[] { LogLevel.Trace, LogLevel.Debug, LogLevel.Information, LogLevel.Warning, LogLevel.Error, LogLevel.Critical })
                {
                    LogAtLevel(Logger, level, level.ToString().ToLowerInvariant());
                }

                break;
            case "hold":
                Ready();
                await WaitForStdinAsync(cancellationToken);
                break;
            case "stubborn":
                Ready();
                await WaitForStdinAsync(CancellationToken.None);
                break;
            case "rotate":
                LogPhase(Logger, "before rotation");
                Ready();
                await WaitForStdinAsync(cancellationToken);
                LogPhase(Logger, "after rotation");
                break;
            default:
                throw new ScriptFailureException($"unknown mode {Args[0]}", 64);
        }
    }

    private static void Ready()
    {
        Console.WriteLine("ready");
        Console.Out.Flush();
    }

    private static async Task WaitForStdinAsync(CancellationToken cancellationToken)
    {
        var line = Task.Run(Console.In.ReadLine, CancellationToken.None);
        await Task.WhenAny(line, Task.Delay(Timeout.Infinite, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
    }

    [LoggerMessage(Message = "{Name} message")]
    private static partial void LogAtLevel(ILogger logger, LogLevel level, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Phase}")]
    private static partial void LogPhase(ILogger logger, string phase);
}

internal static partial class NativeSignals
{
    internal const int SigInt = 2;

    internal static void RestoreDefault(int signal) => _ = Signal(signal, 0);

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint Signal(int signal, nint handler);
}

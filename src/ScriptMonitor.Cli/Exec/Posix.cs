using System.Runtime.InteropServices;

namespace ScriptMonitor.Cli.Exec;

/// <summary>The few POSIX signal facts .NET does not expose: raw numbers, names, and <c>kill(2)</c> with any signal.</summary>
internal static partial class Posix
{
    internal const int SigHup = 1;
    internal const int SigInt = 2;
    internal const int SigQuit = 3;
    internal const int SigKill = 9;
    internal const int SigTerm = 15;

    /// <summary>A shell reports a command killed by signal N as exit status 128+N.</summary>
    internal const int SignalExitBase = 128;

    private const int HighestSignal = 64;

    internal static int Number(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGHUP => SigHup,
        PosixSignal.SIGINT => SigInt,
        PosixSignal.SIGQUIT => SigQuit,
        PosixSignal.SIGTERM => SigTerm,
        _ => (int)signal,
    };

    internal static string Name(int signal) => signal switch
    {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        5 => "SIGTRAP",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        10 => "SIGUSR1",
        11 => "SIGSEGV",
        12 => "SIGUSR2",
        13 => "SIGPIPE",
        14 => "SIGALRM",
        15 => "SIGTERM",
        _ => $"signal {signal}",
    };

    /// <summary>The signal an exit status of 128+N stands for, or null for an ordinary status.</summary>
    internal static int? SignalOf(int exitCode) =>
        exitCode > SignalExitBase && exitCode <= SignalExitBase + HighestSignal ? exitCode - SignalExitBase : null;

    /// <summary>Sends a signal to a process; false when it is already gone.</summary>
    internal static bool Send(int processId, int signal) => Kill(processId, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int processId, int signal);
}

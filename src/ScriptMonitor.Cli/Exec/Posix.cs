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

    internal const int StandardOutput = 1;
    internal const int StandardError = 2;

    private const int Interrupted = 4; // EINTR

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

    /// <summary>Sends a signal to a process; false when it is already gone.</summary>
    internal static bool Send(int processId, int signal) => Kill(processId, signal) == 0;

    /// <summary>
    /// Writes all of <paramref name="bytes"/> to a file descriptor; false when it cannot be written (the reader
    /// closed the pipe). Console streams hide a closed pipe, and a wrapper must see it.
    /// </summary>
    internal static unsafe bool WriteAll(int descriptor, ReadOnlySpan<byte> bytes)
    {
        fixed (byte* start = bytes)
        {
            var offset = 0;
            while (offset < bytes.Length)
            {
                var written = Write(descriptor, start + offset, (nuint)(bytes.Length - offset));
                if (written < 0)
                {
                    if (Marshal.GetLastPInvokeError() == Interrupted)
                    {
                        continue;
                    }

                    return false;
                }

                offset += (int)written;
            }
        }

        return true;
    }

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint Write(int descriptor, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int processId, int signal);
}

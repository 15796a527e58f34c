using System.Globalization;
using System.Runtime.InteropServices;

namespace ScriptMonitor.Cli.Exec;

/// <summary>The POSIX signal facts .NET does not expose: raw numbers, names, and <c>kill(2)</c> with any signal.</summary>
internal static class Posix
{
    internal const int SigHup = 1;
    internal const int SigInt = 2;
    internal const int SigQuit = 3;
    internal const int SigIll = 4;
    internal const int SigTrap = 5;
    internal const int SigAbrt = 6;
    internal const int SigBus = 7;
    internal const int SigFpe = 8;
    internal const int SigKill = 9;
    internal const int SigUsr1 = 10;
    internal const int SigSegv = 11;
    internal const int SigUsr2 = 12;
    internal const int SigPipe = 13;
    internal const int SigAlrm = 14;
    internal const int SigTerm = 15;
    internal const int SigStkflt = 16;
    internal const int SigChld = 17;
    internal const int SigCont = 18;
    internal const int SigStop = 19;
    internal const int SigTstp = 20;
    internal const int SigTtin = 21;
    internal const int SigTtou = 22;
    internal const int SigUrg = 23;
    internal const int SigXcpu = 24;
    internal const int SigXfsz = 25;
    internal const int SigVtalrm = 26;
    internal const int SigProf = 27;
    internal const int SigWinch = 28;
    internal const int SigIo = 29;
    internal const int SigPwr = 30;
    internal const int SigSys = 31;

    /// <summary>The last of the classic signals; real-time signals follow.</summary>
    internal const int LastStandardSignal = 31;

    /// <summary>The highest signal number on Linux (SIGRTMAX).</summary>
    internal const int HighestSignal = 64;

    /// <summary>A shell reports a command killed by signal N as exit status 128+N.</summary>
    internal const int SignalExitBase = 128;

    internal const int StandardInput = 0;
    internal const int StandardOutput = 1;
    internal const int StandardError = 2;

    private static readonly string[] Names =
    [
        string.Empty, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
        "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP",
        "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO",
        "SIGPWR", "SIGSYS",
    ];

    /// <summary>
    /// The number of a signal as .NET hands it over: the members it names are negative (SIGHUP = -1 … SIGTSTP = -10,
    /// the same on every platform), any other signal is its raw number.
    /// </summary>
    internal static int Number(PosixSignal signal) => (int)signal switch
    {
        -1 => SigHup,
        -2 => SigInt,
        -3 => SigQuit,
        -4 => SigTerm,
        -5 => SigChld,
        -6 => SigCont,
        -7 => SigWinch,
        -8 => SigTtin,
        -9 => SigTtou,
        -10 => SigTstp,
        var raw => raw,
    };

    /// <summary>The signal's name as kill -l prints it: SIGTERM, SIGRTMIN+3.</summary>
    internal static string Name(int signal)
    {
        if (signal > 0 && signal <= LastStandardSignal)
        {
            return Names[signal];
        }

        var realTimeMin = RealTimeMin;
        return signal >= realTimeMin && signal <= HighestSignal
            ? signal == realTimeMin ? "SIGRTMIN" : string.Create(CultureInfo.InvariantCulture, $"SIGRTMIN+{signal - realTimeMin}")
            : string.Create(CultureInfo.InvariantCulture, $"signal {signal}");
    }

    /// <summary>The first real-time signal the C library leaves to programs (glibc keeps two below it for threads).</summary>
    internal static int RealTimeMin => LibC.RealTimeSignalMin();

    internal static int RealTimeMax => LibC.RealTimeSignalMax();

    /// <summary>Sends a signal to a process (or, with a negative id, a process group); false when none is left.</summary>
    internal static bool Send(int processId, int signal) => LibC.Kill(processId, signal) == 0;

    /// <summary>
    /// Writes all of <paramref name="bytes"/> to a file descriptor, waiting for room when it is non-blocking;
    /// returns 0 or the <c>errno</c> that stopped it (EPIPE when the reader went away). Console streams hide a
    /// closed pipe, and a wrapper must see it.
    /// </summary>
    internal static unsafe int WriteAll(int descriptor, ReadOnlySpan<byte> bytes)
    {
        fixed (byte* start = bytes)
        {
            var offset = 0;
            while (offset < bytes.Length)
            {
                var written = LibC.Write(descriptor, start + offset, (nuint)(bytes.Length - offset));
                if (written >= 0)
                {
                    offset += (int)written;
                    continue;
                }

                var error = LibC.LastError;
                if (error == LibC.TryAgain)
                {
                    WaitWritable(descriptor);
                }
                else if (error != LibC.Interrupted)
                {
                    return error;
                }
            }
        }

        return 0;
    }

    /// <summary>Closes a descriptor, ignoring a failure: there is nothing left to do with it either way.</summary>
    internal static void CloseQuietly(int descriptor)
    {
        if (descriptor >= 0)
        {
            _ = LibC.Close(descriptor);
        }
    }

    private static unsafe void WaitWritable(int descriptor)
    {
        var poll = new PollDescriptor { Descriptor = descriptor, Events = LibC.PollOut };
        _ = LibC.Poll(&poll, 1, -1);
    }
}

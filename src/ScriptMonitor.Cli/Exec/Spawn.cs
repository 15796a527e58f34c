using System.Collections;
using System.Runtime.InteropServices;

namespace ScriptMonitor.Cli.Exec;

/// <summary>
/// Starts a command with <c>posix_spawnp</c>, its stdout and stderr on pipes and every signal at its default
/// disposition. <see cref="System.Diagnostics.Process"/> cannot do the last: the .NET runtime ignores SIGPIPE and a
/// child started through it inherits that, so <c>yes | head</c> inside a wrapped script would print "Broken pipe"
/// instead of ending quietly as it does unwrapped. Waiting is <c>waitpid</c>, which also tells a signal from an exit.
/// </summary>
internal static unsafe partial class Spawn
{
    private const int CloseOnExec = 0x80000; // O_CLOEXEC
    private const short SetSignalDefaults = 0x04; // POSIX_SPAWN_SETSIGDEF
    private const short SetSignalMask = 0x08; // POSIX_SPAWN_SETSIGMASK
    private const int Interrupted = 4; // EINTR
    private const int HighestSignal = 64;
    private const int LastStandardSignal = 31;
    private const int NoHang = 1; // WNOHANG
    private const short PollIn = 0x1; // POLLIN
    private const int SignalStop = 19; // SIGSTOP, which like SIGKILL has no disposition to reset

    /// <summary>Room for glibc's opaque spawn structures (336, 80 and 128 bytes on x86-64), with margin.</summary>
    private const int OpaqueSize = 1024;

    /// <summary>Starts the command; returns its pid and the read ends of its stdout and stderr pipes.</summary>
    /// <exception cref="SpawnException">It could not be started; <see cref="SpawnException.ErrorNumber"/> says why.</exception>
    internal static (int ProcessId, int Stdout, int Stderr) Start(IReadOnlyList<string> command)
    {
        var outPipe = stackalloc int[2];
        var errPipe = stackalloc int[2];
        Check(Pipe2(outPipe, CloseOnExec));
        Check(Pipe2(errPipe, CloseOnExec));
        var attributes = NativeMemory.AllocZeroed(OpaqueSize);
        var actions = NativeMemory.AllocZeroed(OpaqueSize);
        var signals = NativeMemory.AllocZeroed(OpaqueSize);
        var argv = Strings(command);
        var envp = Strings(Environment());
        try
        {
            Check(SpawnAttributesInit(attributes));
            Check(SignalEmpty(signals));
            for (var signal = 1; signal <= LastStandardSignal; signal++)
            {
                if (signal is not (Posix.SigKill or SignalStop))
                {
                    Check(SignalAdd(signals, signal));
                }
            }

            Check(SpawnAttributesSetSignalDefault(attributes, signals));
            Check(SignalEmpty(signals));
            Check(SpawnAttributesSetSignalMask(attributes, signals));
            Check(SpawnAttributesSetFlags(attributes, SetSignalDefaults | SetSignalMask));
            Check(FileActionsInit(actions));
            Check(FileActionsDup2(actions, outPipe[1], 1));
            Check(FileActionsDup2(actions, errPipe[1], 2));
            int pid;
            var error = SpawnP(&pid, (byte*)argv[0], actions, attributes, argv, envp);
            _ = Close(outPipe[1]);
            _ = Close(errPipe[1]);
            if (error != 0)
            {
                _ = Close(outPipe[0]);
                _ = Close(errPipe[0]);
                throw new SpawnException(error, $"{command[0]}: {Marshal.GetPInvokeErrorMessage(error)}");
            }

            return (pid, outPipe[0], errPipe[0]);
        }
        finally
        {
            _ = FileActionsDestroy(actions);
            _ = SpawnAttributesDestroy(attributes);
            NativeMemory.Free(attributes);
            NativeMemory.Free(actions);
            NativeMemory.Free(signals);
            Free(argv);
            Free(envp);
        }
    }

    /// <summary>Waits for the process to end: its exit status, or 128+N when signal N ended it.</summary>
    internal static (int ExitCode, int? Signal) Wait(int processId) => TryWait(processId, block: true)!.Value;

    /// <summary>Like <see cref="Wait"/>, but returns null at once while the process still runs when not <paramref name="block"/>.</summary>
    internal static (int ExitCode, int? Signal)? TryWait(int processId, bool block)
    {
        int status;
        int result;
        while ((result = WaitPid(processId, &status, block ? 0 : NoHang)) < 0)
        {
            if (Marshal.GetLastPInvokeError() != Interrupted)
            {
                // ECHILD: something else reaped it (SIGCHLD ignored by whoever started us); its status is lost.
                return (Posix.SignalExitBase, null);
            }
        }

        if (result == 0)
        {
            return null;
        }

        var signal = status & 0x7f;
        return signal == 0
            ? ((status >> 8) & 0xff, null)
            : (Posix.SignalExitBase + signal, signal <= HighestSignal ? signal : null);
    }

    /// <summary>
    /// Waits until one of the descriptors can be read (or has reached its end), at most <paramref name="timeoutMilliseconds"/>.
    /// A negative descriptor is skipped. Returns which are ready.
    /// </summary>
    internal static (bool First, bool Second) Poll(int first, int second, int timeoutMilliseconds)
    {
        var descriptors = stackalloc PollDescriptor[2];
        descriptors[0] = new PollDescriptor { Descriptor = first, Events = PollIn };
        descriptors[1] = new PollDescriptor { Descriptor = second, Events = PollIn };
        if (PollNative(descriptors, 2, timeoutMilliseconds) <= 0)
        {
            return (false, false);
        }

        return (descriptors[0].Returned != 0, descriptors[1].Returned != 0);
    }

    /// <summary>Reads what is there into <paramref name="buffer"/>: the count, 0 at the end, or -1 on an error.</summary>
    internal static int Read(int descriptor, Span<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            while (true)
            {
                var read = ReadNative(descriptor, start, (nuint)buffer.Length);
                if (read >= 0 || Marshal.GetLastPInvokeError() != Interrupted)
                {
                    return (int)read;
                }
            }
        }
    }

    internal static void CloseDescriptor(int descriptor) => _ = Close(descriptor);

    private static List<string> Environment()
    {
        var variables = new List<string>();
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            variables.Add($"{entry.Key}={entry.Value}");
        }

        return variables;
    }

    private static nint* Strings(IReadOnlyList<string> values)
    {
        var array = (nint*)NativeMemory.AllocZeroed((nuint)(values.Count + 1), (nuint)sizeof(nint));
        for (var i = 0; i < values.Count; i++)
        {
            array[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
        }

        return array;
    }

    private static void Free(nint* array)
    {
        for (var p = array; *p != 0; p++)
        {
            Marshal.FreeCoTaskMem(*p);
        }

        NativeMemory.Free(array);
    }

    private static void Check(int result)
    {
        if (result != 0)
        {
            var error = result > 0 ? result : Marshal.GetLastPInvokeError();
            throw new SpawnException(error, $"cannot start a process: {Marshal.GetPInvokeErrorMessage(error)}");
        }
    }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int PollNative(PollDescriptor* descriptors, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    private static partial int Pipe2(int* descriptors, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint ReadNative(int descriptor, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitPid(int processId, int* status, int options);

    [LibraryImport("libc", EntryPoint = "sigaddset", SetLastError = true)]
    private static partial int SignalAdd(void* set, int signal);

    [LibraryImport("libc", EntryPoint = "sigemptyset", SetLastError = true)]
    private static partial int SignalEmpty(void* set);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    private static partial int SpawnAttributesInit(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    private static partial int SpawnAttributesDestroy(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    private static partial int SpawnAttributesSetSignalDefault(void* attributes, void* signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    private static partial int SpawnAttributesSetSignalMask(void* attributes, void* signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    private static partial int SpawnAttributesSetFlags(void* attributes, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int FileActionsInit(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int FileActionsDestroy(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static partial int FileActionsDup2(void* actions, int descriptor, int target);

    [LibraryImport("libc", EntryPoint = "posix_spawnp")]
    private static partial int SpawnP(int* processId, byte* file, void* actions, void* attributes, nint* argv, nint* envp);
}

/// <summary>struct pollfd.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PollDescriptor
{
    public int Descriptor;
    public short Events;
    public short Returned;
}

/// <summary>A command could not be started.</summary>
internal sealed class SpawnException : Exception
{
    public SpawnException()
    {
    }

    public SpawnException(string message)
        : base(message)
    {
    }

    public SpawnException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal SpawnException(int errorNumber, string message)
        : base(message)
    {
        ErrorNumber = errorNumber;
    }

    /// <summary>The <c>errno</c> value: ENOENT, EACCES, …</summary>
    internal int ErrorNumber { get; }
}

using System.Runtime.InteropServices;

namespace ScriptMonitor.Cli.Exec;

/// <summary>
/// The C library calls <c>exec</c> supervises a job with. .NET has no API for process groups, terminals, signal
/// dispositions, <c>waitid</c> or byte-exact <c>exec</c>, so these are called directly (source-generated, AOT-safe).
/// Constants are Linux's, the same on every architecture .NET runs on.
/// </summary>
internal static unsafe partial class LibC
{
    internal const int Interrupted = 4; // EINTR
    internal const int NoSuchFile = 2; // ENOENT
    internal const int NoSuchProcess = 3; // ESRCH
    internal const int BadDescriptor = 9; // EBADF
    internal const int NoChild = 10; // ECHILD
    internal const int TryAgain = 11; // EAGAIN, also EWOULDBLOCK
    internal const int OutOfMemory = 12; // ENOMEM
    internal const int PermissionDenied = 13; // EACCES
    internal const int TooManyOpenFilesInSystem = 23; // ENFILE
    internal const int TooManyOpenFiles = 24; // EMFILE
    internal const int BrokenPipe = 32; // EPIPE
    internal const int NotSupported = 38; // ENOSYS
    internal const int ExecFormat = 8; // ENOEXEC

    internal const int OpenReadOnly = 0; // O_RDONLY
    internal const int OpenReadWrite = 2; // O_RDWR
    internal const int OpenCreate = 0x40; // O_CREAT
    internal const int OpenNoControllingTerminal = 0x100; // O_NOCTTY
    internal const int OpenCloseOnExec = 0x80000; // O_CLOEXEC

    internal const int ExecutePermission = 1; // X_OK

    internal const int GetDescriptorFlags = 1; // F_GETFD
    internal const int DescriptorCloseOnExec = 1; // FD_CLOEXEC

    internal const int LockExclusive = 2; // LOCK_EX
    internal const int LockNonBlocking = 4; // LOCK_NB

    internal const int SignalBlock = 0; // SIG_BLOCK
    internal const int SignalSetMask = 2; // SIG_SETMASK
    internal const nint SignalDefault = 0; // SIG_DFL
    internal const nint SignalIgnore = 1; // SIG_IGN

    internal const int WaitNoHang = 1; // WNOHANG
    internal const int WaitStopped = 2; // WSTOPPED (WUNTRACED)
    internal const int WaitExited = 4; // WEXITED
    internal const int WaitNoWait = 0x1000000; // WNOWAIT
    internal const int WaitForPid = 1; // P_PID

    internal const int ChildExited = 1; // CLD_EXITED
    internal const int ChildKilled = 2; // CLD_KILLED
    internal const int ChildDumped = 3; // CLD_DUMPED
    internal const int ChildStopped = 5; // CLD_STOPPED

    internal const short PollIn = 0x1; // POLLIN
    internal const short PollOut = 0x4; // POLLOUT

    /// <summary>pidfd_open(2); the same number on every Linux architecture (new system calls share one table).</summary>
    internal const nint SystemCallPidFdOpen = 434;

    /// <summary>sigset_t of glibc: 1024 bits.</summary>
    internal const int SignalSetSize = 128;

    /// <summary>siginfo_t: 128 bytes on Linux.</summary>
    internal const int SignalInfoSize = 128;

    /// <summary>Offsets in siginfo_t of si_code, si_pid and si_status (the same on 64-bit Linux architectures).</summary>
    internal const int SignalInfoCodeOffset = 8;
    internal const int SignalInfoPidOffset = 16;
    internal const int SignalInfoStatusOffset = 24;

    internal const int StatxEmptyPath = 0x1000; // AT_EMPTY_PATH
    internal const int CurrentDirectory = -100; // AT_FDCWD
    internal const uint StatxBasicStats = 0x7ff; // STATX_BASIC_STATS

    /// <summary>struct statx has one layout on every architecture, which is why it is used instead of fstat.</summary>
    internal const int StatxSize = 256;
    internal const int StatxUserOffset = 20;
    internal const int StatxGroupOffset = 24;
    internal const int StatxModeOffset = 28;
    internal const int StatxInodeOffset = 32;
    internal const int StatxSizeOffset = 40;
    internal const int StatxDeviceMajorOffset = 136;
    internal const int StatxDeviceMinorOffset = 140;
    internal const int FileTypeMask = 0xF000; // S_IFMT
    internal const int RegularFile = 0x8000; // S_IFREG

    internal static int LastError => Marshal.GetLastPInvokeError();

    internal static string Describe(int error) => Marshal.GetPInvokeErrorMessage(error);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ChangeOwner(string path, uint user, uint group);

    [LibraryImport("libc", EntryPoint = "access", SetLastError = true)]
    internal static partial int Access(byte* path, int mode);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int descriptor);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(int descriptor, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    internal static partial nint PositionalRead(int descriptor, byte* buffer, nuint count, long offset);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(int descriptor, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    internal static partial int Pipe(int* descriptors, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    internal static partial int Poll(PollDescriptor* descriptors, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Control(int descriptor, int command, int argument);

    [LibraryImport("libc", EntryPoint = "dup3", SetLastError = true)]
    internal static partial int Duplicate(int descriptor, int target, int flags);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    internal static partial int FileLock(int descriptor, int operation);

    [LibraryImport("libc", EntryPoint = "isatty")]
    internal static partial int IsTerminal(int descriptor);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Statx(int directory, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int processId, int signal);

    [LibraryImport("libc", EntryPoint = "getpid")]
    internal static partial int GetProcessId();

    [LibraryImport("libc", EntryPoint = "getpgrp")]
    internal static partial int GetProcessGroup();

    [LibraryImport("libc", EntryPoint = "tcgetpgrp", SetLastError = true)]
    internal static partial int GetTerminalProcessGroup(int descriptor);

    [LibraryImport("libc", EntryPoint = "tcsetpgrp", SetLastError = true)]
    internal static partial int SetTerminalProcessGroup(int descriptor, int processGroup);

    [LibraryImport("libc", EntryPoint = "signal", SetLastError = true)]
    internal static partial nint SetSignalHandler(int signal, nint handler);

    [LibraryImport("libc", EntryPoint = "pthread_sigmask")]
    internal static partial int ThreadSignalMask(int how, byte* set, byte* previous);

    [LibraryImport("libc", EntryPoint = "sigemptyset", SetLastError = true)]
    internal static partial int SignalSetEmpty(byte* set);

    [LibraryImport("libc", EntryPoint = "sigaddset", SetLastError = true)]
    internal static partial int SignalSetAdd(byte* set, int signal);

    [LibraryImport("libc", EntryPoint = "sigismember")]
    internal static partial int SignalSetContains(byte* set, int signal);

    [LibraryImport("libc", EntryPoint = "__libc_current_sigrtmin")]
    internal static partial int RealTimeSignalMin();

    [LibraryImport("libc", EntryPoint = "__libc_current_sigrtmax")]
    internal static partial int RealTimeSignalMax();

    [LibraryImport("libc", EntryPoint = "waitid", SetLastError = true)]
    internal static partial int WaitId(int idType, int id, byte* info, int options);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    internal static partial int WaitPid(int processId, int* status, int options);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    internal static partial nint SystemCall(nint number, nint first, nint second);

    [LibraryImport("libc", EntryPoint = "posix_spawn")]
    internal static partial int Spawn(int* processId, byte* path, void* actions, void* attributes, nint* argv, nint* envp);

    [LibraryImport("libc", EntryPoint = "posix_spawnp")]
    internal static partial int SpawnSearchingPath(int* processId, byte* file, void* actions, void* attributes, nint* argv, nint* envp);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    internal static partial int SpawnAttributesInit(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    internal static partial int SpawnAttributesDestroy(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    internal static partial int SpawnAttributesSetSignalDefault(void* attributes, byte* signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    internal static partial int SpawnAttributesSetSignalMask(void* attributes, byte* signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setpgroup")]
    internal static partial int SpawnAttributesSetProcessGroup(void* attributes, int processGroup);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    internal static partial int SpawnAttributesSetFlags(void* attributes, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    internal static partial int FileActionsInit(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    internal static partial int FileActionsDestroy(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    internal static partial int FileActionsDuplicate(void* actions, int descriptor, int target);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addclose")]
    internal static partial int FileActionsClose(void* actions, int descriptor);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int FileActionsOpen(void* actions, int descriptor, string path, int flags, int mode);
}

/// <summary>struct pollfd.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PollDescriptor
{
    public int Descriptor;
    public short Events;
    public short Returned;
}

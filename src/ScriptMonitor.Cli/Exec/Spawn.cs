using System.Runtime.InteropServices;
using System.Text;

namespace ScriptMonitor.Cli.Exec;

/// <summary>What a process is started with, beyond its arguments.</summary>
internal sealed record SpawnOptions
{
    /// <summary>Signals reset to their default disposition; every other one keeps scriptmon's (SIG_IGN stays ignored).</summary>
    internal SignalMask DefaultSignals { get; init; }

    /// <summary>The signal mask the process starts with.</summary>
    internal SignalMask BlockedSignals { get; init; }

    /// <summary>Put the process in a new process group of its own (pgid = its pid), set before it runs.</summary>
    internal bool NewProcessGroup { get; init; }

    /// <summary>Make that new group the foreground group of the terminal on stdin, before it runs.</summary>
    internal bool TakeTerminal { get; init; }

    /// <summary>dup2(From, To) in the child, in order; From == To clears close-on-exec, so the child inherits it.</summary>
    internal IReadOnlyList<(int From, int To)> Duplicates { get; init; } = [];

    /// <summary>Descriptors closed in the child, as the caller had them closed.</summary>
    internal IReadOnlyList<int> Closes { get; init; } = [];

    /// <summary>Descriptors opened on /dev/null in the child.</summary>
    internal IReadOnlyList<int> NullDevices { get; init; } = [];
}

/// <summary>
/// Starts processes with <c>posix_spawn</c>: the arguments and the environment as raw bytes, signal dispositions,
/// mask, process group, terminal and descriptors set in the child before it runs, so there is no window in which
/// the parent and the child disagree. <see cref="System.Diagnostics.Process"/> can do none of that, and the child of
/// a .NET process started through it inherits SIGPIPE ignored.
/// </summary>
internal static unsafe class Spawn
{
    private const short SetProcessGroup = 0x02; // POSIX_SPAWN_SETPGROUP
    private const short SetSignalDefaults = 0x04; // POSIX_SPAWN_SETSIGDEF
    private const short SetSignalMask = 0x08; // POSIX_SPAWN_SETSIGMASK
    private const string CLibrary = "libc.so.6";

    /// <summary>What <c>execvp</c> runs a file with that has no <c>#!</c> line (_PATH_BSHELL).</summary>
    private const string Shell = "/bin/sh";

    /// <summary>glibc's search path when PATH is unset, as <c>execvp</c> uses it.</summary>
    private const string DefaultSearchPath = "/bin:/usr/bin";

    /// <summary>Room for glibc's opaque spawn structures (336 and 80 bytes on x86-64), with margin.</summary>
    private const int OpaqueSize = 1024;

    private static readonly nint CLibraryHandle = NativeLibrary.TryLoad(CLibrary, out var handle) ? handle : 0;

    /// <summary>posix_spawn_file_actions_addtcsetpgrp_np: glibc 2.35 and later; without it the parent hands the terminal over.</summary>
    private static readonly delegate* unmanaged<void*, int, int> AddTerminalGroup =
        CLibraryHandle != 0 && NativeLibrary.TryGetExport(CLibraryHandle, "posix_spawn_file_actions_addtcsetpgrp_np", out var address)
            ? (delegate* unmanaged<void*, int, int>)address
            : null;

    /// <summary>Whether the child can take the terminal itself, before it runs (no race with its first read).</summary>
    internal static bool ChildTakesTerminal => AddTerminalGroup != null;

    /// <summary>
    /// The process's environment as the C library holds it: the bytes scriptmon was started with, which .NET would
    /// otherwise decode (and rewrite invalid UTF-8) on the way through.
    /// </summary>
    internal static nint* Environment =>
        CLibraryHandle != 0 && NativeLibrary.TryGetExport(CLibraryHandle, "environ", out var variable)
            ? *(nint**)variable
            : null;

    /// <summary>
    /// Starts a command, looking it up in PATH, and runs a file the kernel cannot execute (no <c>#!</c> line) with
    /// <c>/bin/sh</c>, as <c>execvp</c>, cron's shell, <c>env</c> and <c>timeout</c> do. Returns its pid.
    /// </summary>
    /// <exception cref="SpawnException">It could not be started; <see cref="SpawnException.ErrorNumber"/> says why.</exception>
    internal static int StartCommand(IReadOnlyList<byte[]> arguments, SpawnOptions options)
    {
        try
        {
            return Start(arguments, options, searchPath: true);
        }
        catch (SpawnException e) when (e.ErrorNumber == LibC.ExecFormat && Resolve(arguments[0]) is { } path)
        {
            return Start([Encoding.UTF8.GetBytes(Shell), path, .. arguments.Skip(1)], options, searchPath: false);
        }
    }

    /// <summary>Starts a program by its path.</summary>
    internal static int Start(IReadOnlyList<byte[]> arguments, SpawnOptions options, bool searchPath)
    {
        var attributes = NativeMemory.AllocZeroed(OpaqueSize);
        var actions = NativeMemory.AllocZeroed(OpaqueSize);
        var signals = stackalloc byte[LibC.SignalSetSize];
        var argv = Strings(arguments);
        try
        {
            Check(LibC.SpawnAttributesInit(attributes));
            Check(LibC.FileActionsInit(actions));
            options.DefaultSignals.CopyTo(signals);
            Check(LibC.SpawnAttributesSetSignalDefault(attributes, signals));
            options.BlockedSignals.CopyTo(signals);
            Check(LibC.SpawnAttributesSetSignalMask(attributes, signals));
            var flags = (short)(SetSignalDefaults | SetSignalMask);
            if (options.NewProcessGroup)
            {
                flags |= SetProcessGroup;
                Check(LibC.SpawnAttributesSetProcessGroup(attributes, 0));
            }

            Check(LibC.SpawnAttributesSetFlags(attributes, flags));
            foreach (var descriptor in options.Closes)
            {
                Check(LibC.FileActionsClose(actions, descriptor));
            }

            foreach (var descriptor in options.NullDevices)
            {
                Check(LibC.FileActionsOpen(actions, descriptor, "/dev/null", LibC.OpenReadWrite, 0));
            }

            foreach (var (from, to) in options.Duplicates)
            {
                Check(LibC.FileActionsDuplicate(actions, from, to));
            }

            if (options.TakeTerminal && AddTerminalGroup != null)
            {
                Check(AddTerminalGroup(actions, Posix.StandardInput));
            }

            int processId;
            var error = searchPath
                ? LibC.SpawnSearchingPath(&processId, (byte*)argv[0], actions, attributes, argv, Environment)
                : LibC.Spawn(&processId, (byte*)argv[0], actions, attributes, argv, Environment);
            if (error != 0)
            {
                throw new SpawnException(error, $"{Text(arguments[0])}: {LibC.Describe(error)}");
            }

            return processId;
        }
        finally
        {
            _ = LibC.FileActionsDestroy(actions);
            _ = LibC.SpawnAttributesDestroy(attributes);
            NativeMemory.Free(attributes);
            NativeMemory.Free(actions);
            Free(argv);
        }
    }

    /// <summary>Bytes as text for a message: invalid UTF-8 shows as U+FFFD there, and only there.</summary>
    internal static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    /// <summary>The file <c>execvp</c> would have run: the name itself when it has a slash, else the first executable in PATH.</summary>
    private static byte[]? Resolve(byte[] file)
    {
        if (file.Contains((byte)'/'))
        {
            return file;
        }

        var path = ReadEnvironment("PATH"u8) ?? Encoding.UTF8.GetBytes(DefaultSearchPath);
        foreach (var directory in path.AsSpan().Split((byte)':'))
        {
            var prefix = path.AsSpan()[directory];
            byte[] candidate = prefix.Length == 0 ? file : [.. prefix, (byte)'/', .. file];
            if (IsExecutableFile(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool IsExecutableFile(byte[] path)
    {
        fixed (byte* name = (byte[])[.. path, 0])
        {
            return LibC.Access(name, LibC.ExecutePermission) == 0 && File.Exists(Text(path));
        }
    }

    /// <summary>A variable of the raw environment, as bytes.</summary>
    private static byte[]? ReadEnvironment(ReadOnlySpan<byte> name)
    {
        var environment = Environment;
        if (environment == null)
        {
            return null;
        }

        for (var entry = environment; *entry != 0; entry++)
        {
            var text = MemoryMarshal.CreateReadOnlySpanFromNullTerminated((byte*)*entry);
            if (text.Length > name.Length && text[name.Length] == (byte)'=' && text.StartsWith(name))
            {
                return text[(name.Length + 1)..].ToArray();
            }
        }

        return null;
    }

    private static nint* Strings(IReadOnlyList<byte[]> values)
    {
        var array = (nint*)NativeMemory.AllocZeroed((nuint)(values.Count + 1), (nuint)sizeof(nint));
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            var copy = (byte*)NativeMemory.Alloc((nuint)value.Length + 1);
            value.CopyTo(new Span<byte>(copy, value.Length));
            copy[value.Length] = 0;
            array[i] = (nint)copy;
        }

        return array;
    }

    private static void Free(nint* array)
    {
        for (var p = array; *p != 0; p++)
        {
            NativeMemory.Free((void*)*p);
        }

        NativeMemory.Free(array);
    }

    private static void Check(int result)
    {
        if (result != 0)
        {
            throw new SpawnException(result, $"cannot prepare to start a process: {LibC.Describe(result)}", beforeExec: true);
        }
    }
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

    internal SpawnException(int errorNumber, string message, bool beforeExec = false)
        : base(message)
    {
        ErrorNumber = errorNumber;
        BeforeExec = beforeExec;
    }

    /// <summary>The <c>errno</c> value: ENOENT, EACCES, …</summary>
    internal int ErrorNumber { get; }

    /// <summary>Whether it failed while scriptmon prepared the process, before the command itself was looked at.</summary>
    internal bool BeforeExec { get; }
}

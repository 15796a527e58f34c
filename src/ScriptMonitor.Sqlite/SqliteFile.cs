using System.Runtime.InteropServices;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Sqlite;

/// <summary>
/// Looks at the database's path before SQLite does, so that "there is no database yet" is told apart from "there is
/// something this user cannot use": a directory, a path through a file, a directory the user may not enter (a check
/// started from a root shell inherits <c>HOME=/root</c>), a file the user may not read. .NET's <c>File.Exists</c>
/// answers false to all of them alike.
/// </summary>
internal static partial class SqliteFile
{
    // errno values of Linux (asm-generic/errno-base.h), the same on every architecture .NET runs on there.
    private const int NoEntry = 2; // ENOENT
    private const int PermissionDenied = 13; // EACCES
    private const int NotADirectory = 20; // ENOTDIR

    // faccessat(2)
    private const int CurrentDirectory = -100; // AT_FDCWD
    private const int UseEffectiveIds = 0x200; // AT_EACCESS: judge as the process's effective user, as open(2) does
    private const int Exists = 0; // F_OK
    private const int Readable = 4; // R_OK
    private const int Writable = 2; // W_OK
    private const int Searchable = 1; // X_OK

    // statx(2): struct statx is laid out the same on every architecture; stx_mode is a u16 at byte 28 of 256.
    private const int StatxSize = 256;
    private const int StatxModeOffset = 28;
    private const uint StatxType = 1; // STATX_TYPE
    private const int TypeMask = 0xF000; // S_IFMT
    private const int RegularFile = 0x8000; // S_IFREG
    private const int DirectoryFile = 0x4000; // S_IFDIR

    /// <summary>Whether a database file is there to open; throws when the path cannot be used at all.</summary>
    /// <param name="path">The database file, a full path.</param>
    /// <returns>True when the file exists and can be read; false when nothing is there yet (it may be created).</returns>
    /// <exception cref="StoreUnavailableException">The path names a directory, goes through a file, or cannot be reached or read by this user.</exception>
    internal static bool Probe(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return File.Exists(path);
        }

        if (Access(path, Exists) is { } error)
        {
            return error switch
            {
                NoEntry => false,
                NotADirectory => throw Unusable(path, $"{FirstNonDirectory(path)} is not a directory"),
                PermissionDenied => throw Unusable(path, $"the user {Environment.UserName} may not enter the directory {FirstUnsearchable(path)} (permission denied)"),
                _ => throw Unusable(path, Marshal.GetPInvokeErrorMessage(error)),
            };
        }

        switch (FileType(path))
        {
            case Kind.Directory:
                throw Unusable(path, "it is a directory, not a database file");
            case Kind.Other:
                throw Unusable(path, "it is not a regular file (a device, a pipe or a socket), so it cannot hold a database");
        }

        return Access(path, Readable) is not { } unreadable
            ? true
            : throw Unusable(path, unreadable == PermissionDenied
                ? $"the user {Environment.UserName} may not read it (permission denied)"
                : Marshal.GetPInvokeErrorMessage(unreadable));
    }

    /// <summary>Why the database's directory could not be created, as a sentence: the part of the path that stops it.</summary>
    internal static string WhyDirectoryCannotBeCreated(string directory, Exception exception)
    {
        if (OperatingSystem.IsLinux())
        {
            var parent = Path.GetPathRoot(directory)!;
            foreach (var component in Ancestors(directory).Append(directory))
            {
                if (Access(component, Exists) is not { } missing)
                {
                    if (!Directory.Exists(component))
                    {
                        return $"{component} is not a directory";
                    }

                    if (Access(component, Searchable) is not null)
                    {
                        return $"the user {Environment.UserName} may not enter the directory {component} (permission denied)";
                    }

                    parent = component;
                    continue;
                }

                if (missing == NoEntry && Access(parent, Writable | Searchable) is not null)
                {
                    return $"the user {Environment.UserName} may not create {Path.GetFileName(component)} in {parent} (permission denied)";
                }

                break;
            }
        }

        return exception is IOException { HResult: > 0 and < 4096 } io ? Marshal.GetPInvokeErrorMessage(io.HResult) : exception.GetType().Name;
    }

    /// <summary>The SQLite database at <paramref name="path"/> cannot be used, and why, in one sentence.</summary>
    internal static StoreUnavailableException Unusable(string path, string reason, Exception? cause = null)
    {
        var message = $"The SQLite database {path} cannot be used: {reason}.";
        return cause is null ? new StoreUnavailableException(message) : new StoreUnavailableException(message, cause);
    }

    /// <summary>The first directory of the path that this user may not enter.</summary>
    private static string FirstUnsearchable(string path) =>
        Ancestors(path).FirstOrDefault(directory => Access(directory, Searchable) is not null) ?? Path.GetDirectoryName(path)!;

    /// <summary>The first component of the path that exists and is not a directory.</summary>
    private static string FirstNonDirectory(string path) =>
        Ancestors(path).FirstOrDefault(component => Access(component, Exists) is null && !Directory.Exists(component)) ?? path;

    /// <summary>The directories above <paramref name="path"/>, from the root down.</summary>
    private static IEnumerable<string> Ancestors(string path)
    {
        var directories = new List<string>();
        for (var directory = Path.GetDirectoryName(path); !string.IsNullOrEmpty(directory); directory = Path.GetDirectoryName(directory))
        {
            directories.Add(directory);
        }

        directories.Reverse();
        return directories;
    }

    /// <summary>What the path is, following symbolic links, as statx(2) says; directories alone when statx is missing.</summary>
    private static Kind FileType(string path)
    {
        Span<byte> buffer = stackalloc byte[StatxSize];
        try
        {
            if (Statx(CurrentDirectory, path, 0, StatxType, ref MemoryMarshal.GetReference(buffer)) != 0)
            {
                return Directory.Exists(path) ? Kind.Directory : Kind.Regular;
            }
        }
        catch (EntryPointNotFoundException)
        {
            // A C library older than statx(2) (glibc before 2.28): only a directory can be told apart.
            return Directory.Exists(path) ? Kind.Directory : Kind.Regular;
        }

        return (BitConverter.ToUInt16(buffer[StatxModeOffset..]) & TypeMask) switch
        {
            RegularFile => Kind.Regular,
            DirectoryFile => Kind.Directory,
            _ => Kind.Other,
        };
    }

    /// <summary>faccessat(2) as the effective user: null when allowed, else the errno.</summary>
    private static int? Access(string path, int mode) =>
        FileAccessAt(CurrentDirectory, path, mode, UseEffectiveIds) == 0 ? null : Marshal.GetLastPInvokeError();

    [LibraryImport("libc", EntryPoint = "faccessat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int FileAccessAt(int directory, string path, int mode, int flags);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, ref byte buffer);

    private enum Kind
    {
        Regular,
        Directory,
        Other,
    }
}

using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace ScriptMonitor.Application.Locking;

/// <summary>
/// A non-blocking, per-script lock: a lock file held with <c>flock</c>, so the kernel frees it when the last
/// descriptor of it closes. A wrapped command can inherit that descriptor (as with <c>flock(1)</c>), and the lock is
/// then held while any process of the command runs, even after the holder itself is gone. The holder writes who it
/// is into an owner file beside it (the lock file itself cannot be read by others while it is held) and removes it
/// when the lock is free on release; an owner file found when the lock is free was left by a run that did not end
/// cleanly, and the lock is claimed with a warning.
/// </summary>
public sealed partial class ScriptLock : IDisposable
{
    private const int MaxReadableNameLength = 80;
    private const string OwnerUnknown = "owner unknown";

    private const int OpenReadWrite = 2; // O_RDWR
    private const int OpenCreate = 0x40; // O_CREAT
    private const int OpenNoControllingTerminal = 0x100; // O_NOCTTY
    private const int OpenCloseOnExec = 0x80000; // O_CLOEXEC
    private const int LockExclusive = 2; // LOCK_EX
    private const int LockNonBlocking = 4; // LOCK_NB
    private const int WouldBlock = 11; // EWOULDBLOCK
    private const int Interrupted = 4; // EINTR

    /// <summary>rw for everyone before the umask, as files are created by default: runs of one script may be different users.</summary>
    private const int LockFileMode = 0x1B6; // 0666

    private readonly DateTimeOffset _since;
    private int _descriptor;

    private ScriptLock(int descriptor, string path, TimeProvider timeProvider)
    {
        _descriptor = descriptor;
        Path = path;
        _since = timeProvider.GetUtcNow();
    }

    internal string Path { get; }

    /// <summary>The locked descriptor (close-on-exec): a wrapped command that inherits it holds the lock with it.</summary>
    public int Descriptor => _descriptor;

    private string OwnerPath => OwnerPathFor(Path);

    /// <summary>The lock file of a script: a readable, file-system-safe form of its name plus a hash that keeps names apart.</summary>
    internal static string PathFor(string directory, string scriptName)
    {
        var readable = new StringBuilder();
        foreach (var c in scriptName.Take(MaxReadableNameLength))
        {
            readable.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(scriptName)))[..12];
        return System.IO.Path.Combine(directory, $"{readable}-{hash}.lock");
    }

    /// <summary>Takes the lock of <paramref name="scriptName"/>, or returns null at once when another process holds it.</summary>
    /// <exception cref="ScriptLockUnavailableException">The lock directory or file cannot be used: the lock cannot be taken.</exception>
    public static ScriptLock? TryAcquire(string directory, string scriptName, TimeProvider timeProvider, ILogger logger) =>
        TryAcquire(directory, scriptName, timeProvider, logger, out _);

    /// <summary>Takes the lock, or returns null and says who holds it.</summary>
    /// <exception cref="ScriptLockUnavailableException">The lock directory or file cannot be used: the lock cannot be taken.</exception>
    public static ScriptLock? TryAcquire(string directory, string scriptName, TimeProvider timeProvider, ILogger logger, out string? holder)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        holder = null;
        CreateDirectory(directory);
        var path = PathFor(directory, scriptName);
        var descriptor = Open(path, OpenReadWrite | OpenCreate | OpenCloseOnExec | OpenNoControllingTerminal, LockFileMode);
        if (descriptor < 0)
        {
            throw new ScriptLockUnavailableException(directory, $"the lock file {path} cannot be opened: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        if (!TryLock(descriptor, out var error))
        {
            _ = Close(descriptor);
            if (error != WouldBlock)
            {
                throw new ScriptLockUnavailableException(directory, $"the lock file {path} cannot be locked: {Marshal.GetPInvokeErrorMessage(error)}");
            }

            holder = ReadHolder(path);
            LogLockHeld(logger, scriptName, path, holder);
            return null;
        }

        var held = new ScriptLock(descriptor, path, timeProvider);
        if (File.Exists(held.OwnerPath))
        {
            LogStaleLockClaimed(logger, scriptName, path, ReadHolder(path));
        }

        held.WriteOwner(null);
        return held;
    }

    /// <summary>Adds the wrapped command's process group to the owner file, so a skipped run can name the processes that hold the lock.</summary>
    public void NoteCommand(int processGroup) => WriteOwner(processGroup);

    /// <summary>
    /// Closes this process's descriptor of the lock. The lock is free unless a process that inherited the descriptor
    /// still runs; only then is the owner file removed, so that a run skipped meanwhile still learns who holds it.
    /// </summary>
    public void Dispose()
    {
        var descriptor = Interlocked.Exchange(ref _descriptor, -1);
        if (descriptor < 0)
        {
            return;
        }

        _ = Close(descriptor);
        var probe = Open(Path, OpenReadWrite | OpenCloseOnExec | OpenNoControllingTerminal, 0);
        if (probe < 0)
        {
            return;
        }

        try
        {
            if (TryLock(probe, out _))
            {
                File.Delete(OwnerPath);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The owner file stays; the next holder claims the lock with a warning, which is the worst that happens.
        }
        finally
        {
            _ = Close(probe);
        }
    }

    private static void CreateDirectory(string directory)
    {
        if (File.Exists(directory))
        {
            throw new ScriptLockUnavailableException(directory, "it is a file, not a directory");
        }

        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ScriptLockUnavailableException(directory, $"it cannot be created: {e.Message}", e);
        }
    }

    private static bool TryLock(int descriptor, out int error)
    {
        while (FileLock(descriptor, LockExclusive | LockNonBlocking) != 0)
        {
            error = Marshal.GetLastPInvokeError();
            if (error != Interrupted)
            {
                return false;
            }
        }

        error = 0;
        return true;
    }

    private static string OwnerPathFor(string lockPath) => lockPath + ".owner";

    private static string ReadHolder(string lockPath)
    {
        try
        {
            var owner = File.ReadAllText(OwnerPathFor(lockPath)).Trim();
            return owner.Length > 0 ? owner : OwnerUnknown;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return OwnerUnknown;
        }
    }

    /// <summary>Writes the owner file; a directory that takes the lock file but not the owner file costs only the name of the holder.</summary>
    private void WriteOwner(int? processGroup)
    {
        var command = processGroup is { } group ? string.Create(CultureInfo.InvariantCulture, $" (command process group {group})") : string.Empty;
        try
        {
            File.WriteAllText(OwnerPath, string.Create(
                CultureInfo.InvariantCulture,
                $"pid {Environment.ProcessId}{command} since {Runs.Timestamps.FormatIso(_since)}\n"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the lock itself is held either way.
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int FileLock(int descriptor, int operation);

    [LoggerMessage(Level = LogLevel.Error, Message = "Script {ScriptName} is already running: lock {LockPath} is held ({Holder}); not starting.")]
    private static partial void LogLockHeld(ILogger logger, string scriptName, string lockPath, string holder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claiming stale lock {LockPath} of script {ScriptName}, left by a run that did not end cleanly ({Holder}).")]
    private static partial void LogStaleLockClaimed(ILogger logger, string scriptName, string lockPath, string holder);
}

/// <summary>The lock directory or lock file cannot be used, so the lock cannot be taken (as opposed to being held by another run).</summary>
public sealed class ScriptLockUnavailableException : IOException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ScriptLockUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public ScriptLockUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ScriptLockUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal ScriptLockUnavailableException(string directory, string reason, Exception? innerException = null)
        : base($"The lock directory {directory} cannot be used: {reason}.", innerException)
    {
        Directory = directory;
        Reason = reason;
    }

    /// <summary>The lock directory.</summary>
    public string Directory { get; } = string.Empty;

    /// <summary>Why it cannot be used, as a phrase.</summary>
    public string Reason { get; } = string.Empty;
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace ScriptMonitor.Scripts.Locking;

/// <summary>
/// A non-blocking, per-script lock: a lock file held with <c>flock</c>, so the kernel frees it when the holder dies.
/// The holder writes who it is into an owner file beside it (the lock file itself cannot be read by others while
/// it is held) and removes that on a clean release; an owner file found when the lock is free was left by a run
/// that crashed, and the lock is claimed with a warning.
/// </summary>
internal sealed partial class ScriptLock : IDisposable
{
    private const int MaxReadableNameLength = 80;

    private readonly FileStream _file;

    private ScriptLock(FileStream file, string path)
    {
        _file = file;
        Path = path;
    }

    internal string Path { get; }

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
    internal static ScriptLock? TryAcquire(string directory, string scriptName, TimeProvider timeProvider, ILogger logger)
    {
        Directory.CreateDirectory(directory);
        var path = PathFor(directory, scriptName);
        FileStream file;
        try
        {
            // On Unix, FileShare.None is taken as flock(LOCK_EX | LOCK_NB) on the open file.
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (File.Exists(path))
        {
            LogLockHeld(logger, scriptName, path, ReadHolder(path));
            return null;
        }

        try
        {
            var ownerPath = OwnerPathFor(path);
            if (File.Exists(ownerPath))
            {
                LogStaleLockClaimed(logger, scriptName, path, ReadHolder(path));
            }

            File.WriteAllText(ownerPath, string.Create(
                CultureInfo.InvariantCulture,
                $"pid {Environment.ProcessId} since {Runs.Timestamps.FormatIso(timeProvider.GetUtcNow())}\n"));
            return new ScriptLock(file, path);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Releases the lock, removing the owner file first so the next holder knows this run ended cleanly.</summary>
    public void Dispose()
    {
        try
        {
            File.Delete(OwnerPath);
        }
        finally
        {
            _file.Dispose();
        }
    }

    private static string OwnerPathFor(string lockPath) => lockPath + ".owner";

    private static string ReadHolder(string lockPath)
    {
        try
        {
            var owner = File.ReadAllText(OwnerPathFor(lockPath)).Trim();
            return owner.Length > 0 ? owner : "owner unknown";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "owner unknown";
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Script {ScriptName} is already running: lock {LockPath} is held ({Holder}); not starting.")]
    private static partial void LogLockHeld(ILogger logger, string scriptName, string lockPath, string holder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claiming stale lock {LockPath} of script {ScriptName}, left by a run that did not end cleanly ({Holder}).")]
    private static partial void LogStaleLockClaimed(ILogger logger, string scriptName, string lockPath, string holder);
}

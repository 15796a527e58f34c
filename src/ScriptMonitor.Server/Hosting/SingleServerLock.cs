namespace ScriptMonitor.Server.Hosting;

/// <summary>
/// One server per SQLite database file: an exclusive lock on a file beside the database, held for the life of the
/// process and released by the kernel however the process ends.
/// </summary>
internal sealed class SingleServerLock : IDisposable
{
    // What .NET reports on Linux when flock(2) finds the lock taken: EWOULDBLOCK as the exception's HResult. Any other
    // failure to open the lock file (a read-only directory, a full disk) is said as itself, not as another server.
    private const int LockTaken = 11;

    private readonly FileStream _file;

    private SingleServerLock(FileStream file, string path)
    {
        _file = file;
        Path = path;
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>Takes the lock beside <paramref name="databasePath"/>.</summary>
    /// <exception cref="ServerStartException">Another server holds it, or the lock file cannot be opened.</exception>
    public static SingleServerLock Acquire(string databasePath)
    {
        var path = databasePath + ".server.lock";
        try
        {
            // On Linux, FileShare.None is an advisory flock(LOCK_EX | LOCK_NB) that the kernel drops with the process.
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return new SingleServerLock(file, path);
        }
        catch (IOException e) when (e.HResult == LockTaken)
        {
            throw new ServerStartException($"another scriptmon-server already serves {databasePath} (it holds {path}); one server per SQLite database", e);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new ServerStartException($"cannot open the server lock {path}: {e.Message}", e);
        }
    }

    public void Dispose() => _file.Dispose();
}

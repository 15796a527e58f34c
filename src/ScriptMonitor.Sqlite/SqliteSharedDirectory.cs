namespace ScriptMonitor.Sqlite;

/// <summary>
/// A store shared by the users of one host (root's, www-data's and postgres's jobs recording into one file) lives in a
/// directory owned by a group of theirs with the set-group-id bit, so that every file made in it belongs to that group.
/// The files must also be writable by the group whatever umask the first writer had: the database is created
/// group-writable here, and SQLite gives its <c>-wal</c> and <c>-shm</c> files the database's own permissions.
/// </summary>
internal static class SqliteSharedDirectory
{
    private const UnixFileMode SharedFileMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    /// <summary>Creates the database file, readable and writable by the directory's group, when its directory is shared and it is not there yet.</summary>
    /// <param name="fullPath">The database file.</param>
    internal static void PrepareDatabase(string fullPath)
    {
        if (OperatingSystem.IsWindows() || Path.GetDirectoryName(fullPath) is not { Length: > 0 } directory || !IsShared(directory))
        {
            return;
        }

        try
        {
            using (new FileStream(fullPath, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = SharedFileMode }))
            {
            }
        }
        catch (IOException) when (File.Exists(fullPath))
        {
            // Another user made it first; its mode is theirs to have set the same way.
            return;
        }

        // The umask applies to a mode given at creation, not to one set afterwards.
        File.SetUnixFileMode(fullPath, SharedFileMode);
    }

    private static bool IsShared(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        try
        {
            return (File.GetUnixFileMode(directory) & UnixFileMode.SetGroup) != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

using Microsoft.Data.Sqlite;

namespace ScriptMonitor.Sqlite;

/// <summary>
/// A consistent copy of a SQLite store while it is in use, through SQLite's online backup API: the copy is the
/// database as of one instant, every transaction committed before it in full and none after it in part. Writers go on
/// meanwhile (in WAL mode a reader blocks no writer).
/// </summary>
public static class SqliteBackup
{
    // Microsoft.Data.Sqlite's own retry of a busy statement, in whole seconds, while the copy takes its read lock.
    private const int BusyRetrySeconds = 5;

    /// <summary>Copies the store at <paramref name="sourcePath"/> into a new file at <paramref name="destinationPath"/>.</summary>
    /// <param name="sourcePath">The store, which must exist.</param>
    /// <param name="destinationPath">Where the copy goes: a file that does not exist yet, in a directory that does.</param>
    /// <exception cref="Runs.StoreUnavailableException">The store cannot be read, or the copy cannot be written; the message says which and why.</exception>
    public static void Copy(string sourcePath, string destinationPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sourcePath);
        ArgumentException.ThrowIfNullOrWhiteSpace(destinationPath);
        if (!File.Exists(sourcePath))
        {
            throw SqliteFile.Unusable(sourcePath, "it does not exist");
        }

        using var source = new SqliteConnection(ConnectionString(sourcePath, SqliteOpenMode.ReadOnly));
        try
        {
            source.Open();
            if (SqliteStoreIdentity.Read(source, out _, out var foreign) == SqliteStoreIdentity.Kind.Foreign)
            {
                throw SqliteStoreIdentity.Foreign(sourcePath, foreign);
            }
        }
        catch (SqliteException e)
        {
            throw SqliteFile.Unusable(sourcePath, e.Message, e);
        }

        using var destination = new SqliteConnection(ConnectionString(destinationPath, SqliteOpenMode.ReadWriteCreate));
        try
        {
            destination.Open();
            // One step (-1): every page under one read transaction of the source, so the copy is one instant of it.
            source.BackupDatabase(destination);
        }
        catch (SqliteException e)
        {
            throw SqliteFile.Unusable(destinationPath, $"the copy cannot be written: {e.Message}", e);
        }
    }

    private static string ConnectionString(string path, SqliteOpenMode mode) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = mode,
        // Closed for good when disposed, so that the copy can be flushed and renamed at once.
        Pooling = false,
        DefaultTimeout = BusyRetrySeconds,
    }.ToString();
}

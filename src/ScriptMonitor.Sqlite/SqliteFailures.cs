using Microsoft.Data.Sqlite;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Sqlite;

/// <summary>
/// Tells the SQLite errors that say the file cannot be used now (locked past the busy timeout, disk full, cannot be
/// opened, read-only, I/O failing) from the rest, and turns them into a <see cref="StoreUnavailableException"/>
/// that names the file and what failed, so that callers can spool the run instead of losing it.
/// </summary>
internal static class SqliteFailures
{
    // SQLite's primary result codes (https://www.sqlite.org/rescode.html); extended codes carry them in the low byte.
    private const int Busy = 5;
    private const int Locked = 6;
    private const int ReadOnly = 8;
    private const int IoError = 10;
    private const int Corrupt = 11;
    private const int Full = 13;
    private const int CantOpen = 14;
    private const int NotADatabase = 26;
    private const int PrimaryCodeMask = 0xFF;

    /// <summary>A constraint failed: on insert, the only one a valid run can break is the unique run id.</summary>
    internal const int Constraint = 19;

    internal static bool IsUnavailable(SqliteException exception) =>
        (exception.SqliteErrorCode & PrimaryCodeMask) is Busy or Locked or ReadOnly or IoError or Corrupt or Full or CantOpen or NotADatabase;

    internal static StoreUnavailableException Unavailable(string path, SqliteException exception)
    {
        var what = (exception.SqliteErrorCode & PrimaryCodeMask) switch
        {
            Busy or Locked => "is locked by another writer past the busy timeout",
            ReadOnly => "is read-only (check the permissions of the file and its directory)",
            IoError => "cannot be read or written (disk I/O error)",
            Corrupt => "is damaged (restore it from a backup, or move it aside to start a new one)",
            NotADatabase => "is not a SQLite database (move it aside, or point the store at another file)",
            Full => "cannot be written: the disk is full",
            _ => "cannot be opened (check that its directory exists and is writable)",
        };
        return new StoreUnavailableException($"The SQLite database {path} {what}: {exception.Message}", exception);
    }
}

using Microsoft.Data.Sqlite;
using ScriptMonitor.Runs;
using ScriptMonitor.Stores;

namespace ScriptMonitor.Sqlite;

/// <summary>
/// Opens the file, for writing (creating, migrating) or for reading only (creating and writing nothing), and checks
/// before anything is written that it is a ScriptMonitor store this build may use.
/// </summary>
internal static class SqliteConnections
{
    /// <summary>Microsoft.Data.Sqlite's own retry of a busy statement, in whole seconds: its smallest bound (0 would be none).</summary>
    private const int DriverRetrySeconds = 1;

    /// <summary>SQLITE_CANTOPEN: the file, or a file SQLite needs beside it, cannot be opened.</summary>
    private const int SqliteCantOpen = 14;

    /// <summary>SQLITE_READONLY: something had to be written for the read, and may not be.</summary>
    private const int SqliteReadOnly = 8;

    /// <summary>Opens the file for writing, creating it and its directory if needed, and migrates it.</summary>
    internal static SqliteConnection OpenForWriting(string fullPath, SqliteStoreOptions options, IReadOnlyList<SchemaMigration> migrations)
    {
        SqliteFile.Probe(fullPath);
        if (Path.GetDirectoryName(fullPath) is { Length: > 0 } directory)
        {
            try
            {
                Directory.CreateDirectory(directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw SqliteFile.Unusable(fullPath, $"its directory cannot be created: {SqliteFile.WhyDirectoryCannotBeCreated(directory, e)}", e);
            }
        }

        try
        {
            SqliteSharedDirectory.PrepareDatabase(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw SqliteFile.Unusable(fullPath, $"it cannot be created in its shared directory: {e.Message}", e);
        }

        var connection = new SqliteConnection(ConnectionString(fullPath, SqliteOpenMode.ReadWriteCreate));
        return Prepared(connection, fullPath, () =>
        {
            connection.Open();
            BusyTimeout(connection, options);

            // Before anything is written: WAL mode and the tables must never reach another application's database.
            if (SqliteStoreIdentity.Read(connection, out _, out var foreign) == SqliteStoreIdentity.Kind.Foreign)
            {
                throw SqliteStoreIdentity.Foreign(fullPath, foreign);
            }

            KeepWriteAheadLogOnClose(connection);
            Execute(connection, "PRAGMA journal_mode = WAL");
            Execute(connection, options.FlushEveryCommit ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
            SqliteSchema.Migrate(connection, fullPath, migrations);
            TruncateLongWriteAheadLog(connection, fullPath, options.WriteAheadLogLimit);
            return connection;
        })!;
    }

    /// <summary>
    /// Opens an existing store to read it; null when there is none (no file, or an empty one). Nothing is created or
    /// written, not even the journal mode, so it works for a user who may only read the file.
    /// </summary>
    internal static SqliteConnection? OpenForReading(string fullPath, SqliteStoreOptions options, int latestVersion)
    {
        if (!SqliteFile.Probe(fullPath))
        {
            return null;
        }

        var connection = ConnectForReading(fullPath, options, out var kind, out var foreign);
        return Prepared(connection, fullPath, () =>
        {
            switch (kind)
            {
                case SqliteStoreIdentity.Kind.Empty:
                    connection.Dispose();
                    return null;
                case SqliteStoreIdentity.Kind.Foreign:
                    throw SqliteStoreIdentity.Foreign(fullPath, foreign);
            }

            var (version, oldestWriter) = SqliteSchema.ReadVersion(connection);
            switch (SchemaCompatibility.Judge(version, oldestWriter, latestVersion))
            {
                case SchemaAccess.Incompatible:
                    throw SchemaCompatibility.Incompatible($"The SQLite database {fullPath}", version, oldestWriter, latestVersion);
                case SchemaAccess.Older when !options.AcceptOlderSchema:
                    throw new StoreUnavailableException(
                        $"The SQLite database {fullPath} is at schema version {version}, older than this ScriptMonitor reads ({latestVersion}); it is upgraded when it is next opened for writing ('scriptmon db migrate', by a user who may write it).");
            }

            return connection;
        });
    }

    /// <summary>
    /// A second, read-only connection to a store already open for writing, for one long read beside it: in WAL mode
    /// it reads one instant of the file while the writing connection goes on committing.
    /// </summary>
    internal static SqliteConnection OpenReader(string fullPath, TimeSpan busyTimeout)
    {
        var connection = new SqliteConnection(ConnectionString(fullPath, SqliteOpenMode.ReadOnly));
        return Prepared(connection, fullPath, () =>
        {
            connection.Open();
            Execute(connection, FormattableString.Invariant($"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}"));
            return connection;
        })!;
    }

    /// <summary>
    /// Makes a new connection ready: the connection <paramref name="prepare"/> returns, or none; if it fails, the
    /// connection is closed, and a failure of the file to be used is a <see cref="StoreUnavailableException"/>.
    /// </summary>
    private static SqliteConnection? Prepared(SqliteConnection connection, string fullPath, Func<SqliteConnection?> prepare)
    {
        try
        {
            return prepare();
        }
        catch (SqliteException e) when (SqliteFailures.IsUnavailable(e))
        {
            connection.Dispose();
            throw SqliteFailures.Unavailable(fullPath, e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// SQLite's busy handler waits up to the busy timeout for a lock; Microsoft.Data.Sqlite then retries a busy
    /// statement until its own command timeout has passed, each retry waiting the busy timeout again. Its timeout is
    /// kept at the smallest it takes (one second), so that the two never add up and the busy timeout is the bound.
    /// </summary>
    private static string ConnectionString(string dataSource, SqliteOpenMode mode) => new SqliteConnectionStringBuilder
    {
        DataSource = dataSource,
        Mode = mode,
        Pooling = false,
        DefaultTimeout = DriverRetrySeconds,
    }.ToString();

    /// <summary>
    /// A read-only connection whose identity has been read. A database in WAL mode needs its shared-memory file
    /// (<c>-shm</c>) to be read; when that is missing and cannot be created (a directory this user may not write) but
    /// there is no write-ahead log to read either, every row is in the file itself, and it is opened as immutable:
    /// SQLite then reads it without the shared memory and without locks, and creates nothing.
    /// </summary>
    private static SqliteConnection ConnectForReading(string fullPath, SqliteStoreOptions options, out SqliteStoreIdentity.Kind kind, out string? foreign)
    {
        try
        {
            return Connect(ConnectionString(fullPath, SqliteOpenMode.ReadOnly), options, out kind, out foreign);
        }
        catch (SqliteException e) when (CannotMapSharedMemory(e) && !File.Exists(fullPath + "-shm") && !HasWriteAheadLog(fullPath))
        {
            try
            {
                return Connect(ConnectionString(ImmutableUri(fullPath), SqliteOpenMode.ReadOnly), options, out kind, out foreign);
            }
            catch (SqliteException again) when (SqliteFailures.IsUnavailable(again))
            {
                throw SqliteFailures.Unavailable(fullPath, again);
            }
        }
        catch (SqliteException e) when (CannotMapSharedMemory(e) && !File.Exists(fullPath + "-shm"))
        {
            throw SqliteFile.Unusable(
                fullPath,
                $"it is in WAL mode and its shared-memory file {fullPath}-shm is missing, and the user {Environment.UserName} may not create it in {Path.GetDirectoryName(fullPath)}; any scriptmon command that writes (such as 'scriptmon db migrate'), run by the store's owner, creates it again",
                e);
        }
        catch (SqliteException e) when (SqliteFailures.IsUnavailable(e))
        {
            throw SqliteFailures.Unavailable(fullPath, e);
        }
    }

    private static SqliteConnection Connect(string connectionString, SqliteStoreOptions options, out SqliteStoreIdentity.Kind kind, out string? foreign)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            BusyTimeout(connection, options);
            kind = SqliteStoreIdentity.Read(connection, out _, out foreign);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void BusyTimeout(SqliteConnection connection, SqliteStoreOptions options) =>
        Execute(connection, FormattableString.Invariant($"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}"));

    /// <summary>
    /// How a read-only connection fails when a WAL database's shared memory cannot be set up: SQLITE_CANTOPEN when
    /// the -shm file cannot be created, SQLITE_READONLY (its CANTINIT and DIRECTORY variants) when nothing may be.
    /// </summary>
    private static bool CannotMapSharedMemory(SqliteException e) => (e.SqliteErrorCode & 0xFF) is SqliteCantOpen or SqliteReadOnly;

    private static bool HasWriteAheadLog(string fullPath) =>
        new FileInfo(fullPath + "-wal") is { Exists: true, Length: > 0 };

    /// <summary>A <c>file:</c> URI with <c>immutable=1</c>; '%', '?' and '#' would end or change the path part, so they are escaped.</summary>
    private static string ImmutableUri(string fullPath) =>
        "file:" + fullPath.Replace("%", "%25", StringComparison.Ordinal).Replace("?", "%3F", StringComparison.Ordinal).Replace("#", "%23", StringComparison.Ordinal) + "?immutable=1";

    /// <summary>
    /// By default the last connection to close checkpoints the write-ahead log into the database and deletes it,
    /// which costs a short-lived writer (one <c>scriptmon exec</c>) several extra flushes to disk and the log's
    /// re-creation on the next open. The log is checkpointed anyway once it grows past SQLite's auto-checkpoint
    /// size, and readers see its contents, so leaving it in place loses nothing.
    /// </summary>
    private static void KeepWriteAheadLogOnClose(SqliteConnection connection) =>
        SQLitePCL.raw.sqlite3_db_config(connection.Handle, SQLitePCL.raw.SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, out _);

    /// <summary>
    /// Copies the write-ahead log into the database and empties it when it has grown past <paramref name="limit"/>
    /// (see <see cref="SqliteStoreOptions.WriteAheadLogLimit"/>). A reader still using it makes SQLite leave it as it is
    /// for this time, which is harmless: the next writer tries again.
    /// </summary>
    private static void TruncateLongWriteAheadLog(SqliteConnection connection, string fullPath, long limit)
    {
        var log = new FileInfo(fullPath + "-wal");
        if (log.Exists && log.Length > limit)
        {
            Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

using Microsoft.Data.Sqlite;

namespace ScriptMonitor.Sqlite;

/// <summary>
/// The one connection of a store, shared by its roles (runs, expectations, read model). Every use goes through
/// <see cref="Use{T}"/>: one call at a time, a closed store refused, and every failure of the file to be read or
/// written turned into a <see cref="Runs.StoreUnavailableException"/> that names it, whichever method it came from.
/// </summary>
internal sealed class SqliteSession : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<IDisposable> _prepared = [];
    private readonly Dictionary<string, KeptCommand> _kept = new(StringComparer.Ordinal);

    /// <summary>Far more than the store's fixed statements; a bound on the texts built from a query's filters.</summary>
    private const int MaxKeptCommands = 512;
    private bool _disposed;

    internal SqliteSession(SqliteConnection connection, string path, int latestSchemaVersion, TimeSpan busyTimeout)
    {
        Connection = connection;
        Path = path;
        LatestSchemaVersion = latestSchemaVersion;
        BusyTimeout = busyTimeout;
    }

    /// <summary>The connection; only inside <see cref="Use{T}"/>.</summary>
    internal SqliteConnection Connection { get; }

    /// <summary>The database file.</summary>
    internal string Path { get; }

    /// <summary>The newest schema version this build knows.</summary>
    internal int LatestSchemaVersion { get; }

    /// <summary>How long a statement waits for a lock, for a connection opened beside this one.</summary>
    internal TimeSpan BusyTimeout { get; }

    /// <summary>Runs <paramref name="work"/> holding the connection.</summary>
    internal T Use<T>(Func<SqliteConnection, T> work)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                return work(Connection);
            }
            catch (SqliteException e) when (SqliteFailures.IsUnavailable(e))
            {
                throw SqliteFailures.Unavailable(Path, e);
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> in one transaction, committed when it returns.</summary>
    /// <param name="write">True for a write transaction, which takes the write lock at once; false for a read, which sees one instant.</param>
    /// <param name="work">The work.</param>
    internal T InTransaction<T>(bool write, Func<SqliteTransaction, T> work) => Use(connection =>
    {
        using var transaction = connection.BeginTransaction(deferred: !write);
        var result = work(transaction);
        transaction.Commit();
        return result;
    });

    /// <summary>
    /// Runs <paramref name="work"/>, a read, in one read transaction on a read-only connection of its own, without
    /// holding the store's connection: a scan of a large table then keeps none of the store's writes waiting (WAL lets
    /// a reader run beside the writer), and every statement of it sees the same instant.
    /// </summary>
    internal T ReadAside<T>(Func<SqliteTransaction, T> work)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
        }

        try
        {
            using var connection = SqliteConnections.OpenReader(Path, BusyTimeout);
            using var transaction = connection.BeginTransaction(deferred: true);
            return work(transaction);
        }
        catch (SqliteException e) when (SqliteFailures.IsUnavailable(e))
        {
            throw SqliteFailures.Unavailable(Path, e);
        }
    }

    /// <summary>A command prepared once and kept for the session's life; its parameters are named, in order.</summary>
    internal SqliteCommand Prepare(string sql, params string[] parameterNames)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameterNames)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        _prepared.Add(command);
        return command;
    }

    /// <summary>Keeps something for the session's life, to be released with it (a statement of SQLite's own API).</summary>
    internal T Keep<T>(T resource)
        where T : IDisposable
    {
        _prepared.Add(resource);
        return resource;
    }

    /// <summary>
    /// A command for <paramref name="sql"/>, in <paramref name="transaction"/> when given. The session keeps it compiled
    /// for its life, keyed by its text, its parameters cleared for each use: SQLite otherwise compiled every statement
    /// again on every call, most of the cost of a small evaluation and of each tick of the alert loop. Disposing it after
    /// a use keeps it; past <see cref="MaxKeptCommands"/> texts (a query built from filters), a command is a one-off.
    /// </summary>
    internal SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        if (!_kept.TryGetValue(sql, out var command))
        {
            if (_kept.Count >= MaxKeptCommands)
            {
                var once = Connection.CreateCommand();
                once.CommandText = sql;
                once.Transaction = transaction;
                return once;
            }

            command = new KeptCommand { Connection = Connection, CommandText = sql };
            _kept[sql] = command;
        }

        command.Parameters.Clear();
        command.Transaction = transaction;
        return command;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var resource in _prepared)
            {
                resource.Dispose();
            }

            foreach (var command in _kept.Values)
            {
                command.Release();
            }

            Connection.Dispose();
        }
    }

    /// <summary>A command whose disposal after a use keeps it compiled; the session releases it when it closes.</summary>
    private sealed class KeptCommand : SqliteCommand
    {
        private bool _released;

        internal void Release()
        {
            _released = true;
            Dispose();
        }

        protected override void Dispose(bool disposing)
        {
            if (_released)
            {
                base.Dispose(disposing);
            }
        }
    }
}

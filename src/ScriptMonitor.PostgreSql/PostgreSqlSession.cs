using System.Data;
using Npgsql;

namespace ScriptMonitor.PostgreSql;

/// <summary>
/// The pool of connections a store's roles (runs, expectations, read model) share. Every use goes through
/// <see cref="WithConnectionAsync{T}(string, bool, Func{NpgsqlConnection, bool, ValueTask{T}}, CancellationToken)"/>:
/// a closed store refused, a connection the server dropped replaced once, and every failure of the server to be
/// reached or to do the work turned into a <see cref="Runs.StoreUnavailableException"/> that names it, whichever
/// method it came from.
/// </summary>
internal sealed class PostgreSqlSession : IAsyncDisposable, IDisposable
{
    /// <summary>SQLSTATE codes of a server that ended the session: shut down, crashed, restarted, or the link failed.</summary>
    private static readonly string[] SessionEndedStates = ["57P01", "57P02", "57P03", "08"];

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgreSqlFailures _failures;
    private volatile bool _disposed;

    internal PostgreSqlSession(NpgsqlDataSource dataSource, PostgreSqlFailures failures, string schema, string description, int latestSchemaVersion)
    {
        _dataSource = dataSource;
        _failures = failures;
        Schema = schema;
        Quoted = PostgreSqlSchema.Quote(schema);
        Description = description;
        LatestSchemaVersion = latestSchemaVersion;
    }

    /// <summary>The schema that holds the store's tables, unquoted.</summary>
    internal string Schema { get; }

    /// <summary>The schema quoted for SQL, as every statement names its tables.</summary>
    internal string Quoted { get; }

    /// <summary>The store for people: <c>postgresql://user@host:port/database</c>, never the password.</summary>
    internal string Description { get; }

    /// <summary>The newest schema version this build knows.</summary>
    internal int LatestSchemaVersion { get; }

    /// <summary>Runs <paramref name="work"/> on a pooled connection.</summary>
    internal ValueTask<T> WithConnectionAsync<T>(string action, bool async, Func<NpgsqlConnection, ValueTask<T>> work, CancellationToken cancellationToken) =>
        WithConnectionAsync(action, async, (connection, _) => work(connection), cancellationToken);

    /// <summary>Runs <paramref name="work"/> asynchronously on a pooled connection.</summary>
    internal Task<T> WithConnectionAsync<T>(string action, Func<NpgsqlConnection, ValueTask<T>> work, CancellationToken cancellationToken) =>
        WithConnectionAsync(action, async: true, (connection, _) => work(connection), cancellationToken).AsTask();

    /// <summary>Runs <paramref name="work"/> in one transaction of the given isolation, committed when it returns.</summary>
    internal Task<T> InTransactionAsync<T>(string action, IsolationLevel isolation, Func<NpgsqlConnection, ValueTask<T>> work, CancellationToken cancellationToken) =>
        WithConnectionAsync(action, async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(isolation, cancellationToken).ConfigureAwait(false);
            var result = await work(connection).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> on a pooled connection. When the server ended that connection's session (it
    /// restarted, failed over, or cut idle connections), every idle connection in the pool is as stale: the pool is
    /// cleared and the work tried once more on a fresh connection, told so by its second argument, so that a write
    /// the first attempt may have made is recognised rather than refused. Timeouts are not retried: the bound a
    /// caller chose stays the bound. An infrastructure failure becomes a <see cref="Runs.StoreUnavailableException"/>
    /// that says whether connecting or the work itself failed.
    /// </summary>
    internal async ValueTask<T> WithConnectionAsync<T>(string action, bool async, Func<NpgsqlConnection, bool, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        for (var retried = false; ; retried = true)
        {
            var connection = await OpenConnectionAsync(_dataSource, _failures, async, cancellationToken).ConfigureAwait(false);
            try
            {
                return await work(connection, retried).ConfigureAwait(false);
            }
            catch (Exception e) when (!retried && SessionEnded(e, connection))
            {
                _dataSource.Clear();
            }
            catch (Exception e) when (PostgreSqlFailures.IsUnavailable(e))
            {
                throw _failures.Failed(action, e);
            }
            finally
            {
                if (async)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                }
                else
                {
                    connection.Dispose();
                }
            }
        }
    }

    /// <summary>A connection from the pool; a failure to get one is <see cref="PostgreSqlFailures.CannotConnect"/>.</summary>
    internal static async ValueTask<NpgsqlConnection> OpenConnectionAsync(NpgsqlDataSource dataSource, PostgreSqlFailures failures, bool async, CancellationToken cancellationToken)
    {
        try
        {
            return await dataSource.OpenAsync(async, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (PostgreSqlFailures.IsUnavailable(e))
        {
            throw failures.CannotConnect(e);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _dataSource.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Whether the failure says the server ended the connection's session, as opposed to a timeout (the server may be
    /// there but slow or hung) or an error about the work itself.
    /// </summary>
    private static bool SessionEnded(Exception exception, NpgsqlConnection connection)
    {
        if (exception is PostgresException postgres)
        {
            return SessionEndedStates.Any(state => postgres.SqlState.StartsWith(state, StringComparison.Ordinal));
        }

        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is TimeoutException)
            {
                return false;
            }
        }

        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is IOException or System.Net.Sockets.SocketException)
            {
                return true;
            }
        }

        return exception is NpgsqlException
            && (connection.FullState.HasFlag(ConnectionState.Broken) || connection.State == ConnectionState.Closed);
    }
}

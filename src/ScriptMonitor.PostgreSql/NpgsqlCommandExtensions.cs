using Npgsql;

namespace ScriptMonitor.PostgreSql;

/// <summary>
/// One code path for the synchronous and the asynchronous forms of a call: with <c>async</c> false every step runs
/// synchronously and the returned task is already complete, so the spec's synchronous methods do blocking I/O
/// without waiting on a task, and the asynchronous methods never block a thread.
/// </summary>
internal static class NpgsqlCommandExtensions
{
    internal static async ValueTask<object?> ScalarAsync(this NpgsqlCommand command, bool async, CancellationToken cancellationToken) =>
        async ? await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) : command.ExecuteScalar();

    internal static async ValueTask<int> NonQueryAsync(this NpgsqlCommand command, bool async, CancellationToken cancellationToken) =>
        async ? await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) : command.ExecuteNonQuery();

    internal static async ValueTask<NpgsqlDataReader> ReaderAsync(this NpgsqlCommand command, bool async, CancellationToken cancellationToken) =>
        async ? await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false) : command.ExecuteReader();

    internal static async ValueTask<bool> ReadAsync(this NpgsqlDataReader reader, bool async, CancellationToken cancellationToken) =>
        async ? await reader.ReadAsync(cancellationToken).ConfigureAwait(false) : reader.Read();

    internal static async ValueTask<NpgsqlConnection> OpenAsync(this NpgsqlDataSource dataSource, bool async, CancellationToken cancellationToken) =>
        async ? await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false) : dataSource.OpenConnection();
}

using System.Net.Sockets;
using Npgsql;
using ScriptMonitor.Runs;

namespace ScriptMonitor.PostgreSql;

/// <summary>
/// Tells an infrastructure failure (server down, network gone, disk full, credentials refused, a read-only standby)
/// from a bug, and turns the former into a <see cref="StoreUnavailableException"/> that names the server and what
/// failed, so that callers can spool the run instead of losing it.
/// </summary>
internal sealed class PostgreSqlFailures(string endpoint, string database)
{
    /// <summary>
    /// SQLSTATE classes and codes that say the server cannot take the work now, whatever the work is:
    /// 08 connection, 28 authorisation, 53 resources (disk full, too many connections), 57 operator intervention
    /// (shutdown, starting up, statement timeout), 58 system and I/O errors, 3D000 no such database,
    /// 25006 read-only (a standby after failover), 42501 no privilege, 55P03 lock timeout, 40 serialisation and deadlock.
    /// </summary>
    private static readonly string[] UnavailableStates = ["08", "28", "53", "57", "58", "3D000", "25006", "42501", "55P03", "40"];

    internal static bool IsUnavailable(Exception exception) => exception switch
    {
        OperationCanceledException => false,
        PostgresException postgres => UnavailableStates.Any(state => postgres.SqlState.StartsWith(state, StringComparison.Ordinal)),
        NpgsqlOperationInProgressException => false,
        NpgsqlException or TimeoutException or SocketException or IOException => true,
        _ => false,
    };

    internal StoreUnavailableException CannotConnect(Exception cause) =>
        new($"Cannot connect to PostgreSQL at {endpoint} (database {database}): {Reason(cause)}", cause);

    internal StoreUnavailableException Failed(string action, Exception cause) =>
        new($"PostgreSQL at {endpoint} (database {database}) failed to {action}: {Reason(cause)}", cause);

    /// <summary>The driver's message, with the socket or server detail that explains it.</summary>
    private static string Reason(Exception cause)
    {
        if (cause is PostgresException postgres)
        {
            return $"{postgres.MessageText} (SQLSTATE {postgres.SqlState}).";
        }

        var reason = cause.Message.TrimEnd('.');
        for (var inner = cause.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (!reason.Contains(inner.Message.TrimEnd('.'), StringComparison.Ordinal))
            {
                reason += ": " + inner.Message.TrimEnd('.');
            }
        }

        return reason + ".";
    }
}

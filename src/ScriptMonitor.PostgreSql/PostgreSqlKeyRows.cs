using System.Data;
using Npgsql;
using NpgsqlTypes;
using ScriptMonitor.Access;
using ScriptMonitor.Stores;
using static ScriptMonitor.PostgreSql.PostgreSqlValues;

namespace ScriptMonitor.PostgreSql;

/// <summary>
/// The SQL of API keys and the audit list in PostgreSQL: a key's script patterns as <c>text[]</c>, its secret's hash a
/// 32-byte <c>bytea</c> under a unique index.
/// </summary>
internal sealed class PostgreSqlKeyRows(PostgreSqlSession session) : IKeyRows
{
    private const string KeyColumns = "id, name, scope, script_patterns, created_at, created_by, revoked_at";

    private const string AuditColumns = "at, actor, action, target, detail";

    private readonly string _schema = session.Quoted;

    public Task<bool> InsertAsync(ApiKey key, byte[] secretHash, AuditEntry entry, CancellationToken cancellationToken)
    {
        // One statement: the key, and its audit entry only when the key went in. ON CONFLICT without a target covers
        // every unique rule: the id, the hash, and the name among active keys.
        var sql = $"""
            WITH key AS (
                INSERT INTO {_schema}.api_keys ({KeyColumns}, secret_hash)
                VALUES ($1, $2, $3, $4, $5, $6, NULL, $7)
                ON CONFLICT DO NOTHING
                RETURNING id)
            INSERT INTO {_schema}.audit_log ({AuditColumns}) SELECT $8, $9, $10, $11, $12 FROM key
            """;
        NpgsqlParameter[] Parameters() =>
        [
            Text(key.Id),
            Text(key.Name),
            Scope(key.Scope),
            TextArray(key.ScriptPatterns),
            TimestampTz(key.CreatedAt),
            Text(key.CreatedBy),
            Bytes(secretHash),
            .. AuditParameters(entry),
        ];
        return session.WithConnectionAsync("add a key", async: true, async (connection, retried) =>
        {
            await using var command = Command(connection, sql, Parameters());
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0)
            {
                return true;
            }

            // A second attempt after the server ended the first one's session may find the first one's key.
            return retried && await FindAsync(connection, secretHash, cancellationToken).ConfigureAwait(false) is { } found && found.Id == key.Id;
        }, cancellationToken).AsTask();
    }

    public Task<ApiKey?> FindAsync(byte[] secretHash, CancellationToken cancellationToken) =>
        session.WithConnectionAsync("find a key", connection => FindAsync(connection, secretHash, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken) =>
        session.WithConnectionAsync("list keys", async connection =>
        {
            await using var command = Command(connection, $"SELECT {KeyColumns} FROM {_schema}.api_keys ORDER BY created_at, id");
            return await ReadAllAsync(command, ReadKey, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task<bool> RevokeAsync(string nameOrId, DateTimeOffset at, Func<ApiKey, AuditEntry> entry, CancellationToken cancellationToken) =>
        session.InTransactionAsync("revoke a key", IsolationLevel.ReadCommitted, async connection =>
        {
            ApiKey? key;
            await using (var find = Command(
                connection,
                $"SELECT {KeyColumns} FROM {_schema}.api_keys WHERE revoked_at IS NULL AND (id = $1 OR name = $1) ORDER BY id = $1 DESC LIMIT 1 FOR UPDATE",
                Text(nameOrId)))
            {
                key = (await ReadAllAsync(find, ReadKey, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
            }

            if (key is null)
            {
                return false;
            }

            await using (var revoke = Command(connection, $"UPDATE {_schema}.api_keys SET revoked_at = $1 WHERE id = $2", TimestampTz(at), Text(key.Id)))
            {
                await revoke.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await InsertAuditAsync(connection, entry(key with { RevokedAt = at }), cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public Task InsertAuditAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        session.WithConnectionAsync("record an audit entry", async connection =>
        {
            await InsertAuditAsync(connection, entry, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(DateTimeOffset? before, int limit, CancellationToken cancellationToken) =>
        session.WithConnectionAsync("list the audit log", async connection =>
        {
            await using var command = Command(
                connection,
                $"SELECT {AuditColumns} FROM {_schema}.audit_log WHERE $1::timestamptz IS NULL OR at < $1 ORDER BY at DESC, id DESC LIMIT $2",
                TimestampTz(before),
                Integer(limit));
            return await ReadAllAsync(
                command,
                reader => new AuditEntry(
                    reader.GetFieldValue<DateTimeOffset>(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4)),
                cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    private static NpgsqlParameter Scope(KeyScope scope) => new() { Value = (short)scope, NpgsqlDbType = NpgsqlDbType.Smallint };

    private static NpgsqlParameter Bytes(byte[] value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Bytea };

    private static NpgsqlParameter[] AuditParameters(AuditEntry entry) =>
        [TimestampTz(entry.At), Text(entry.Actor), Text(entry.Action), Text(entry.Target), Text(entry.Detail)];

    private static ApiKey ReadKey(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        (KeyScope)reader.GetInt16(2),
        reader.GetFieldValue<string[]>(3),
        reader.GetFieldValue<DateTimeOffset>(4),
        reader.GetString(5))
    {
        RevokedAt = reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
    };

    private async ValueTask<ApiKey?> FindAsync(NpgsqlConnection connection, byte[] secretHash, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, $"SELECT {KeyColumns} FROM {_schema}.api_keys WHERE secret_hash = $1", Bytes(secretHash));
        return (await ReadAllAsync(command, ReadKey, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    private async ValueTask InsertAuditAsync(NpgsqlConnection connection, AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, $"INSERT INTO {_schema}.audit_log ({AuditColumns}) VALUES ($1, $2, $3, $4, $5)", AuditParameters(entry));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}

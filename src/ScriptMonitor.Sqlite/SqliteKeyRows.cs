using Microsoft.Data.Sqlite;
using ScriptMonitor.Access;
using ScriptMonitor.Runs;
using ScriptMonitor.Stores;

namespace ScriptMonitor.Sqlite;

/// <summary>
/// The SQL of API keys and the audit list in the SQLite file: instants in microseconds like the runs, a key's script
/// patterns joined with a character names may not contain, its secret's hash a 32-byte blob under a unique index.
/// </summary>
internal sealed class SqliteKeyRows(SqliteSession session) : IKeyRows
{
    private const string KeyColumns = "id, name, scope, script_patterns, created_at, created_by, revoked_at";

    private const string AuditColumns = "at, actor, action, target, detail";

    /// <summary>Patterns are joined with a character names may not contain.</summary>
    private const char ListSeparator = '\n';

    public Task<bool> InsertAsync(ApiKey key, byte[] secretHash, AuditEntry entry, CancellationToken cancellationToken) =>
        Task.FromResult(session.InTransaction(write: true, transaction =>
        {
            // OR IGNORE: a unique rule (the id, the hash, the name of an active key) refuses the row without an error.
            using var command = session.Command(
                $"INSERT OR IGNORE INTO api_keys ({KeyColumns}, secret_hash) VALUES ($id, $name, $scope, $patterns, $created, $by, NULL, $hash)",
                transaction);
            command.Parameters.AddWithValue("$id", key.Id);
            command.Parameters.AddWithValue("$name", key.Name);
            command.Parameters.AddWithValue("$scope", (int)key.Scope);
            command.Parameters.AddWithValue("$patterns", string.Join(ListSeparator, key.ScriptPatterns));
            command.Parameters.AddWithValue("$created", Timestamps.ToUnixMicroseconds(key.CreatedAt));
            command.Parameters.AddWithValue("$by", key.CreatedBy);
            command.Parameters.AddWithValue("$hash", secretHash);
            if (command.ExecuteNonQuery() == 0)
            {
                return false;
            }

            InsertAudit(entry, transaction);
            return true;
        }));

    public Task<ApiKey?> FindAsync(byte[] secretHash, CancellationToken cancellationToken) =>
        Task.FromResult(session.Use(_ =>
        {
            using var command = session.Command($"SELECT {KeyColumns} FROM api_keys WHERE secret_hash = $hash");
            command.Parameters.AddWithValue("$hash", secretHash);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadKey(reader) : null;
        }));

    public Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ApiKey>>(session.Use(_ =>
        {
            using var command = session.Command($"SELECT {KeyColumns} FROM api_keys ORDER BY created_at, id");
            var keys = new List<ApiKey>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                keys.Add(ReadKey(reader));
            }

            return keys;
        }));

    public Task<bool> RevokeAsync(string nameOrId, DateTimeOffset at, Func<ApiKey, AuditEntry> entry, CancellationToken cancellationToken) =>
        Task.FromResult(session.InTransaction(write: true, transaction =>
        {
            ApiKey? key;
            using (var find = session.Command(
                $"SELECT {KeyColumns} FROM api_keys WHERE revoked_at IS NULL AND (id = $key OR name = $key) ORDER BY id = $key DESC LIMIT 1",
                transaction))
            {
                find.Parameters.AddWithValue("$key", nameOrId);
                using var reader = find.ExecuteReader();
                key = reader.Read() ? ReadKey(reader) : null;
            }

            if (key is null)
            {
                return false;
            }

            using var revoke = session.Command("UPDATE api_keys SET revoked_at = $at WHERE id = $id", transaction);
            revoke.Parameters.AddWithValue("$at", Timestamps.ToUnixMicroseconds(at));
            revoke.Parameters.AddWithValue("$id", key.Id);
            revoke.ExecuteNonQuery();
            InsertAudit(entry(key with { RevokedAt = at }), transaction);
            return true;
        }));

    public Task InsertAuditAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        Task.FromResult(session.Use(_ =>
        {
            InsertAudit(entry, transaction: null);
            return true;
        }));

    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(DateTimeOffset? before, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AuditEntry>>(session.Use(_ =>
        {
            using var command = session.Command(
                $"SELECT {AuditColumns} FROM audit_log"
                + (before is null ? string.Empty : " WHERE at < $before")
                + " ORDER BY at DESC, id DESC LIMIT $limit");
            if (before is { } b)
            {
                command.Parameters.AddWithValue("$before", Timestamps.ToUnixMicroseconds(b));
            }

            command.Parameters.AddWithValue("$limit", limit);
            var entries = new List<AuditEntry>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                entries.Add(new AuditEntry(
                    Timestamps.FromUnixMicroseconds(reader.GetInt64(0)),
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4)));
            }

            return entries;
        }));

    private static ApiKey ReadKey(SqliteDataReader reader)
    {
        var patterns = reader.GetString(3);
        return new ApiKey(
            reader.GetString(0),
            reader.GetString(1),
            (KeyScope)reader.GetInt32(2),
            patterns.Length == 0 ? [] : patterns.Split(ListSeparator),
            Timestamps.FromUnixMicroseconds(reader.GetInt64(4)),
            reader.GetString(5))
        {
            RevokedAt = reader.IsDBNull(6) ? null : Timestamps.FromUnixMicroseconds(reader.GetInt64(6)),
        };
    }

    private void InsertAudit(AuditEntry entry, SqliteTransaction? transaction)
    {
        using var command = session.Command($"INSERT INTO audit_log ({AuditColumns}) VALUES ($at, $actor, $action, $target, $detail)", transaction);
        command.Parameters.AddWithValue("$at", Timestamps.ToUnixMicroseconds(entry.At));
        command.Parameters.AddWithValue("$actor", entry.Actor);
        command.Parameters.AddWithValue("$action", entry.Action);
        command.Parameters.AddWithValue("$target", entry.Target);
        command.Parameters.AddWithValue("$detail", entry.Detail is null ? DBNull.Value : entry.Detail);
        command.ExecuteNonQuery();
    }
}

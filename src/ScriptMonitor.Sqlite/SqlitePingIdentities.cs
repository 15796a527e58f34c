using Microsoft.Data.Sqlite;
using ScriptMonitor.Access;
using ScriptMonitor.Runs;
using ScriptMonitor.Stores;

namespace ScriptMonitor.Sqlite;

/// <summary>The SQL of ping identities and the installation's ping key in the SQLite file; UUIDs as lower-case text.</summary>
internal sealed class SqlitePingIdentities(SqliteSession session) : IPingIdentityRows
{
    private const string PingKeySetting = "ping_key";

    public Task<PingIdentity> EnsureAsync(string scriptName, PingIdentity candidate, DateTimeOffset at, CancellationToken cancellationToken) =>
        Task.FromResult(session.InTransaction(write: true, transaction =>
        {
            // OR IGNORE: a script that has its identity keeps it; the read below returns whichever row is there.
            using (var insert = session.Command(
                "INSERT OR IGNORE INTO ping_identities (script_name, ping_id, slug, created_at) VALUES ($name, $id, $slug, $at)",
                transaction))
            {
                insert.Parameters.AddWithValue("$name", scriptName);
                insert.Parameters.AddWithValue("$id", candidate.PingId.ToString("D"));
                insert.Parameters.AddWithValue("$slug", candidate.Slug);
                insert.Parameters.AddWithValue("$at", Timestamps.ToUnixMicroseconds(at));
                insert.ExecuteNonQuery();
            }

            using var command = session.Command("SELECT script_name, ping_id, slug FROM ping_identities WHERE script_name = $name", transaction);
            command.Parameters.AddWithValue("$name", scriptName);
            return Read(command).Single();
        }));

    public Task<bool> SetAsync(PingIdentity identity, DateTimeOffset at, CancellationToken cancellationToken) =>
        Task.FromResult(session.InTransaction(write: true, transaction =>
        {
            using (var holder = session.Command("SELECT script_name FROM ping_identities WHERE ping_id = $id", transaction))
            {
                holder.Parameters.AddWithValue("$id", identity.PingId.ToString("D"));
                if (holder.ExecuteScalar() is string name && name != identity.ScriptName)
                {
                    return false;
                }
            }

            using var upsert = session.Command(
                """
                INSERT INTO ping_identities (script_name, ping_id, slug, created_at) VALUES ($name, $id, $slug, $at)
                ON CONFLICT (script_name) DO UPDATE SET ping_id = excluded.ping_id, slug = excluded.slug
                """,
                transaction);
            upsert.Parameters.AddWithValue("$name", identity.ScriptName);
            upsert.Parameters.AddWithValue("$id", identity.PingId.ToString("D"));
            upsert.Parameters.AddWithValue("$slug", identity.Slug);
            upsert.Parameters.AddWithValue("$at", Timestamps.ToUnixMicroseconds(at));
            upsert.ExecuteNonQuery();
            return true;
        }));

    public Task<bool> RemoveAsync(string scriptName, CancellationToken cancellationToken) =>
        Task.FromResult(session.InTransaction(write: true, transaction =>
        {
            using var command = session.Command("DELETE FROM ping_identities WHERE script_name = $name", transaction);
            command.Parameters.AddWithValue("$name", scriptName);
            return command.ExecuteNonQuery() > 0;
        }));

    public Task<PingIdentity?> FindAsync(Guid pingId, CancellationToken cancellationToken) =>
        Task.FromResult(session.Use(_ =>
        {
            using var command = session.Command("SELECT script_name, ping_id, slug FROM ping_identities WHERE ping_id = $id");
            command.Parameters.AddWithValue("$id", pingId.ToString("D"));
            return Read(command).SingleOrDefault();
        }));

    public Task<IReadOnlyList<PingIdentity>> FindBySlugAsync(string slug, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PingIdentity>>(session.Use(_ =>
        {
            using var command = session.Command("SELECT script_name, ping_id, slug FROM ping_identities WHERE slug = $slug ORDER BY script_name");
            command.Parameters.AddWithValue("$slug", slug);
            return Read(command);
        }));

    public Task<IReadOnlyList<PingIdentity>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PingIdentity>>(session.Use(_ =>
        {
            using var command = session.Command("SELECT script_name, ping_id, slug FROM ping_identities ORDER BY script_name");
            return Read(command);
        }));

    public Task<string> EnsurePingKeyAsync(string candidate, CancellationToken cancellationToken) =>
        Task.FromResult(session.InTransaction(write: true, transaction =>
        {
            using (var insert = session.Command("INSERT OR IGNORE INTO installation_settings (name, value) VALUES ($name, $value)", transaction))
            {
                insert.Parameters.AddWithValue("$name", PingKeySetting);
                insert.Parameters.AddWithValue("$value", candidate);
                insert.ExecuteNonQuery();
            }

            using var command = session.Command("SELECT value FROM installation_settings WHERE name = $name", transaction);
            command.Parameters.AddWithValue("$name", PingKeySetting);
            return (string)command.ExecuteScalar()!;
        }));

    public Task SetPingKeyAsync(string pingKey, CancellationToken cancellationToken) =>
        Task.FromResult(session.InTransaction(write: true, transaction =>
        {
            using var command = session.Command(
                "INSERT INTO installation_settings (name, value) VALUES ($name, $value) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                transaction);
            command.Parameters.AddWithValue("$name", PingKeySetting);
            command.Parameters.AddWithValue("$value", pingKey);
            return command.ExecuteNonQuery();
        }));

    private static List<PingIdentity> Read(SqliteCommand command)
    {
        var identities = new List<PingIdentity>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            identities.Add(new PingIdentity(reader.GetString(0), Guid.Parse(reader.GetString(1)), reader.GetString(2)));
        }

        return identities;
    }
}

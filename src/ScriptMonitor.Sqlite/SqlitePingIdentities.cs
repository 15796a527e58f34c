using Microsoft.Data.Sqlite;
using ScriptMonitor.Access;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Sqlite;

/// <summary>The SQL of ping identities and the installation's ping key in the SQLite file; UUIDs as lower-case text.</summary>
internal sealed class SqlitePingIdentities(SqliteSession session, TimeProvider timeProvider)
{
    private const string PingKeySetting = "ping_key";

    public Task<PingIdentity> EnsureAsync(string scriptName, CancellationToken cancellationToken) =>
        Task.FromResult(session.InTransaction(write: true, transaction =>
        {
            // OR IGNORE: a script that has its identity keeps it; the read below returns whichever row is there.
            using (var insert = session.Command(
                "INSERT OR IGNORE INTO ping_identities (script_name, ping_id, slug, created_at) VALUES ($name, $id, $slug, $at)",
                transaction))
            {
                insert.Parameters.AddWithValue("$name", scriptName);
                insert.Parameters.AddWithValue("$id", Guid.NewGuid().ToString("D"));
                insert.Parameters.AddWithValue("$slug", PingIdentity.SlugOf(scriptName));
                insert.Parameters.AddWithValue("$at", Timestamps.ToUnixMicroseconds(timeProvider.GetUtcNow()));
                insert.ExecuteNonQuery();
            }

            using var command = session.Command("SELECT script_name, ping_id, slug FROM ping_identities WHERE script_name = $name", transaction);
            command.Parameters.AddWithValue("$name", scriptName);
            return Read(command).Single();
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

    public Task<string> EnsurePingKeyAsync(CancellationToken cancellationToken) =>
        Task.FromResult(session.InTransaction(write: true, transaction =>
        {
            using (var insert = session.Command("INSERT OR IGNORE INTO installation_settings (name, value) VALUES ($name, $value)", transaction))
            {
                insert.Parameters.AddWithValue("$name", PingKeySetting);
                insert.Parameters.AddWithValue("$value", PingIdentity.NewPingKey());
                insert.ExecuteNonQuery();
            }

            using var command = session.Command("SELECT value FROM installation_settings WHERE name = $name", transaction);
            command.Parameters.AddWithValue("$name", PingKeySetting);
            return (string)command.ExecuteScalar()!;
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

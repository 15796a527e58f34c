using System.Data;
using Npgsql;
using ScriptMonitor.Access;
using ScriptMonitor.Stores;
using static ScriptMonitor.PostgreSql.PostgreSqlValues;

namespace ScriptMonitor.PostgreSql;

/// <summary>The SQL of ping identities and the installation's ping key in PostgreSQL.</summary>
internal sealed class PostgreSqlPingIdentities(PostgreSqlSession session) : IPingIdentityRows
{
    private const string PingKeySetting = "ping_key";

    private readonly string _schema = session.Quoted;

    public Task<PingIdentity> EnsureAsync(string scriptName, PingIdentity candidate, DateTimeOffset at, CancellationToken cancellationToken) =>
        session.InTransactionAsync("make a ping identity", IsolationLevel.ReadCommitted, async connection =>
        {
            // ON CONFLICT DO NOTHING: a script that has its identity keeps it, also when two servers make one at once.
            await using (var insert = Command(
                connection,
                $"INSERT INTO {_schema}.ping_identities (script_name, ping_id, slug, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                Text(scriptName), Uuid(candidate.PingId), Text(candidate.Slug), TimestampTz(at)))
            {
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var command = Command(connection, $"SELECT script_name, ping_id, slug FROM {_schema}.ping_identities WHERE script_name = $1", Text(scriptName));
            return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).Single();
        }, cancellationToken);

    public Task<bool> SetAsync(PingIdentity identity, DateTimeOffset at, CancellationToken cancellationToken) =>
        session.InTransactionAsync("set a ping identity", IsolationLevel.ReadCommitted, async connection =>
        {
            await using (var holder = Command(connection, $"SELECT script_name FROM {_schema}.ping_identities WHERE ping_id = $1", Uuid(identity.PingId)))
            {
                if (await holder.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string name && name != identity.ScriptName)
                {
                    return false;
                }
            }

            // The UUID's unique index still refuses a UUID another server gave a script meanwhile: that is an error, not a silent win.
            await using var upsert = Command(
                connection,
                $"""
                INSERT INTO {_schema}.ping_identities (script_name, ping_id, slug, created_at) VALUES ($1, $2, $3, $4)
                ON CONFLICT (script_name) DO UPDATE SET ping_id = excluded.ping_id, slug = excluded.slug
                """,
                Text(identity.ScriptName), Uuid(identity.PingId), Text(identity.Slug), TimestampTz(at));
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public Task<bool> RemoveAsync(string scriptName, CancellationToken cancellationToken) =>
        session.InTransactionAsync("remove a ping identity", IsolationLevel.ReadCommitted, async connection =>
        {
            await using var command = Command(connection, $"DELETE FROM {_schema}.ping_identities WHERE script_name = $1", Text(scriptName));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken);

    public Task<PingIdentity?> FindAsync(Guid pingId, CancellationToken cancellationToken) =>
        session.WithConnectionAsync("find a ping identity", async connection =>
        {
            await using var command = Command(connection, $"SELECT script_name, ping_id, slug FROM {_schema}.ping_identities WHERE ping_id = $1", Uuid(pingId));
            return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
        }, cancellationToken);

    public Task<IReadOnlyList<PingIdentity>> FindBySlugAsync(string slug, CancellationToken cancellationToken) =>
        session.WithConnectionAsync<IReadOnlyList<PingIdentity>>("find ping identities by slug", async connection =>
        {
            await using var command = Command(connection, $"SELECT script_name, ping_id, slug FROM {_schema}.ping_identities WHERE slug = $1 ORDER BY script_name", Text(slug));
            return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task<IReadOnlyList<PingIdentity>> ListAsync(CancellationToken cancellationToken) =>
        session.WithConnectionAsync<IReadOnlyList<PingIdentity>>("list ping identities", async connection =>
        {
            await using var command = Command(connection, $"SELECT script_name, ping_id, slug FROM {_schema}.ping_identities ORDER BY script_name");
            return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task<string> EnsurePingKeyAsync(string candidate, CancellationToken cancellationToken) =>
        session.InTransactionAsync("make the ping key", IsolationLevel.ReadCommitted, async connection =>
        {
            await using (var insert = Command(
                connection,
                $"INSERT INTO {_schema}.installation_settings (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                Text(PingKeySetting), Text(candidate)))
            {
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var command = Command(connection, $"SELECT value FROM {_schema}.installation_settings WHERE name = $1", Text(PingKeySetting));
            return (string)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }, cancellationToken);

    public Task SetPingKeyAsync(string pingKey, CancellationToken cancellationToken) =>
        session.InTransactionAsync("set the ping key", IsolationLevel.ReadCommitted, async connection =>
        {
            await using var command = Command(
                connection,
                $"INSERT INTO {_schema}.installation_settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                Text(PingKeySetting), Text(pingKey));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    private static async Task<List<PingIdentity>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var identities = new List<PingIdentity>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            identities.Add(new PingIdentity(reader.GetString(0), reader.GetGuid(1), reader.GetString(2)));
        }

        return identities;
    }
}

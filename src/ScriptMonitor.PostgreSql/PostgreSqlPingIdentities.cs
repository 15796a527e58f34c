using System.Data;
using Npgsql;
using ScriptMonitor.Access;
using static ScriptMonitor.PostgreSql.PostgreSqlValues;

namespace ScriptMonitor.PostgreSql;

/// <summary>The SQL of ping identities and the installation's ping key in PostgreSQL.</summary>
internal sealed class PostgreSqlPingIdentities(PostgreSqlSession session, TimeProvider timeProvider)
{
    private const string PingKeySetting = "ping_key";

    private readonly string _schema = session.Quoted;

    public Task<PingIdentity> EnsureAsync(string scriptName, CancellationToken cancellationToken) =>
        session.InTransactionAsync("make a ping identity", IsolationLevel.ReadCommitted, async connection =>
        {
            // ON CONFLICT DO NOTHING: a script that has its identity keeps it, also when two servers make one at once.
            await using (var insert = Command(
                connection,
                $"INSERT INTO {_schema}.ping_identities (script_name, ping_id, slug, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                Text(scriptName), Uuid(Guid.NewGuid()), Text(PingIdentity.SlugOf(scriptName)), TimestampTz(timeProvider.GetUtcNow())))
            {
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var command = Command(connection, $"SELECT script_name, ping_id, slug FROM {_schema}.ping_identities WHERE script_name = $1", Text(scriptName));
            return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).Single();
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

    public Task<string> EnsurePingKeyAsync(CancellationToken cancellationToken) =>
        session.InTransactionAsync("make the ping key", IsolationLevel.ReadCommitted, async connection =>
        {
            await using (var insert = Command(
                connection,
                $"INSERT INTO {_schema}.installation_settings (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                Text(PingKeySetting), Text(PingIdentity.NewPingKey())))
            {
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var command = Command(connection, $"SELECT value FROM {_schema}.installation_settings WHERE name = $1", Text(PingKeySetting));
            return (string)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
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

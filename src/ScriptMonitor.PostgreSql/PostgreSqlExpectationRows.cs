using Npgsql;
using NpgsqlTypes;
using ScriptMonitor.Health;
using ScriptMonitor.Stores;
using static ScriptMonitor.PostgreSql.PostgreSqlValues;

namespace ScriptMonitor.PostgreSql;

/// <summary>The SQL of expectations in PostgreSQL: durations as <c>interval</c>, host and tag lists as sorted <c>text[]</c>.</summary>
internal sealed class PostgreSqlExpectationRows(PostgreSqlSession session) : IExpectationRows
{
    private const string Columns =
        "script_name, period, cron, time_zone, grace, min_runtime, max_runtime, host_mode, hosts, min_hosts, failures_tolerated, paused, paused_until, tags, abandon_after, skips_before_alert";

    private readonly string _schema = session.Quoted;

    public Task<bool> SetAsync(ScriptExpectation expectation, DateTimeOffset updatedAt, CancellationToken cancellationToken)
    {
        // One statement: a new script is inserted, a changed one updated; equal values match no row and change nothing,
        // not even updated_at.
        var sql = $"""
            WITH written AS (
            INSERT INTO {_schema}.expectations AS stored ({Columns}, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
            ON CONFLICT (script_name) DO UPDATE
                SET period = EXCLUDED.period, cron = EXCLUDED.cron, time_zone = EXCLUDED.time_zone, grace = EXCLUDED.grace,
                    min_runtime = EXCLUDED.min_runtime, max_runtime = EXCLUDED.max_runtime, host_mode = EXCLUDED.host_mode,
                    hosts = EXCLUDED.hosts, min_hosts = EXCLUDED.min_hosts, failures_tolerated = EXCLUDED.failures_tolerated,
                    paused = EXCLUDED.paused, paused_until = EXCLUDED.paused_until, tags = EXCLUDED.tags,
                    abandon_after = EXCLUDED.abandon_after, skips_before_alert = EXCLUDED.skips_before_alert,
                    updated_at = EXCLUDED.updated_at
                WHERE (stored.period, stored.cron, stored.time_zone, stored.grace, stored.min_runtime, stored.max_runtime,
                       stored.host_mode, stored.hosts, stored.min_hosts, stored.failures_tolerated, stored.paused,
                       stored.paused_until, stored.tags, stored.abandon_after, stored.skips_before_alert)
                      IS DISTINCT FROM
                      (EXCLUDED.period, EXCLUDED.cron, EXCLUDED.time_zone, EXCLUDED.grace, EXCLUDED.min_runtime, EXCLUDED.max_runtime,
                       EXCLUDED.host_mode, EXCLUDED.hosts, EXCLUDED.min_hosts, EXCLUDED.failures_tolerated, EXCLUDED.paused,
                       EXCLUDED.paused_until, EXCLUDED.tags, EXCLUDED.abandon_after, EXCLUDED.skips_before_alert)
            RETURNING stored.script_name),
            {PostgreSqlChangeFeed.Cte(_schema, "written")}
            SELECT count(*) FROM written
            """;
        var (period, cron, zone) = expectation.Schedule switch
        {
            PeriodSchedule p => (p.Period, null, null),
            CronSchedule c => ((TimeSpan?)null, c.Expression, c.TimeZone),
            _ => ((TimeSpan?)null, (string?)null, (string?)null),
        };
        NpgsqlParameter[] parameters =
        [
            Text(expectation.ScriptName),
            Interval(period),
            Text(cron),
            Text(zone),
            Interval(expectation.Grace),
            Interval(expectation.MinRuntime),
            Interval(expectation.MaxRuntime),
            new() { Value = (short)expectation.Hosts.Mode, NpgsqlDbType = NpgsqlDbType.Smallint },
            TextArray(expectation.Hosts.Hosts),
            Integer(expectation.Hosts.MinimumCount),
            Integer(expectation.FailuresTolerated),
            new() { Value = expectation.Paused, NpgsqlDbType = NpgsqlDbType.Boolean },
            TimestampTz(expectation.PausedUntil),
            TextArray(expectation.Tags),
            Interval(expectation.AbandonAfter),
            Integer(expectation.SkipsBeforeAlert),
            TimestampTz(updatedAt),
        ];
        return session.WithConnectionAsync("set an expectation", async connection =>
        {
            await using var command = Command(connection, sql, parameters);
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! > 0;
        }, cancellationToken);
    }

    public Task<ScriptExpectation?> GetAsync(string scriptName, CancellationToken cancellationToken) =>
        session.WithConnectionAsync("read an expectation", async connection =>
        {
            await using var command = Command(connection, $"SELECT {Columns} FROM {_schema}.expectations WHERE script_name = $1", Text(scriptName));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
        }, cancellationToken);

    public Task<IReadOnlyList<ScriptExpectation>> ListAsync(CancellationToken cancellationToken) =>
        session.WithConnectionAsync("list expectations", async connection =>
        {
            await using var command = Command(connection, $"SELECT {Columns} FROM {_schema}.expectations");
            var expectations = (await ReadAllAsync(command, Read, cancellationToken).ConfigureAwait(false)).ToList();
            expectations.Sort((a, b) => string.CompareOrdinal(a.ScriptName, b.ScriptName));
            return (IReadOnlyList<ScriptExpectation>)expectations;
        }, cancellationToken);

    public Task<bool> RemoveAsync(string scriptName, CancellationToken cancellationToken) =>
        session.WithConnectionAsync("remove an expectation", async connection =>
        {
            await using var command = Command(
                connection,
                $"WITH gone AS (DELETE FROM {_schema}.expectations WHERE script_name = $1 RETURNING script_name), {PostgreSqlChangeFeed.Cte(_schema, "gone")} SELECT count(*) FROM gone",
                Text(scriptName));
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! > 0;
        }, cancellationToken);

    /// <summary>Reads expectations into <paramref name="into"/>, a row that cannot be read as the problem of its script.</summary>
    internal async ValueTask ReadIntoAsync(NpgsqlConnection connection, StoredExpectations into, IReadOnlyCollection<string>? scriptNames, CancellationToken cancellationToken)
    {
        await using var command = scriptNames is null
            ? Command(connection, $"SELECT {Columns} FROM {_schema}.expectations")
            : Command(connection, $"SELECT {Columns} FROM {_schema}.expectations WHERE script_name = ANY($1)", TextArray(scriptNames));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            into.Add(reader.GetString(0), () => Read(reader));
        }
    }

    private static ScriptExpectation Read(NpgsqlDataReader reader)
    {
        Schedule? schedule = !reader.IsDBNull(1)
            ? Schedule.Every(reader.GetFieldValue<TimeSpan>(1))
            : !reader.IsDBNull(2) ? CronSchedule.Restore(reader.GetString(2), reader.GetString(3)) : null;
        var hostList = reader.GetFieldValue<string[]>(8);
        var hosts = (HostMode)reader.GetInt16(7) switch
        {
            HostMode.Each => HostRequirement.Each(hostList),
            HostMode.AtLeast => HostRequirement.AtLeast(reader.GetInt32(9), hostList),
            _ => HostRequirement.Any,
        };
        return new ScriptExpectation(reader.GetString(0))
        {
            Schedule = schedule,
            Grace = reader.GetFieldValue<TimeSpan>(4),
            MinRuntime = reader.IsDBNull(5) ? null : reader.GetFieldValue<TimeSpan>(5),
            MaxRuntime = reader.IsDBNull(6) ? null : reader.GetFieldValue<TimeSpan>(6),
            Hosts = hosts,
            FailuresTolerated = reader.GetInt32(10),
            Paused = reader.GetBoolean(11),
            PausedUntil = reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12),
            Tags = reader.GetFieldValue<string[]>(13),
            AbandonAfter = reader.IsDBNull(14) ? null : reader.GetFieldValue<TimeSpan>(14),
            SkipsBeforeAlert = reader.GetInt32(15),
        };
    }
}

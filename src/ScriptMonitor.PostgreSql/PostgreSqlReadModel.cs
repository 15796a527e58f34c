using System.Data;
using Npgsql;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;
using ScriptMonitor.Stores;
using static ScriptMonitor.PostgreSql.PostgreSqlValues;

namespace ScriptMonitor.PostgreSql;

/// <summary>The reads of every script at once in PostgreSQL, each one statement or one repeatable-read transaction.</summary>
internal sealed class PostgreSqlReadModel : IStoreReadModel
{
    private readonly PostgreSqlSession _session;
    private readonly PostgreSqlExpectationRows _expectations;
    private readonly string _listScriptsSql;
    private readonly string _overviewSql;

    internal PostgreSqlReadModel(PostgreSqlSession session, PostgreSqlExpectationRows expectations)
    {
        _session = session;
        _expectations = expectations;
        var schema = session.Quoted;

        // Per script, one backward seek of runs_by_script_outcome_start for its last success and one for its last failure.
        var lastRuns = $"""
            FROM {schema}.scripts s
            LEFT JOIN LATERAL (
                SELECT {RunColumns} FROM {schema}.runs r WHERE r.script_name = s.name AND r.outcome = {(int)RunOutcome.Succeeded}
                ORDER BY r.started_at DESC, r.id DESC LIMIT 1) success ON true
            LEFT JOIN LATERAL (
                SELECT {RunColumns} FROM {schema}.runs r WHERE r.script_name = s.name AND r.outcome = {(int)RunOutcome.Failed}
                ORDER BY r.started_at DESC, r.id DESC LIMIT 1) failure ON true
            """;
        _listScriptsSql = $"SELECT s.name, success.*, failure.* {lastRuns}";

        // One statement: beside the last runs, a range of runs_history per script counted for the recent window, and one
        // for the runtime window whose two middle runtimes give the median (percentile_disc picks the lower middle one
        // in ascending order and the upper middle one in descending order, so that the median is computed exactly as
        // RuntimeStatistics computes it).
        _overviewSql = $"""
            SELECT s.name, success.*, failure.*, recent.count, runtime.lower, runtime.upper
            {lastRuns}
            CROSS JOIN LATERAL (
                SELECT count(*) FROM {schema}.runs r WHERE r.script_name = s.name AND r.started_at >= $1 AND r.started_at < $3) recent
            CROSS JOIN LATERAL (
                SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY r.completed_at - r.started_at) AS lower,
                       percentile_disc(0.5) WITHIN GROUP (ORDER BY r.completed_at - r.started_at DESC) AS upper
                FROM {schema}.runs r
                WHERE r.script_name = s.name AND r.outcome = {(int)RunOutcome.Succeeded} AND NOT r.duration_unknown AND r.started_at >= $2 AND r.started_at < $3) runtime
            """;
    }

    public Task<IReadOnlyList<ScriptSummary>> ListScriptsAsync(CancellationToken cancellationToken) =>
        _session.WithConnectionAsync("list scripts", async connection =>
        {
            await using var command = Command(connection, _listScriptsSql);
            var scripts = (await ReadAllAsync(command, Summary, cancellationToken).ConfigureAwait(false)).ToList();
            scripts.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            return (IReadOnlyList<ScriptSummary>)scripts;
        }, cancellationToken);

    public Task<IReadOnlyList<ScriptOverview>> ReadOverviewAsync(OverviewQuery query, CancellationToken cancellationToken) =>
        _session.WithConnectionAsync("read the overview", async connection =>
        {
            await using var command = Command(connection, _overviewSql, TimestampTz(query.RecentSince), TimestampTz(query.RuntimeSince), TimestampTz(query.Until));
            var overview = (await ReadAllAsync(command, Overview, cancellationToken).ConfigureAwait(false)).ToList();
            overview.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            return (IReadOnlyList<ScriptOverview>)overview;
        }, cancellationToken);

    /// <summary>One repeatable-read transaction, so that the expectations and every script's runs are of one instant.</summary>
    public Task<IReadOnlyList<ScriptSnapshot>> ReadSnapshotsAsync(IReadOnlyCollection<string>? scriptNames, CancellationToken cancellationToken) =>
        _session.InTransactionAsync(
            "read script histories",
            IsolationLevel.RepeatableRead,
            connection => SnapshotRead.ReadAsync(new PostgreSqlSnapshotRows(_session, _expectations, connection), scriptNames, cancellationToken),
            cancellationToken);

    public Task<StoreInfo> ReadInfoAsync(CancellationToken cancellationToken)
    {
        var schema = _session.Quoted;
        var sql = $"""
            SELECT v.version, (to_jsonb(v) ->> 'oldest_writer_version')::integer,
                   (SELECT count(*) FROM {schema}.runs),
                   (SELECT count(*) FROM {schema}.scripts),
                   (SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint
                    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = $1 AND c.relkind = 'r')
            FROM (SELECT * FROM {schema}.schema_version ORDER BY version DESC LIMIT 1) v
            """;
        return _session.WithConnectionAsync("read store information", async connection =>
        {
            await using var command = Command(connection, sql, Text(_session.Schema));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return new StoreInfo(_session.Description, reader.GetInt32(0), _session.LatestSchemaVersion, reader.GetInt64(4), reader.GetInt64(2), reader.GetInt64(3))
            {
                OldestWriterVersion = reader.IsDBNull(1) ? null : reader.GetInt32(1),
            };
        }, cancellationToken);
    }

    private static ScriptSummary Summary(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.IsDBNull(1) ? null : Run(reader, 1),
        reader.IsDBNull(1 + RunColumnCount) ? null : Run(reader, 1 + RunColumnCount));

    private static ScriptOverview Overview(NpgsqlDataReader reader)
    {
        const int Recent = 1 + (2 * RunColumnCount);
        var summary = Summary(reader);
        TimeSpan? median = reader.IsDBNull(Recent + 1)
            ? null
            : RuntimeStatistics.MedianOf(reader.GetFieldValue<TimeSpan>(Recent + 1), reader.GetFieldValue<TimeSpan>(Recent + 2));
        return new ScriptOverview(summary.Name, summary.LastSuccess, summary.LastFailure, (int)Math.Min(reader.GetInt64(Recent), int.MaxValue), median);
    }
}

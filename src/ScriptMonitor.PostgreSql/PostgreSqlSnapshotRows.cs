using Npgsql;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;
using ScriptMonitor.Stores;
using static ScriptMonitor.PostgreSql.PostgreSqlValues;

namespace ScriptMonitor.PostgreSql;

/// <summary>
/// The reads of one snapshot in PostgreSQL, inside the repeatable-read transaction the read model holds: each is one
/// statement however many scripts it covers, so the whole read is a few round trips.
/// </summary>
internal sealed class PostgreSqlSnapshotRows(PostgreSqlSession session, PostgreSqlExpectationRows expectations, NpgsqlConnection connection) : ISnapshotRows
{
    private readonly string _schema = session.Quoted;

    public async ValueTask<StoredExpectations> ExpectationsAsync(IReadOnlyCollection<string>? scriptNames, CancellationToken cancellationToken)
    {
        var stored = new StoredExpectations();
        await expectations.ReadIntoAsync(connection, stored, scriptNames, cancellationToken).ConfigureAwait(false);
        return stored;
    }

    public async ValueTask<IReadOnlyCollection<string>> ScriptNamesAsync(IReadOnlyCollection<string>? scriptNames, CancellationToken cancellationToken)
    {
        await using var command = scriptNames is null
            ? Command(connection, $"SELECT name FROM {_schema}.scripts")
            : Command(connection, $"SELECT name FROM {_schema}.scripts WHERE name = ANY($1)", TextArray(scriptNames));
        return [.. await ReadAllAsync(command, r => r.GetString(0), cancellationToken).ConfigureAwait(false)];
    }

    /// <summary>A backwards walk of runs_history per script, in one statement, each as deep as its limit.</summary>
    public async ValueTask<IReadOnlyList<List<HistoryRun>>> NewestRunsAsync(IReadOnlyList<(string ScriptName, int Limit)> scripts, CancellationToken cancellationToken)
    {
        var runs = new List<HistoryRun>[scripts.Count];
        for (var i = 0; i < scripts.Count; i++)
        {
            runs[i] = [];
        }

        if (scripts.Count == 0)
        {
            return runs;
        }

        var sql = $"""
            SELECT n.ordinal, r.hostname, r.started_at, r.completed_at, r.outcome, r.exit_code, r.duration_unknown
            FROM unnest($1::text[], $2::integer[]) WITH ORDINALITY AS n(name, depth, ordinal)
            CROSS JOIN LATERAL (
                SELECT id, {HistoryColumns} FROM {_schema}.runs
                WHERE script_name = n.name
                ORDER BY started_at DESC, id DESC
                LIMIT n.depth) r
            ORDER BY n.ordinal, r.started_at DESC, r.id DESC
            """;
        await using var command = Command(connection, sql, TextArray(scripts.Select(s => s.ScriptName)), IntegerArray(scripts.Select(s => s.Limit)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            runs[(int)reader.GetInt64(0) - 1].Add(HistoryRun(reader, 1));
        }

        return runs;
    }

    /// <summary>Every last success asked about, in one statement of one index seek per request.</summary>
    public async ValueTask<IReadOnlyList<HistoryRun?>> LastSuccessesAsync(IReadOnlyList<(string ScriptName, string? Hostname)> requests, CancellationToken cancellationToken)
    {
        var found = new HistoryRun?[requests.Count];
        var sql = $"""
            SELECT n.ordinal, r.hostname, r.started_at, r.completed_at, r.outcome, r.exit_code, r.duration_unknown
            FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS n(name, host, ordinal)
            CROSS JOIN LATERAL (
                (SELECT id, {HistoryColumns} FROM {_schema}.runs
                 WHERE n.host IS NULL AND script_name = n.name AND outcome = {(int)RunOutcome.Succeeded}
                 ORDER BY started_at DESC, id DESC LIMIT 1)
                UNION ALL
                (SELECT id, {HistoryColumns} FROM {_schema}.runs
                 WHERE n.host IS NOT NULL AND script_name = n.name AND hostname = n.host AND outcome = {(int)RunOutcome.Succeeded}
                 ORDER BY started_at DESC, id DESC LIMIT 1)) r
            """;
        await using var command = Command(connection, sql, TextArray(requests.Select(r => r.ScriptName)), TextArray(requests.Select(r => r.Hostname)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found[(int)reader.GetInt64(0) - 1] = HistoryRun(reader, 1);
        }

        return found;
    }

    public async ValueTask<IReadOnlyDictionary<string, List<HistoryRun>>> InProgressAsync(IReadOnlyCollection<string>? scriptNames, CancellationToken cancellationToken)
    {
        var sql = $"SELECT script_name, {HistoryColumns} FROM {_schema}.runs WHERE outcome = {(int)RunOutcome.Running}"
            + (scriptNames is null ? string.Empty : " AND script_name = ANY($1)")
            + " ORDER BY script_name, started_at DESC, id DESC";
        await using var command = scriptNames is null ? Command(connection, sql) : Command(connection, sql, TextArray(scriptNames));
        var runs = new Dictionary<string, List<HistoryRun>>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var name = reader.GetString(0);
            if (!runs.TryGetValue(name, out var list))
            {
                runs[name] = list = [];
            }

            list.Add(HistoryRun(reader, 1));
        }

        return runs;
    }

    /// <remarks>Skips are rare and pruned with the runs, so the table is small; a script without any costs nothing here.</remarks>
    public async ValueTask<IReadOnlyDictionary<string, List<ScriptSkip>>> NewestSkipsAsync(IReadOnlyCollection<string>? scriptNames, int limit, CancellationToken cancellationToken)
    {
        var sql = $"""
            SELECT {SkipColumns} FROM (
                SELECT {SkipColumns},
                       row_number() OVER (PARTITION BY script_name ORDER BY skipped_at DESC, id DESC) AS newest
                FROM {_schema}.skips{(scriptNames is null ? string.Empty : " WHERE script_name = ANY($2)")}) ranked
            WHERE newest <= $1
            ORDER BY script_name, newest
            """;
        await using var command = scriptNames is null
            ? Command(connection, sql, Integer(limit))
            : Command(connection, sql, Integer(limit), TextArray(scriptNames));
        var skips = new Dictionary<string, List<ScriptSkip>>(StringComparer.Ordinal);
        foreach (var skip in await ReadAllAsync(command, Skip, cancellationToken).ConfigureAwait(false))
        {
            if (!skips.TryGetValue(skip.ScriptName, out var list))
            {
                skips[skip.ScriptName] = list = [];
            }

            list.Add(skip);
        }

        return skips;
    }
}

using System.Data;
using Npgsql;
using NpgsqlTypes;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.PostgreSql;

/// <summary>Expectations and the bulk history read of the health evaluation.</summary>
public sealed partial class PostgreSqlScriptRunStore
{
    private const string ExpectationColumns =
        "script_name, period, cron, time_zone, grace, min_runtime, max_runtime, host_mode, hosts, min_hosts, failures_tolerated, paused, paused_until, tags, abandon_after, skips_before_alert";

    private const string HistoryColumns = "hostname, started_at, completed_at, outcome, exit_code";

    /// <inheritdoc/>
    public async Task<bool> SetExpectationAsync(ScriptExpectation expectation, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var valid = ExpectationValidation.Validate(expectation);

        // One statement: a new script is inserted, a changed one updated; equal values match no row and change nothing,
        // not even updated_at.
        var sql = $"""
            INSERT INTO {_schema}.expectations AS stored ({ExpectationColumns}, updated_at)
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
            """;
        var (period, cron, zone) = valid.Schedule switch
        {
            PeriodSchedule p => (p.Period, null, null),
            CronSchedule c => ((TimeSpan?)null, c.Expression, c.TimeZone),
            _ => ((TimeSpan?)null, (string?)null, (string?)null),
        };
        NpgsqlParameter[] parameters =
        [
            Text(valid.ScriptName),
            Interval(period),
            Text(cron),
            Text(zone),
            Interval(valid.Grace),
            Interval(valid.MinRuntime),
            Interval(valid.MaxRuntime),
            new() { Value = (short)valid.Hosts.Mode, NpgsqlDbType = NpgsqlDbType.Smallint },
            TextArray(valid.Hosts.Hosts),
            Integer(valid.Hosts.MinimumCount),
            Integer(valid.FailuresTolerated),
            new() { Value = valid.Paused, NpgsqlDbType = NpgsqlDbType.Boolean },
            TimestampTz(valid.PausedUntil),
            TextArray(valid.Tags),
            Interval(valid.AbandonAfter),
            Integer(valid.SkipsBeforeAlert),
            TimestampTz(Timestamps.Normalize(_timeProvider.GetUtcNow())),
        ];
        return await WithConnectionAsync("set an expectation", async: true, async connection =>
        {
            await using var command = Command(connection, sql, parameters);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<ScriptExpectation?> GetExpectationAsync(string scriptName, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RunValidation.ScriptName(scriptName, nameof(scriptName));
        return await WithConnectionAsync("read an expectation", async: true, async connection =>
        {
            var found = await ReadExpectationsAsync(connection, [scriptName], cancellationToken).ConfigureAwait(false);
            return found.TryGetValue(scriptName, out var expectation) ? expectation : null;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ScriptExpectation>> ListExpectationsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return await WithConnectionAsync("list expectations", async: true, async connection =>
        {
            var found = await ReadExpectationsAsync(connection, null, cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<ScriptExpectation>)found.Values.ToList();
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<bool> RemoveExpectationAsync(string scriptName, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RunValidation.ScriptName(scriptName, nameof(scriptName));
        return await WithConnectionAsync("remove an expectation", async: true, async connection =>
        {
            await using var command = Command(connection, $"DELETE FROM {_schema}.expectations WHERE script_name = $1", Text(scriptName));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ScriptSnapshot>> ReadSnapshotsAsync(IReadOnlyCollection<string>? scriptNames = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string[]? filter = null;
        if (scriptNames is not null)
        {
            foreach (var name in scriptNames)
            {
                RunValidation.ScriptName(name, nameof(scriptNames));
            }

            filter = [.. scriptNames.Distinct(StringComparer.Ordinal)];
        }

        return await WithConnectionAsync("read script histories", async: true, async connection =>
        {
            // One repeatable-read transaction, so that the expectations and every script's runs are of one instant.
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            var problems = new Dictionary<string, string>(StringComparer.Ordinal);
            var expectations = await ReadExpectationsAsync(connection, filter, cancellationToken, problems).ConfigureAwait(false);
            var names = new SortedSet<string>(expectations.Keys, StringComparer.Ordinal);
            names.UnionWith(problems.Keys);
            names.UnionWith(await ScriptNamesAsync(connection, filter, cancellationToken).ConfigureAwait(false));
            var ordered = names.ToArray();

            var recent = await RecentRunsAsync(connection, ordered, cancellationToken).ConfigureAwait(false);
            var inProgress = await InProgressRunsAsync(connection, filter, cancellationToken).ConfigureAwait(false);
            var skips = await RecentSkipsAsync(connection, filter, cancellationToken).ConfigureAwait(false);

            // Only a script with more runs than the recent ones may have an older success than they show.
            var truncated = new bool[ordered.Length];
            var lastSuccess = new HistoryRun?[ordered.Length];
            var lastByHost = new Dictionary<string, HistoryRun>[ordered.Length];
            var olderSuccess = new List<(int Script, string? Host)>();
            for (var i = 0; i < ordered.Length; i++)
            {
                var runs = recent[i];
                truncated[i] = runs.Count > ScriptHistory.Depth;
                if (truncated[i])
                {
                    runs.RemoveAt(runs.Count - 1);
                }

                lastByHost[i] = new Dictionary<string, HistoryRun>(StringComparer.Ordinal);
                foreach (var run in runs)
                {
                    if (run.Outcome == RunOutcome.Succeeded)
                    {
                        lastByHost[i].TryAdd(run.Hostname, run);
                    }
                }

                lastSuccess[i] = runs.Find(r => r.Outcome == RunOutcome.Succeeded);
                if (!truncated[i])
                {
                    continue;
                }

                if (lastSuccess[i] is null)
                {
                    olderSuccess.Add((i, null));
                }

                if (expectations.TryGetValue(ordered[i], out var expectation))
                {
                    olderSuccess.AddRange(expectation.Hosts.Hosts.Where(h => !lastByHost[i].ContainsKey(h)).Select(h => (i, (string?)h)));
                }
            }

            foreach (var (script, host, run) in await LastSuccessesAsync(connection, ordered, olderSuccess, cancellationToken).ConfigureAwait(false))
            {
                if (host is null)
                {
                    lastSuccess[script] = run;
                }
                else
                {
                    lastByHost[script][host] = run;
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);

            var snapshots = new List<ScriptSnapshot>(ordered.Length);
            for (var i = 0; i < ordered.Length; i++)
            {
                expectations.TryGetValue(ordered[i], out var expectation);
                var history = new ScriptHistory(recent[i], truncated[i], inProgress.TryGetValue(ordered[i], out var running) ? running : [], lastSuccess[i], lastByHost[i])
                {
                    RecentSkips = skips.TryGetValue(ordered[i], out var skipped) ? skipped : [],
                };
                snapshots.Add(new ScriptSnapshot(ordered[i], expectation, history) { Problem = problems.GetValueOrDefault(ordered[i]) });
            }

            return (IReadOnlyList<ScriptSnapshot>)snapshots;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<long> CountRunsAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        RunValidation.Query(query);
        var (sql, parameters) = RunFilter($"SELECT count(*) FROM {_schema}.runs", query);

        return await WithConnectionAsync("count runs", async: true, async connection =>
        {
            await using var command = Command(connection, sql.ToString(), [.. parameters]);
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }, cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlParameter Interval(TimeSpan? value) => new() { Value = value is { } v ? v : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Interval };

    private static NpgsqlParameter TextArray(IEnumerable<string> values) => new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static ScriptExpectation ReadExpectation(NpgsqlDataReader reader)
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

    private static HistoryRun ReadHistoryRun(NpgsqlDataReader reader, int first) => new(
        reader.GetString(first),
        reader.GetFieldValue<DateTimeOffset>(first + 1),
        reader.IsDBNull(first + 2) ? null : reader.GetFieldValue<DateTimeOffset>(first + 2),
        (RunOutcome)reader.GetInt16(first + 3),
        reader.IsDBNull(first + 4) ? null : reader.GetInt32(first + 4));

    /// <summary>The failures of reading a stored expectation that say the row breaks a rule, not that the store failed.</summary>
    private static bool IsUnreadable(Exception e) => e is ArgumentException or FormatException or InvalidCastException or OverflowException;

    /// <summary>Reads expectations; a row that cannot be read goes into <paramref name="problems"/> when given, and throws otherwise.</summary>
    private async Task<SortedDictionary<string, ScriptExpectation>> ReadExpectationsAsync(NpgsqlConnection connection, string[]? scriptNames, CancellationToken cancellationToken, Dictionary<string, string>? problems = null)
    {
        await using var command = scriptNames is null
            ? Command(connection, $"SELECT {ExpectationColumns} FROM {_schema}.expectations")
            : Command(connection, $"SELECT {ExpectationColumns} FROM {_schema}.expectations WHERE script_name = ANY($1)", TextArray(scriptNames));
        var expectations = new SortedDictionary<string, ScriptExpectation>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                var expectation = ReadExpectation(reader);
                expectations[expectation.ScriptName] = expectation;
            }
            catch (Exception e) when (problems is not null && IsUnreadable(e))
            {
                var name = reader.GetString(0);
                problems[name] = $"its stored expectation cannot be read ({e.Message.TrimEnd('.')}); set it again with 'scriptmon expect {name}' or remove it";
            }
        }

        return expectations;
    }

    private async Task<List<string>> ScriptNamesAsync(NpgsqlConnection connection, string[]? scriptNames, CancellationToken cancellationToken)
    {
        await using var command = scriptNames is null
            ? Command(connection, $"SELECT name FROM {_schema}.scripts")
            : Command(connection, $"SELECT name FROM {_schema}.scripts WHERE name = ANY($1)", TextArray(scriptNames));
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    /// <summary>
    /// The newest <see cref="ScriptHistory.Depth"/> + 1 runs of each script, in one statement: a backwards walk of
    /// runs_history per script. The extra run only says whether there are older ones.
    /// </summary>
    private async Task<List<HistoryRun>[]> RecentRunsAsync(NpgsqlConnection connection, string[] names, CancellationToken cancellationToken)
    {
        var runs = new List<HistoryRun>[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            runs[i] = [];
        }

        if (names.Length == 0)
        {
            return runs;
        }

        var sql = $"""
            SELECT n.ordinal, r.hostname, r.started_at, r.completed_at, r.outcome, r.exit_code
            FROM unnest($1::text[]) WITH ORDINALITY AS n(name, ordinal)
            CROSS JOIN LATERAL (
                SELECT id, {HistoryColumns} FROM {_schema}.runs
                WHERE script_name = n.name
                ORDER BY started_at DESC, id DESC
                LIMIT $2) r
            ORDER BY n.ordinal, r.started_at DESC, r.id DESC
            """;
        await using var command = Command(connection, sql, TextArray(names), Integer(ScriptHistory.Depth + 1));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            runs[(int)reader.GetInt64(0) - 1].Add(ReadHistoryRun(reader, 1));
        }

        return runs;
    }

    /// <summary>
    /// The newest <see cref="ScriptHistory.Depth"/> skip events of each script, in one statement. Skips are rare and
    /// pruned with the runs, so the table is small; a script without any costs nothing here.
    /// </summary>
    private async Task<Dictionary<string, List<ScriptSkip>>> RecentSkipsAsync(NpgsqlConnection connection, string[]? scriptNames, CancellationToken cancellationToken)
    {
        var sql = $"""
            SELECT event_id, script_name, hostname, skipped_at, holder FROM (
                SELECT event_id, script_name, hostname, skipped_at, holder,
                       row_number() OVER (PARTITION BY script_name ORDER BY skipped_at DESC, id DESC) AS newest
                FROM {_schema}.skips{(scriptNames is null ? string.Empty : " WHERE script_name = ANY($2)")}) ranked
            WHERE newest <= $1
            ORDER BY script_name, newest
            """;
        await using var command = scriptNames is null
            ? Command(connection, sql, Integer(ScriptHistory.Depth))
            : Command(connection, sql, Integer(ScriptHistory.Depth), TextArray(scriptNames));
        var skips = new Dictionary<string, List<ScriptSkip>>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var skip = new ScriptSkip(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4));
            if (!skips.TryGetValue(skip.ScriptName, out var list))
            {
                skips[skip.ScriptName] = list = [];
            }

            list.Add(skip);
        }

        return skips;
    }

    private async Task<Dictionary<string, List<HistoryRun>>> InProgressRunsAsync(NpgsqlConnection connection, string[]? scriptNames, CancellationToken cancellationToken)
    {
        var sql = $"SELECT script_name, {HistoryColumns} FROM {_schema}.runs WHERE outcome = 0"
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

            list.Add(ReadHistoryRun(reader, 1));
        }

        return runs;
    }

    /// <summary>
    /// The latest success of each script asked about, on any host (a null host) or on one host, in one statement of
    /// one index seek per request.
    /// </summary>
    private async Task<List<(int Script, string? Host, HistoryRun Run)>> LastSuccessesAsync(
        NpgsqlConnection connection, string[] names, List<(int Script, string? Host)> requests, CancellationToken cancellationToken)
    {
        var found = new List<(int, string?, HistoryRun)>();
        if (requests.Count == 0)
        {
            return found;
        }

        var sql = $"""
            SELECT n.ordinal, r.hostname, r.started_at, r.completed_at, r.outcome, r.exit_code
            FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS n(name, host, ordinal)
            CROSS JOIN LATERAL (
                (SELECT id, {HistoryColumns} FROM {_schema}.runs
                 WHERE n.host IS NULL AND script_name = n.name AND outcome = 1
                 ORDER BY started_at DESC, id DESC LIMIT 1)
                UNION ALL
                (SELECT id, {HistoryColumns} FROM {_schema}.runs
                 WHERE n.host IS NOT NULL AND script_name = n.name AND hostname = n.host AND outcome = 1
                 ORDER BY started_at DESC, id DESC LIMIT 1)) r
            """;
        await using var command = Command(
            connection,
            sql,
            TextArray(requests.Select(r => names[r.Script])),
            new NpgsqlParameter { Value = requests.Select(r => r.Host).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var request = requests[(int)reader.GetInt64(0) - 1];
            found.Add((request.Script, request.Host, ReadHistoryRun(reader, 1)));
        }

        return found;
    }
}

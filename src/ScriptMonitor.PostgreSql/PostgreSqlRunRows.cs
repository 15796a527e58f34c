using System.Text;
using Npgsql;
using NpgsqlTypes;
using ScriptMonitor.Runs;
using ScriptMonitor.Stores;
using static ScriptMonitor.PostgreSql.PostgreSqlValues;

namespace ScriptMonitor.PostgreSql;

/// <summary>
/// The SQL of runs and skip events in PostgreSQL: every write is one statement, so that many hosts write at once
/// without waiting on each other, and a write retried on a fresh connection is recognised.
/// </summary>
internal sealed class PostgreSqlRunRows : IRunRows
{
    /// <summary>
    /// The condition, in SQL, that a run's start ($4) and end ($5) are not further ahead of the server's clock than
    /// <see cref="StoreClock.MaxSkew"/> ($17, after the run's sixteen values). A shared store judges "in the
    /// future" by its own clock: the clock of the host that records may be the wrong one, and its runs would hide a
    /// stopped job for as long.
    /// </summary>
    private const string ServerClockCheck = "$4::timestamptz <= now() + $17::interval AND ($5::timestamptz IS NULL OR $5::timestamptz <= now() + $17::interval)";

    /// <summary>How often a batch is done again when other writers keep taking its new runs first or it meets a deadlock.</summary>
    private const int MaxImportAttempts = 5;

    /// <summary>Rows deleted per prune statement: each is its own short transaction, so writers never wait long.</summary>
    private const int PruneBatchSize = 2_000;

    private readonly PostgreSqlSession _session;
    private readonly string _schema;
    private readonly string _insertRunSql;
    private readonly string _lockRunsSql;
    private readonly string _insertRunsSql;
    private readonly string _updateCompletionSql;
    private readonly string _completeRunSql;
    private readonly string _lastRunWithOutcomeSql;

    internal PostgreSqlRunRows(PostgreSqlSession session)
    {
        _session = session;
        _schema = session.Quoted;

        // One statement: the run, and its script when the run is new. A run id already taken inserts nothing, and so
        // does an instant too far ahead of the server's clock (see ServerClockCheck); the server's time comes back to
        // tell the two apart.
        _insertRunSql = $"""
            WITH run AS (
                INSERT INTO {_schema}.runs ({RunColumns})
                SELECT {RunValues} WHERE {ServerClockCheck}
                ON CONFLICT (run_id) DO NOTHING
                RETURNING script_name),
            script AS (INSERT INTO {_schema}.scripts (name) SELECT script_name FROM run ON CONFLICT DO NOTHING),
            {PostgreSqlChangeFeed.Cte(_schema, "run")}
            SELECT (SELECT count(*) FROM run), now()
            """;

        // One statement completes a run that may still be completed; only when it matches nothing is the run read to say why.
        _completeRunSql = $"""
            WITH done AS (
                UPDATE {_schema}.runs SET completed_at = $2, outcome = $3, exit_code = $4, output = $5
                WHERE run_id = $1 AND outcome IN ({SqlList(RunLifecycle.Completable)}) AND started_at <= $2 AND $2 <= now() + $6
                RETURNING {RunColumns}),
            {PostgreSqlChangeFeed.Cte(_schema, "done")}
            SELECT {RunColumns} FROM done
            """;
        // A batch: the stored runs of its ids, locked in id order (so that writers of overlapping batches queue
        // rather than deadlock), with the server's time; then its new runs in one statement, in id order too.
        _lockRunsSql = $"SELECT {RunColumns}, now() FROM {_schema}.runs WHERE run_id = ANY($1) ORDER BY run_id FOR UPDATE";
        _insertRunsSql = $"""
            WITH run AS (
                INSERT INTO {_schema}.runs ({RunColumns})
                SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::smallint[], $7::integer[], $8::text[],
                                     $9::text[], $10::integer[], $11::bigint[], $12::text[], $13::timestamptz[], $14::boolean[], $15::text[], $16::boolean[])
                ORDER BY 1
                ON CONFLICT (run_id) DO NOTHING
                RETURNING script_name),
            script AS (INSERT INTO {_schema}.scripts (name) SELECT DISTINCT script_name FROM run ORDER BY 1 ON CONFLICT DO NOTHING)
            SELECT count(*) FROM run
            """;
        _updateCompletionSql = $"""
            UPDATE {_schema}.runs SET completed_at = $2, outcome = $3, exit_code = $4, output = $5,
                received_at = coalesce($6, received_at), clock_skew = coalesce($7, clock_skew), delivery = coalesce($8, delivery)
            WHERE run_id = $1
            """;
        _lastRunWithOutcomeSql = $"SELECT {RunColumns} FROM {_schema}.runs WHERE script_name = $1 AND outcome = $2 ORDER BY started_at DESC, id DESC LIMIT 1";
    }

    public bool Insert(ScriptRun run) => InsertAsync(run, async: false, CancellationToken.None).GetAwaiter().GetResult();

    public Task<bool> InsertAsync(ScriptRun run, CancellationToken cancellationToken) => InsertAsync(run, async: true, cancellationToken).AsTask();

    public Task<ScriptRun> CompleteAsync(Guid runId, RunCompletion completion, CancellationToken cancellationToken) =>
        _session.WithConnectionAsync("complete a run", async: true, async (connection, retried) =>
        {
            await using (var update = Command(
                connection,
                _completeRunSql,
                Uuid(runId),
                TimestampTz(completion.CompletedAt),
                Outcome(completion.Outcome),
                Integer(completion.ExitCode),
                Text(completion.Output),
                Interval(StoreClock.MaxSkew)))
            {
                if (await SingleRunAsync(update, async: true, cancellationToken).ConfigureAwait(false) is { } done)
                {
                    return done;
                }
            }

            var stored = await RunByIdAsync(connection, runId, async: true, cancellationToken).ConfigureAwait(false);

            // A retry finds the completion the first attempt wrote before its connection broke.
            if (retried && stored is not null && RunLifecycle.HoldsCompletion(stored, completion))
            {
                return stored;
            }

            var completed = RunLifecycle.Complete(runId, stored, completion);
            RefuseFuture(completed, await ServerNowAsync(connection, cancellationToken).ConfigureAwait(false));
            throw new InvalidOperationException($"Run {runId} of '{completed.ScriptName}' could not be completed.");
        }, cancellationToken).AsTask();

    public Task<IReadOnlyList<RunImportResult>> ImportAsync(IReadOnlyList<ScriptRun> runs, CancellationToken cancellationToken) =>
        _session.WithConnectionAsync<IReadOnlyList<RunImportResult>>("import runs", async connection =>
        {
            // Another writer may insert one of the batch's new ids between the read and the insert (the insert then
            // skips it); the batch is then done again from the start, and finds that run stored.
            for (var attempt = 1; ; attempt++)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    if (await TryImportAsync(connection, runs, cancellationToken).ConfigureAwait(false) is { } results)
                    {
                        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                        return results;
                    }
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < MaxImportAttempts)
                {
                    // Two batches that lock the same stored and new runs in another order: one is chosen to give way.
                }

                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                if (attempt >= MaxImportAttempts)
                {
                    throw new InvalidOperationException($"Runs of a batch were written by other writers {attempt} times while it was stored; nothing of it was written.");
                }
            }
        }, cancellationToken);

    public Task<bool> AbandonAsync(Guid runId, DateTimeOffset abandonedAt, string reason, CancellationToken cancellationToken) =>
        _session.WithConnectionAsync("mark a run abandoned", async connection =>
        {
            // Read, then update only while it still runs: a completion that lands in between wins.
            var stored = await RunByIdAsync(connection, runId, async: true, cancellationToken).ConfigureAwait(false);
            if (RunLifecycle.Abandon(runId, stored, abandonedAt, reason) is not { } abandoned)
            {
                return false;
            }

            await using var update = Command(
                connection,
                $"""
                WITH done AS (
                    UPDATE {_schema}.runs SET completed_at = $2, outcome = $3, output = $4 WHERE run_id = $1 AND outcome = {(int)RunLifecycle.Abandonable}
                    RETURNING script_name),
                {PostgreSqlChangeFeed.Cte(_schema, "done")}
                SELECT count(*) FROM done
                """,
                Uuid(runId),
                TimestampTz(abandoned.CompletedAt),
                Outcome(abandoned.Outcome),
                Text(abandoned.Output));
            return (long)(await update.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! > 0;
        }, cancellationToken);

    public ScriptRun? LastRun(string scriptName, RunOutcome outcome) =>
        LastRunAsync(scriptName, outcome, async: false, CancellationToken.None).GetAwaiter().GetResult();

    public Task<ScriptRun?> LastRunAsync(string scriptName, RunOutcome outcome, CancellationToken cancellationToken) =>
        LastRunAsync(scriptName, outcome, async: true, cancellationToken).AsTask();

    public async Task<ScriptRun?> GetAsync(Guid runId, CancellationToken cancellationToken) =>
        await _session.WithConnectionAsync("read a run", connection => RunByIdAsync(connection, runId, async: true, cancellationToken), cancellationToken).ConfigureAwait(false);

    public Task<IReadOnlyList<ScriptRun>> ListAsync(RunQuery query, CancellationToken cancellationToken)
    {
        var (sql, parameters) = RunFilter($"SELECT {RunColumns} FROM {_schema}.runs", query);
        parameters.Add(Integer(query.Limit));
        sql.Append(" ORDER BY started_at DESC, id DESC LIMIT $").Append(parameters.Count);
        parameters.Add(Integer(query.Offset));
        sql.Append(" OFFSET $").Append(parameters.Count);
        return _session.WithConnectionAsync("list runs", async connection =>
        {
            await using var command = Command(connection, sql.ToString(), [.. parameters]);
            return await ReadAllAsync(command, r => Run(r), cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<long> CountAsync(RunQuery query, CancellationToken cancellationToken)
    {
        var (sql, parameters) = RunFilter($"SELECT count(*) FROM {_schema}.runs", query);
        return _session.WithConnectionAsync("count runs", async connection =>
        {
            await using var command = Command(connection, sql.ToString(), [.. parameters]);
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<ScriptRun>> ListRunningAsync(string? hostname, CancellationToken cancellationToken)
    {
        var sql = $"SELECT {RunColumns} FROM {_schema}.runs WHERE outcome = {(int)RunOutcome.Running}"
            + (hostname is null ? string.Empty : " AND hostname = $1")
            + " ORDER BY started_at, id";
        return _session.WithConnectionAsync("list running runs", async connection =>
        {
            await using var command = hostname is null ? Command(connection, sql) : Command(connection, sql, Text(hostname));
            return await ReadAllAsync(command, r => Run(r), cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<bool> InsertSkipAsync(ScriptSkip skip, CancellationToken cancellationToken)
    {
        var sql = $"""
            WITH skip AS (
                INSERT INTO {_schema}.skips ({SkipColumns}) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (event_id) DO NOTHING
                RETURNING script_name),
            script AS (INSERT INTO {_schema}.scripts (name) SELECT script_name FROM skip ON CONFLICT DO NOTHING),
            {PostgreSqlChangeFeed.Cte(_schema, "skip")}
            SELECT count(*) FROM skip
            """;
        return _session.WithConnectionAsync("record a skipped run", async connection =>
        {
            await using var command = Command(connection, sql, Uuid(skip.EventId), Text(skip.ScriptName), Text(skip.Hostname), TimestampTz(skip.SkippedAt), Text(skip.Holder));
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! > 0;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<ScriptSkip>> ListSkipsAsync(string scriptName, DateTimeOffset? since, int limit, CancellationToken cancellationToken)
    {
        var sql = $"SELECT {SkipColumns} FROM {_schema}.skips WHERE script_name = $1 AND ($2::timestamptz IS NULL OR skipped_at >= $2) ORDER BY skipped_at DESC, id DESC LIMIT $3";
        return _session.WithConnectionAsync("list skipped runs", async connection =>
        {
            await using var command = Command(connection, sql, Text(scriptName), TimestampTz(since), Integer(limit));
            return await ReadAllAsync(command, Skip, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<TimeSpan>> RuntimesAsync(string scriptName, DateTimeOffset since, DateTimeOffset until, string? hostname, CancellationToken cancellationToken)
    {
        var sql = $"SELECT completed_at - started_at FROM {_schema}.runs WHERE script_name = $1 AND outcome = {(int)RunOutcome.Succeeded} AND NOT duration_unknown AND started_at >= $2 AND started_at < $3"
            + (hostname is null ? string.Empty : " AND hostname = $4");
        NpgsqlParameter[] parameters = hostname is null
            ? [Text(scriptName), TimestampTz(since), TimestampTz(until)]
            : [Text(scriptName), TimestampTz(since), TimestampTz(until), Text(hostname)];
        return _session.WithConnectionAsync("read runtime statistics", async connection =>
        {
            await using var command = Command(connection, sql, parameters);
            return await ReadAllAsync(command, r => r.GetFieldValue<TimeSpan>(0), cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<long> PruneAsync(DateTimeOffset olderThan, int keepLast, CancellationToken cancellationToken)
    {
        // Chosen once from one snapshot, which blocks no writer (a read takes no lock a write waits for): later runs only
        // push these further from "newest", and nothing but a prune deletes a run. "Not the last success" may change: a
        // late completion can turn an abandoned candidate into its script's newest success, so each batch, its own short
        // statement, checks that again as it deletes.
        var candidatesSql = $"""
            SELECT id FROM (
                SELECT id, started_at, outcome,
                       row_number() OVER (PARTITION BY script_name ORDER BY started_at DESC, id DESC) AS newest_rank,
                       row_number() OVER (PARTITION BY script_name, outcome ORDER BY started_at DESC, id DESC) AS outcome_rank
                FROM {_schema}.runs) ranked
            WHERE started_at < $1 AND outcome <> {(int)RunOutcome.Running} AND newest_rank > $2
              AND NOT (outcome = {(int)RunOutcome.Succeeded} AND outcome_rank = 1)
            """;
        return _session.WithConnectionAsync("prune runs", async connection =>
        {
            IReadOnlyList<long> candidates;
            await using (var command = Command(connection, candidatesSql, TimestampTz(olderThan), Integer(keepLast)))
            {
                candidates = await ReadAllAsync(command, r => r.GetInt64(0), cancellationToken).ConfigureAwait(false);
            }

            long deleted = 0;
            foreach (var batch in candidates.Chunk(PruneBatchSize))
            {
                cancellationToken.ThrowIfCancellationRequested();
                await using var delete = Command(
                    connection,
                    $"""
                    DELETE FROM {_schema}.runs AS run WHERE run.id = ANY($1)
                      AND run.started_at < $2 AND run.outcome <> {(int)RunOutcome.Running}
                      AND (run.outcome <> {(int)RunOutcome.Succeeded} OR EXISTS (
                          SELECT 1 FROM {_schema}.runs AS newer
                          WHERE newer.script_name = run.script_name AND newer.outcome = {(int)RunOutcome.Succeeded}
                            AND (newer.started_at, newer.id) > (run.started_at, run.id)))
                    """,
                    new NpgsqlParameter { Value = batch, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint },
                    TimestampTz(olderThan));
                deleted += await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var skips = Command(connection, $"DELETE FROM {_schema}.skips WHERE skipped_at < $1", TimestampTz(olderThan));
            await skips.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

            // A script's events (Healthchecks' /log) go at the age its runs go. A role granted only what pruning needed
            // before events existed still prunes runs: its events are left to a role that may delete them.
            await using var events = Command(connection, $"DELETE FROM {_schema}.script_events WHERE at < $1", TimestampTz(olderThan));
            try
            {
                await events.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException denied) when (denied.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                // Nothing to undo: the statement ran alone and deleted nothing.
            }

            return deleted;
        }, cancellationToken);
    }

    public Task<long> PruneOutputAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        // Window by window of row ids, each its own short statement: no row stays locked against a writer for long.
        return _session.WithConnectionAsync("prune run output", async connection =>
        {
            long first, last;
            await using (var bounds = Command(connection, $"SELECT coalesce(min(id), 0), coalesce(max(id), 0) FROM {_schema}.runs"))
            await using (var reader = await bounds.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                (first, last) = (reader.GetInt64(0), reader.GetInt64(1));
            }

            long cleared = 0;
            for (var from = first; from <= last && last > 0; from += PruneBatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await using var clear = Command(
                    connection,
                    $"UPDATE {_schema}.runs SET output = NULL WHERE id >= $1 AND id < $2 AND started_at < $3 AND outcome <> {(int)RunOutcome.Running} AND output IS NOT NULL",
                    new NpgsqlParameter { Value = from, NpgsqlDbType = NpgsqlDbType.Bigint },
                    new NpgsqlParameter { Value = from + PruneBatchSize, NpgsqlDbType = NpgsqlDbType.Bigint },
                    TimestampTz(olderThan));
                cleared += await clear.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return cleared;
        }, cancellationToken);
    }

    /// <summary>A statement filtered by a <see cref="RunQuery"/>, with its parameters: shared by listing and counting runs.</summary>
    private static (StringBuilder Sql, List<NpgsqlParameter> Parameters) RunFilter(string select, RunQuery query)
    {
        var parameters = new List<NpgsqlParameter> { Text(query.ScriptName) };
        var sql = new StringBuilder(select).Append(" WHERE script_name = $1");
        if (query.Hostname is not null)
        {
            parameters.Add(Text(query.Hostname));
            sql.Append(" AND hostname = $").Append(parameters.Count);
        }

        if (query.Since is { } since)
        {
            parameters.Add(TimestampTz(Timestamps.Normalize(since)));
            sql.Append(" AND started_at >= $").Append(parameters.Count);
        }

        if (query.Until is { } until)
        {
            parameters.Add(TimestampTz(Timestamps.Normalize(until)));
            sql.Append(" AND started_at < $").Append(parameters.Count);
        }

        if (query.Outcome is { } outcome)
        {
            parameters.Add(Outcome(outcome));
            sql.Append(" AND outcome = $").Append(parameters.Count);
        }

        return (sql, parameters);
    }

    /// <summary>Refuses a run whose start or end is further ahead of the server's clock than any host's clock may be.</summary>
    private static void RefuseFuture(ScriptRun run, DateTimeOffset serverNow) =>
        StoreClock.RefuseAhead(run, serverNow, "the PostgreSQL server's clock", "the server's time");

    private static async ValueTask<DateTimeOffset> ServerNowAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, "SELECT now()");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return reader.GetFieldValue<DateTimeOffset>(0);
    }

    private async ValueTask<bool> InsertAsync(ScriptRun run, bool async, CancellationToken cancellationToken) =>
        await _session.WithConnectionAsync("record a run", async, async (connection, retried) =>
        {
            DateTimeOffset serverNow;
            await using (var command = Command(connection, _insertRunSql, [.. RunParameters(run), Interval(StoreClock.MaxSkew)]))
            {
                await using var reader = await command.ReaderAsync(async, cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(async, cancellationToken).ConfigureAwait(false);
                if (reader.GetInt64(0) > 0)
                {
                    return true;
                }

                serverNow = reader.GetFieldValue<DateTimeOffset>(1);
            }

            RefuseFuture(run, serverNow);

            // A retry finds the run the first attempt wrote before its connection broke: that is this run, recorded.
            return retried && await RunByIdAsync(connection, run.RunId, async, cancellationToken).ConfigureAwait(false) == run;
        }, cancellationToken).ConfigureAwait(false);

    private async ValueTask<ScriptRun?> LastRunAsync(string scriptName, RunOutcome outcome, bool async, CancellationToken cancellationToken) =>
        await _session.WithConnectionAsync("read the last activity", async, async connection =>
        {
            await using var command = Command(connection, _lastRunWithOutcomeSql, Text(scriptName), Outcome(outcome));
            return await SingleRunAsync(command, async, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// One attempt at a batch, in the caller's transaction: the results, or null when another writer inserted one of
    /// its new runs meanwhile (nothing of this attempt is to be kept).
    /// </summary>
    private async ValueTask<RunImportResult[]?> TryImportAsync(NpgsqlConnection connection, IReadOnlyList<ScriptRun> runs, CancellationToken cancellationToken)
    {
        var known = new Dictionary<Guid, ScriptRun>(runs.Count);
        var serverNow = DateTimeOffset.MinValue;
        await using (var select = Command(connection, _lockRunsSql, new NpgsqlParameter { Value = runs.Select(r => r.RunId).Distinct().ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid }))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var stored = Run(reader);
                known[stored.RunId] = stored;
                serverNow = reader.GetFieldValue<DateTimeOffset>(RunColumnCount);
            }
        }

        if (serverNow == DateTimeOffset.MinValue)
        {
            serverNow = await ServerNowAsync(connection, cancellationToken).ConfigureAwait(false);
        }

        var results = new RunImportResult[runs.Count];
        var inserts = new Dictionary<Guid, ScriptRun>();
        var updates = new Dictionary<Guid, ScriptRun>();
        for (var i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            try
            {
                RefuseFuture(run, serverNow);
            }
            catch (ValidationException e)
            {
                results[i] = new RunImportResult(run.RunId, RunImportStatus.Invalid) { Errors = e.Errors };
                continue;
            }

            var stored = known.GetValueOrDefault(run.RunId);
            results[i] = RunLifecycle.Judge(stored, run);
            if (results[i].Status != RunImportStatus.Stored)
            {
                continue;
            }

            // Later runs of the batch with the same id are judged against this one, as if it were stored already.
            var written = stored is null ? run : run with { Arrival = run.Arrival ?? stored.Arrival };
            known[run.RunId] = written;
            if (inserts.ContainsKey(run.RunId) || stored is null)
            {
                inserts[run.RunId] = written;
            }
            else
            {
                updates[run.RunId] = written;
            }
        }

        if (inserts.Count > 0)
        {
            var rows = inserts.Values.ToArray();
            await using var insert = Command(
                connection,
                _insertRunsSql,
                Array(NpgsqlDbType.Uuid, rows.Select(r => (object)r.RunId)),
                Array(NpgsqlDbType.Text, rows.Select(r => (object)r.ScriptName)),
                Array(NpgsqlDbType.Text, rows.Select(r => (object)r.Hostname)),
                Array(NpgsqlDbType.TimestampTz, rows.Select(r => (object)r.StartedAt)),
                Array(NpgsqlDbType.TimestampTz, rows.Select(r => (object?)r.CompletedAt)),
                Array(NpgsqlDbType.Smallint, rows.Select(r => (object)(short)r.Outcome)),
                Array(NpgsqlDbType.Integer, rows.Select(r => (object?)r.ExitCode)),
                Array(NpgsqlDbType.Text, rows.Select(r => (object?)r.Output)),
                Array(NpgsqlDbType.Text, rows.Select(r => (object?)r.Runner?.BootId)),
                Array(NpgsqlDbType.Integer, rows.Select(r => (object?)r.Runner?.ProcessId)),
                Array(NpgsqlDbType.Bigint, rows.Select(r => (object?)r.Runner?.StartTime)),
                Array(NpgsqlDbType.Text, rows.Select(r => (object?)r.Runner?.PidNamespace)),
                Array(NpgsqlDbType.TimestampTz, rows.Select(r => (object?)r.Arrival?.ReceivedAt)),
                Array(NpgsqlDbType.Boolean, rows.Select(r => (object?)r.Arrival?.ClockSkew)),
                Array(NpgsqlDbType.Text, rows.Select(r => (object?)(r.Arrival is { } a ? DeliveryText(a.Delivery) : null))),
                Array(NpgsqlDbType.Boolean, rows.Select(r => (object)r.DurationUnknown)));
            if ((long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! != rows.Length)
            {
                return null;
            }
        }

        if (updates.Count > 0)
        {
            await using var batch = new NpgsqlBatch(connection);
            foreach (var run in updates.Values)
            {
                var update = new NpgsqlBatchCommand(_updateCompletionSql);
                update.Parameters.Add(Uuid(run.RunId));
                update.Parameters.Add(TimestampTz(run.CompletedAt));
                update.Parameters.Add(Outcome(run.Outcome));
                update.Parameters.Add(Integer(run.ExitCode));
                update.Parameters.Add(Text(run.Output));
                update.Parameters.Add(TimestampTz(run.Arrival?.ReceivedAt));
                update.Parameters.Add(Boolean(run.Arrival?.ClockSkew));
                update.Parameters.Add(Text(run.Arrival is { } a ? DeliveryText(a.Delivery) : null));
                batch.BatchCommands.Add(update);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // Each script of the batch moves up the feed once, however many of its runs the batch holds.
        if (inserts.Count + updates.Count > 0)
        {
            await using var feed = Command(
                connection,
                PostgreSqlChangeFeed.OfNames(_schema),
                TextArray(inserts.Values.Concat(updates.Values).Select(r => r.ScriptName).Distinct(StringComparer.Ordinal)));
            await feed.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    /// <summary>An array parameter of one column of many rows, nulls kept, for <c>unnest</c>.</summary>
    private static NpgsqlParameter Array(NpgsqlDbType type, IEnumerable<object?> values) =>
        new() { Value = values.Select(v => v ?? DBNull.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | type };

    private async ValueTask<ScriptRun?> RunByIdAsync(NpgsqlConnection connection, Guid runId, bool async, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, $"SELECT {RunColumns} FROM {_schema}.runs WHERE run_id = $1", Uuid(runId));
        return await SingleRunAsync(command, async, cancellationToken).ConfigureAwait(false);
    }
}

using System.Text;
using Npgsql;
using NpgsqlTypes;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.PostgreSql;

/// <summary>
/// The shared store: one PostgreSQL database that many hosts record into at once. An instance holds a pool of
/// connections and is safe to share between threads; every call is one short statement or transaction.
/// </summary>
public sealed partial class PostgreSqlScriptRunStore : IScriptRunStore
{
    private const string RunColumns = "run_id, script_name, hostname, started_at, completed_at, outcome, exit_code, output, runner_boot_id, runner_pid, runner_started, runner_pid_ns";

    /// <summary>How many columns <see cref="RunColumns"/> names: where the second run of a joined row starts.</summary>
    private const int RunColumnCount = 12;

    private const string RunValues = "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12";

    /// <summary>
    /// The condition, in SQL, that a run's start ($4) and end ($5) are not further ahead of the server's clock than
    /// <see cref="RunValidation.MaxFutureSkew"/> ($13, after the run's twelve values). A shared store judges "in the future" by its own clock: the
    /// clock of the host that records may be the wrong one, and its runs would hide a stopped job for as long.
    /// </summary>
    private const string ServerClockCheck = "$4::timestamptz <= now() + $13::interval AND ($5::timestamptz IS NULL OR $5::timestamptz <= now() + $13::interval)";

    /// <summary>SQLSTATE codes of a server that ended the session: shut down, crashed, restarted, or the link failed.</summary>
    private static readonly string[] SessionEndedStates = ["57P01", "57P02", "57P03", "08"];

    /// <summary>Rows deleted per prune statement: each is its own short transaction, so writers never wait long.</summary>
    private const int PruneBatchSize = 2_000;

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _timeProvider;
    private readonly PostgreSqlFailures _failures;
    private readonly string _schema;
    private readonly string _insertRunSql;
    private readonly string _lastRunWithOutcomeSql;
    private volatile bool _disposed;

    private PostgreSqlScriptRunStore(NpgsqlDataSource dataSource, string description, string schema, PostgreSqlFailures failures, TimeProvider timeProvider)
    {
        _dataSource = dataSource;
        Description = description;
        Schema = schema;
        _schema = PostgreSqlSchema.Quote(schema);
        _failures = failures;
        _timeProvider = timeProvider;
        // One statement: the run, and its script when the run is new. A run id already taken inserts nothing, and so
        // does an instant too far ahead of the server's clock (see ServerClockCheck); the server's time comes back to
        // tell the two apart.
        _insertRunSql = $"""
            WITH run AS (
                INSERT INTO {_schema}.runs ({RunColumns})
                SELECT {RunValues} WHERE {ServerClockCheck}
                ON CONFLICT (run_id) DO NOTHING
                RETURNING script_name),
            script AS (INSERT INTO {_schema}.scripts (name) SELECT script_name FROM run ON CONFLICT DO NOTHING)
            SELECT (SELECT count(*) FROM run), now()
            """;
        _lastRunWithOutcomeSql = $"SELECT {RunColumns} FROM {_schema}.runs WHERE script_name = $1 AND outcome = $2 ORDER BY started_at DESC, id DESC LIMIT 1";
    }

    /// <inheritdoc/>
    /// <remarks><c>postgresql://user@host:port/database</c>, and the schema when it is not the default.</remarks>
    public string Description { get; }

    /// <summary>The schema that holds the store's tables.</summary>
    public string Schema { get; }

    /// <summary>
    /// Connects to the database, creates the store's schema if needed and brings it to the latest version.
    /// </summary>
    /// <param name="connectionString">
    /// Npgsql keywords (<c>Host=db1;Database=scriptmon;Username=scriptmon;Password=…</c>) or a URI
    /// (<c>postgresql://scriptmon:secret@db1:5432/scriptmon?sslmode=require</c>).
    /// </param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">The connection string is malformed or names no host.</exception>
    /// <exception cref="StoreUnavailableException">The server cannot be reached, refuses the login, or cannot apply the schema.</exception>
    /// <exception cref="InvalidOperationException">The database is at a newer schema version than this build knows.</exception>
    public static PostgreSqlScriptRunStore Open(string connectionString, PostgreSqlStoreOptions? options = null) =>
        OpenCoreAsync(connectionString, options, readOnly: false, async: false, CancellationToken.None).GetAwaiter().GetResult()!;

    /// <summary>
    /// Connects to an existing store to read it, and nothing else: the schema is neither created nor migrated, so
    /// pointing a read command at a database never changes it.
    /// </summary>
    /// <param name="connectionString">Npgsql keywords or a <c>postgresql://</c> URI.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <returns>The store, or null when the database holds no store in <see cref="PostgreSqlStoreOptions.Schema"/> yet.</returns>
    /// <exception cref="ArgumentException">The connection string is malformed or names no host.</exception>
    /// <exception cref="StoreUnavailableException">
    /// The server cannot be reached or refuses the login, or the store's schema is older than this build reads
    /// (unless <see cref="PostgreSqlStoreOptions.AcceptOlderSchema"/>).
    /// </exception>
    /// <exception cref="InvalidOperationException">The database is at a newer schema version than this build knows.</exception>
    public static PostgreSqlScriptRunStore? OpenReadOnly(string connectionString, PostgreSqlStoreOptions? options = null) =>
        OpenCoreAsync(connectionString, options, readOnly: true, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="Open"/>
    /// <param name="connectionString">Npgsql keywords or a <c>postgresql://</c> URI.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static Task<PostgreSqlScriptRunStore> OpenAsync(string connectionString, PostgreSqlStoreOptions? options = null, CancellationToken cancellationToken = default) =>
        OpenCoreAsync(connectionString, options, readOnly: false, async: true, cancellationToken).AsTask()!;

    /// <inheritdoc/>
    public ScriptActivity RecordSuccess(string name, DateTimeOffset dateStarted, DateTimeOffset dateCompleted, string? hostname = null) =>
        RecordSuccessCoreAsync(name, dateStarted, dateCompleted, hostname, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc/>
    public Task<ScriptActivity> RecordSuccessAsync(string name, DateTimeOffset dateStarted, DateTimeOffset dateCompleted, string? hostname = null, CancellationToken cancellationToken = default) =>
        RecordSuccessCoreAsync(name, dateStarted, dateCompleted, hostname, async: true, cancellationToken).AsTask();

    /// <inheritdoc/>
    public ScriptActivity? GetLastActivity(string name) =>
        GetLastActivityCoreAsync(name, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc/>
    public Task<ScriptActivity?> GetLastActivityAsync(string name, CancellationToken cancellationToken = default) =>
        GetLastActivityCoreAsync(name, async: true, cancellationToken).AsTask();

    /// <inheritdoc/>
    public async Task<ScriptRun> RecordStartAsync(string name, DateTimeOffset startedAt, string? hostname = null, Guid? runId = null, RunnerProcess? runner = null, CancellationToken cancellationToken = default)
    {
        var run = RunValidation.StartedRun(name, startedAt, hostname, runId, runner, _timeProvider.GetUtcNow());
        await InsertRunAsync(run, async: true, cancellationToken).ConfigureAwait(false);
        return run;
    }

    /// <inheritdoc/>
    public async Task<ScriptRun> CompleteRunAsync(Guid runId, DateTimeOffset completedAt, RunOutcome outcome, int? exitCode = null, string? output = null, CancellationToken cancellationToken = default)
    {
        RunValidation.CompletedOutcome(outcome, nameof(outcome));
        var completed = RunValidation.Instant(completedAt, nameof(completedAt), _timeProvider.GetUtcNow());
        var tail = RunValidation.Output(output);
        return await WithConnectionAsync("complete a run", async: true, async (connection, retried) =>
        {
            // One statement completes a running run; only when it matches nothing is the run read to say why.
            await using (var update = Command(
                connection,
                $"""
                UPDATE {_schema}.runs SET completed_at = $2, outcome = $3, exit_code = $4, output = $5
                WHERE run_id = $1 AND outcome IN (0, 3) AND started_at <= $2 AND $2 <= now() + $6
                RETURNING {RunColumns}
                """,
                Uuid(runId),
                TimestampTz(completed),
                Outcome(outcome),
                Integer(exitCode),
                Text(tail),
                Interval(RunValidation.MaxFutureSkew)))
            {
                var done = await SingleRunAsync(update, async: true, cancellationToken).ConfigureAwait(false);
                if (done is not null)
                {
                    return done;
                }
            }

            var run = await RunByIdAsync(connection, runId, cancellationToken).ConfigureAwait(false) ?? throw new KeyNotFoundException($"No run has the id {runId}.");
            if (!RunValidation.IsOpen(run.Outcome))
            {
                // A retry finds the completion the first attempt wrote before its connection broke.
                if (retried && run.CompletedAt == completed && run.Outcome == outcome && run.ExitCode == exitCode && run.Output == tail)
                {
                    return run;
                }

                throw new InvalidOperationException($"Run {runId} of '{run.ScriptName}' has already completed ({run.Outcome}).");
            }

            RunValidation.CompletedNotBeforeStarted(run.StartedAt, completed, nameof(completedAt));
            RefuseFuture(run with { CompletedAt = completed }, await ServerNowAsync(connection, cancellationToken).ConfigureAwait(false));
            throw new InvalidOperationException($"Run {runId} of '{run.ScriptName}' could not be completed.");
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<ScriptRun> RecordFailureAsync(string name, DateTimeOffset startedAt, DateTimeOffset completedAt, int? exitCode = null, string? message = null, string? hostname = null, CancellationToken cancellationToken = default)
    {
        var run = RunValidation.CompletedRun(name, (startedAt, nameof(startedAt)), (completedAt, nameof(completedAt)), hostname, RunOutcome.Failed, exitCode, message, _timeProvider.GetUtcNow());
        await InsertRunAsync(run, async: true, cancellationToken).ConfigureAwait(false);
        return run;
    }

    /// <inheritdoc/>
    public async Task<bool> ImportRunAsync(ScriptRun run, CancellationToken cancellationToken = default)
    {
        var valid = RunValidation.ImportedRun(run, _timeProvider.GetUtcNow());

        // Exactly once in one statement: a new id is inserted, a running one is completed (keeping its start, host
        // and name), an abandoned one is completed by a real completion, and a completed one is left alone. The script
        // is listed only when its run is new. An instant too far ahead of the server's clock writes nothing; the
        // server's time comes back to say so.
        var sql = $"""
            WITH run AS (
                INSERT INTO {_schema}.runs AS stored ({RunColumns})
                SELECT {RunValues} WHERE {ServerClockCheck}
                ON CONFLICT (run_id) DO UPDATE
                    SET completed_at = EXCLUDED.completed_at, outcome = EXCLUDED.outcome,
                        exit_code = EXCLUDED.exit_code, output = EXCLUDED.output
                    WHERE (stored.outcome = 0 AND EXCLUDED.outcome <> 0) OR (stored.outcome = 3 AND EXCLUDED.outcome IN (1, 2))
                RETURNING stored.script_name),
            script AS (INSERT INTO {_schema}.scripts (name) SELECT script_name FROM run ON CONFLICT DO NOTHING)
            SELECT (SELECT count(*) FROM run), now()
            """;
        return await WithConnectionAsync("import a run", async: true, async connection =>
        {
            await using var command = Command(connection, sql, [.. RunParameters(valid), Interval(RunValidation.MaxFutureSkew)]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (reader.GetInt64(0) > 0)
            {
                return true;
            }

            RefuseFuture(valid, reader.GetFieldValue<DateTimeOffset>(1));
            return false;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<bool> AbandonRunAsync(Guid runId, DateTimeOffset abandonedAt, string reason, CancellationToken cancellationToken = default)
    {
        var at = RunValidation.Instant(abandonedAt, nameof(abandonedAt), _timeProvider.GetUtcNow());
        RunValidation.Reason(reason, nameof(reason));
        return await WithConnectionAsync("mark a run abandoned", async: true, async connection =>
        {
            // Read, then update only while it still runs: a completion that lands in between wins.
            var run = await RunByIdAsync(connection, runId, cancellationToken).ConfigureAwait(false) ?? throw new KeyNotFoundException($"No run has the id {runId}.");
            if (run.Outcome != RunOutcome.Running)
            {
                return false;
            }

            RunValidation.CompletedNotBeforeStarted(run.StartedAt, at, nameof(abandonedAt));
            await using var update = Command(
                connection,
                $"UPDATE {_schema}.runs SET completed_at = $2, outcome = $3, output = $4 WHERE run_id = $1 AND outcome = 0",
                Uuid(runId),
                TimestampTz(at),
                Outcome(RunOutcome.Abandoned),
                Text(RunValidation.AbandonedOutput(run.Output, reason)));
            return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ScriptRun>> ListRunningAsync(string? hostname = null, CancellationToken cancellationToken = default)
    {
        if (hostname is not null)
        {
            RunValidation.Hostname(hostname, nameof(hostname));
        }

        var sql = $"SELECT {RunColumns} FROM {_schema}.runs WHERE outcome = 0"
            + (hostname is null ? string.Empty : " AND hostname = $1")
            + " ORDER BY started_at, id";
        return await WithConnectionAsync("list running runs", async: true, async connection =>
        {
            await using var command = hostname is null ? Command(connection, sql) : Command(connection, sql, Text(hostname));
            return await ReadRunsAsync(command, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<bool> RecordSkipAsync(ScriptSkip skip, CancellationToken cancellationToken = default)
    {
        var valid = RunValidation.Skip(skip, _timeProvider.GetUtcNow());
        var sql = $"""
            WITH skip AS (
                INSERT INTO {_schema}.skips (event_id, script_name, hostname, skipped_at, holder) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (event_id) DO NOTHING
                RETURNING script_name),
            script AS (INSERT INTO {_schema}.scripts (name) SELECT script_name FROM skip ON CONFLICT DO NOTHING)
            SELECT count(*) FROM skip
            """;
        return await WithConnectionAsync("record a skipped run", async: true, async connection =>
        {
            await using var command = Command(connection, sql, Uuid(valid.EventId), Text(valid.ScriptName), Text(valid.Hostname), TimestampTz(valid.SkippedAt), Text(valid.Holder));
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! > 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ScriptSkip>> ListSkipsAsync(string name, DateTimeOffset? since = null, int limit = RunQuery.DefaultLimit, CancellationToken cancellationToken = default)
    {
        RunValidation.ScriptName(name, nameof(name));
        RunValidation.Limit(limit, nameof(limit));
        var sql = $"SELECT event_id, script_name, hostname, skipped_at, holder FROM {_schema}.skips WHERE script_name = $1 AND ($2::timestamptz IS NULL OR skipped_at >= $2) ORDER BY skipped_at DESC, id DESC LIMIT $3";
        return await WithConnectionAsync("list skipped runs", async: true, async connection =>
        {
            await using var command = Command(connection, sql, Text(name), TimestampTz(since is { } s ? Timestamps.Normalize(s) : null), Integer(limit));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var skips = new List<ScriptSkip>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                skips.Add(new ScriptSkip(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4)));
            }

            return (IReadOnlyList<ScriptSkip>)skips;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ScriptRun>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        RunValidation.Query(query);
        var (sql, parameters) = RunFilter($"SELECT {RunColumns} FROM {_schema}.runs", query);

        parameters.Add(Integer(query.Limit));
        sql.Append(" ORDER BY started_at DESC, id DESC LIMIT $").Append(parameters.Count);
        parameters.Add(Integer(query.Offset));
        sql.Append(" OFFSET $").Append(parameters.Count);

        return await WithConnectionAsync("list runs", async: true, async connection =>
        {
            await using var command = Command(connection, sql.ToString(), [.. parameters]);
            return await ReadRunsAsync(command, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ScriptOverview>> ReadOverviewAsync(OverviewQuery query, CancellationToken cancellationToken = default) =>
        OverviewByScript.ReadAsync(this, query, cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ScriptSummary>> ListScriptsAsync(CancellationToken cancellationToken = default)
    {
        var sql = $"""
            SELECT s.name, success.*, failure.*
            FROM {_schema}.scripts s
            LEFT JOIN LATERAL (
                SELECT {RunColumns} FROM {_schema}.runs r WHERE r.script_name = s.name AND r.outcome = 1
                ORDER BY r.started_at DESC, r.id DESC LIMIT 1) success ON true
            LEFT JOIN LATERAL (
                SELECT {RunColumns} FROM {_schema}.runs r WHERE r.script_name = s.name AND r.outcome = 2
                ORDER BY r.started_at DESC, r.id DESC LIMIT 1) failure ON true
            ORDER BY s.name
            """;
        return await WithConnectionAsync("list scripts", async: true, async connection =>
        {
            await using var command = Command(connection, sql);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var summaries = new List<ScriptSummary>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                summaries.Add(new ScriptSummary(
                    reader.GetString(0),
                    reader.IsDBNull(1) ? null : ReadRun(reader, 1),
                    reader.IsDBNull(1 + RunColumnCount) ? null : ReadRun(reader, 1 + RunColumnCount)));
            }

            return (IReadOnlyList<ScriptSummary>)summaries;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<RuntimeStatistics> GetRuntimeStatisticsAsync(string name, DateTimeOffset since, DateTimeOffset until, string? hostname = null, CancellationToken cancellationToken = default)
    {
        RunValidation.ScriptName(name, nameof(name));
        if (hostname is not null)
        {
            RunValidation.Hostname(hostname, nameof(hostname));
        }

        RunValidation.Window(since, until, nameof(until));
        var sql = $"SELECT completed_at - started_at FROM {_schema}.runs WHERE script_name = $1 AND outcome = 1 AND started_at >= $2 AND started_at < $3"
            + (hostname is null ? string.Empty : " AND hostname = $4");
        NpgsqlParameter[] parameters = hostname is null
            ? [Text(name), TimestampTz(Timestamps.Normalize(since)), TimestampTz(Timestamps.Normalize(until))]
            : [Text(name), TimestampTz(Timestamps.Normalize(since)), TimestampTz(Timestamps.Normalize(until)), Text(hostname)];
        return await WithConnectionAsync("read runtime statistics", async: true, async connection =>
        {
            await using var command = Command(connection, sql, parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var durations = new List<TimeSpan>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                durations.Add(reader.GetFieldValue<TimeSpan>(0));
            }

            return RuntimeStatistics.Of(durations);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<long> PruneAsync(DateTimeOffset olderThan, int keepLast = 0, CancellationToken cancellationToken = default)
    {
        RunValidation.KeepLast(keepLast, nameof(keepLast));

        // Chosen once from one snapshot, which blocks no writer: later runs only push these further from "newest" and
        // "last success", so deleting them batch by batch, each batch its own short transaction, stays within the rules.
        var candidatesSql = $"""
            SELECT id FROM (
                SELECT id, started_at, outcome,
                       row_number() OVER (PARTITION BY script_name ORDER BY started_at DESC, id DESC) AS newest_rank,
                       row_number() OVER (PARTITION BY script_name, outcome ORDER BY started_at DESC, id DESC) AS outcome_rank
                FROM {_schema}.runs) ranked
            WHERE started_at < $1 AND outcome <> 0 AND newest_rank > $2 AND NOT (outcome = 1 AND outcome_rank = 1)
            """;
        return await WithConnectionAsync("prune runs", async: true, async connection =>
        {
            var candidates = new List<long>();
            await using (var command = Command(connection, candidatesSql, TimestampTz(Timestamps.Normalize(olderThan)), Integer(keepLast)))
            {
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    candidates.Add(reader.GetInt64(0));
                }
            }

            long deleted = 0;
            foreach (var batch in candidates.Chunk(PruneBatchSize))
            {
                cancellationToken.ThrowIfCancellationRequested();
                await using var delete = Command(
                    connection,
                    $"DELETE FROM {_schema}.runs WHERE id = ANY($1)",
                    new NpgsqlParameter { Value = batch, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
                deleted += await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var skips = Command(connection, $"DELETE FROM {_schema}.skips WHERE skipped_at < $1", TimestampTz(Timestamps.Normalize(olderThan)));
            await skips.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return deleted;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<StoreInfo> GetInfoAsync(CancellationToken cancellationToken = default)
    {
        var sql = $"""
            SELECT (SELECT coalesce(max(version), 0) FROM {_schema}.schema_version),
                   (SELECT count(*) FROM {_schema}.runs),
                   (SELECT count(*) FROM {_schema}.scripts),
                   (SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint
                    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = $1 AND c.relkind = 'r')
            """;
        return await WithConnectionAsync("read store information", async: true, async connection =>
        {
            await using var command = Command(connection, sql, Text(Schema));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return new StoreInfo(Description, reader.GetInt32(0), PostgreSqlSchema.LatestVersion, reader.GetInt64(3), reader.GetInt64(1), reader.GetInt64(2));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _dataSource.Dispose();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    private static async ValueTask<PostgreSqlScriptRunStore?> OpenCoreAsync(string connectionString, PostgreSqlStoreOptions? options, bool readOnly, bool async, CancellationToken cancellationToken)
    {
        var settings = PostgreSqlConnectionString.Parse(connectionString);
        options ??= new PostgreSqlStoreOptions();
        if (options.ConnectTimeout is { } connect)
        {
            settings.Timeout = PostgreSqlStoreOptions.WholeSeconds(connect);
        }

        if (options.CommandTimeout is { } commandTimeout)
        {
            settings.CommandTimeout = PostgreSqlStoreOptions.WholeSeconds(commandTimeout);

            // After a command timeout Npgsql asks the server to cancel and, by default, waits 2 more seconds for it;
            // a server that stopped answering answers that neither. The connection is dropped at once instead.
            settings.CancellationTimeout = -1;
        }

        var description = PostgreSqlConnectionString.Describe(settings, options.Schema);
        var failures = new PostgreSqlFailures(PostgreSqlConnectionString.Endpoint(settings), settings.Database ?? settings.Username ?? "(default)");
        var dataSource = new NpgsqlDataSourceBuilder(settings.ConnectionString).Build();
        try
        {
            var connection = await OpenConnectionAsync(dataSource, failures, async, cancellationToken).ConfigureAwait(false);
            var version = PostgreSqlSchema.LatestVersion;
            try
            {
                if (readOnly)
                {
                    version = await PostgreSqlSchema.CurrentVersionAsync(connection, options.Schema, async, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await PostgreSqlSchema.MigrateAsync(connection, options.Schema, description, async, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (PostgreSqlFailures.IsUnavailable(e))
            {
                throw failures.Failed(readOnly ? $"read the version of schema {options.Schema}" : $"prepare schema {options.Schema}", e);
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            if (version == 0)
            {
                // Read-only, and no store in the database yet: nothing to read, and nothing is created.
                await dataSource.DisposeAsync().ConfigureAwait(false);
                return null;
            }

            if (PostgreSqlSchema.RefuseNewer(version, description) < PostgreSqlSchema.LatestVersion && !options.AcceptOlderSchema)
            {
                throw new StoreUnavailableException(
                    $"The database {description} is at schema version {version}, older than this ScriptMonitor reads ({PostgreSqlSchema.LatestVersion}); it is upgraded when it is next opened for writing ('scriptmon db migrate', by a user who may change the schema).");
            }

            return new PostgreSqlScriptRunStore(dataSource, description, options.Schema, failures, options.TimeProvider);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async ValueTask<NpgsqlConnection> OpenConnectionAsync(NpgsqlDataSource dataSource, PostgreSqlFailures failures, bool async, CancellationToken cancellationToken)
    {
        try
        {
            return await dataSource.OpenAsync(async, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (PostgreSqlFailures.IsUnavailable(e))
        {
            throw failures.CannotConnect(e);
        }
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

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter Uuid(Guid value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Uuid };

    private static NpgsqlParameter Text(string? value) => new() { Value = value is null ? DBNull.Value : value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter TimestampTz(DateTimeOffset? value) => new() { Value = value is { } v ? v : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private static NpgsqlParameter Outcome(RunOutcome value) => new() { Value = (short)value, NpgsqlDbType = NpgsqlDbType.Smallint };

    private static NpgsqlParameter Integer(int? value) => new() { Value = value is { } v ? v : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer };

    private static NpgsqlParameter[] RunParameters(ScriptRun run) =>
    [
        Uuid(run.RunId),
        Text(run.ScriptName),
        Text(run.Hostname),
        TimestampTz(run.StartedAt),
        TimestampTz(run.CompletedAt),
        Outcome(run.Outcome),
        Integer(run.ExitCode),
        Text(run.Output),
        Text(run.Runner?.BootId),
        Integer(run.Runner?.ProcessId),
        BigInt(run.Runner?.StartTime),
        Text(run.Runner?.PidNamespace),
    ];

    private static NpgsqlParameter BigInt(long? value) => new() { Value = value is { } v ? v : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint };

    private static ScriptRun ReadRun(NpgsqlDataReader reader, int first = 0) => new(
        reader.GetGuid(first),
        reader.GetString(first + 1),
        reader.GetString(first + 2),
        reader.GetFieldValue<DateTimeOffset>(first + 3),
        reader.IsDBNull(first + 4) ? null : reader.GetFieldValue<DateTimeOffset>(first + 4),
        (RunOutcome)reader.GetInt16(first + 5),
        reader.IsDBNull(first + 6) ? null : reader.GetInt32(first + 6),
        reader.IsDBNull(first + 7) ? null : reader.GetString(first + 7))
    {
        Runner = reader.IsDBNull(first + 8)
            ? null
            : new RunnerProcess(reader.GetString(first + 8), reader.GetInt32(first + 9), reader.GetInt64(first + 10), reader.GetString(first + 11)),
    };

    private static async ValueTask<ScriptRun?> SingleRunAsync(NpgsqlCommand command, bool async, CancellationToken cancellationToken)
    {
        await using var reader = await command.ReaderAsync(async, cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(async, cancellationToken).ConfigureAwait(false) ? ReadRun(reader) : null;
    }

    private static async Task<IReadOnlyList<ScriptRun>> ReadRunsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var runs = new List<ScriptRun>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            runs.Add(ReadRun(reader));
        }

        return runs;
    }

    private async ValueTask<ScriptActivity> RecordSuccessCoreAsync(string name, DateTimeOffset dateStarted, DateTimeOffset dateCompleted, string? hostname, bool async, CancellationToken cancellationToken)
    {
        var run = RunValidation.CompletedRun(name, (dateStarted, nameof(dateStarted)), (dateCompleted, nameof(dateCompleted)), hostname, RunOutcome.Succeeded, exitCode: null, output: null, _timeProvider.GetUtcNow());
        await InsertRunAsync(run, async, cancellationToken).ConfigureAwait(false);
        return run.ToActivity();
    }

    private async ValueTask<ScriptActivity?> GetLastActivityCoreAsync(string name, bool async, CancellationToken cancellationToken)
    {
        RunValidation.ScriptName(name, nameof(name));
        return await WithConnectionAsync("read the last activity", async, async connection =>
        {
            await using var command = Command(connection, _lastRunWithOutcomeSql, Text(name), Outcome(RunOutcome.Succeeded));
            return (await SingleRunAsync(command, async, cancellationToken).ConfigureAwait(false))?.ToActivity();
        }, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask InsertRunAsync(ScriptRun run, bool async, CancellationToken cancellationToken)
    {
        await WithConnectionAsync("record a run", async, async (connection, retried) =>
        {
            DateTimeOffset serverNow;
            await using (var command = Command(connection, _insertRunSql, [.. RunParameters(run), Interval(RunValidation.MaxFutureSkew)]))
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
            if (retried && await RunByIdAsync(connection, run.RunId, async, cancellationToken).ConfigureAwait(false) == run)
            {
                return true;
            }

            throw RunValidation.DuplicateRunId(run.RunId);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Refuses a run whose start or end is further ahead of the server's clock than any host's clock may be.</summary>
    private static void RefuseFuture(ScriptRun run, DateTimeOffset serverNow)
    {
        foreach (var (instant, name) in new[] { ((DateTimeOffset?)run.StartedAt, "startedAt"), (run.CompletedAt, "completedAt") })
        {
            if (instant is { } value)
            {
                RunValidation.NotAheadOf(value, name, serverNow, $"{name} ({Timestamps.Format(value)}) must not be more than {RunValidation.MaxFutureSkew.TotalHours:0} hours ahead of the PostgreSQL server's clock (the server's time is {Timestamps.Format(serverNow)}); check the clock of this host.");
            }
        }
    }

    private async Task<ScriptRun?> RunByIdAsync(NpgsqlConnection connection, Guid runId, CancellationToken cancellationToken) =>
        await RunByIdAsync(connection, runId, async: true, cancellationToken).ConfigureAwait(false);

    private async ValueTask<ScriptRun?> RunByIdAsync(NpgsqlConnection connection, Guid runId, bool async, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, $"SELECT {RunColumns} FROM {_schema}.runs WHERE run_id = $1", Uuid(runId));
        return await SingleRunAsync(command, async, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<DateTimeOffset> ServerNowAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, "SELECT now()");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return reader.GetFieldValue<DateTimeOffset>(0);
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a pooled connection; an infrastructure failure becomes a
    /// <see cref="StoreUnavailableException"/> that says whether connecting or the work itself failed.
    /// </summary>
    private ValueTask<T> WithConnectionAsync<T>(string action, bool async, Func<NpgsqlConnection, ValueTask<T>> work, CancellationToken cancellationToken) =>
        WithConnectionAsync(action, async, (connection, _) => work(connection), cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> on a pooled connection. When the server ended that connection's session (it
    /// restarted, failed over, or cut idle connections), every idle connection in the pool is as stale: the pool is
    /// cleared and the work tried once more on a fresh connection, told so by its second argument, so that a write
    /// the first attempt may have made is recognised rather than refused. Timeouts are not retried: the bound a
    /// caller chose stays the bound. An infrastructure failure becomes a <see cref="StoreUnavailableException"/> that
    /// says whether connecting or the work itself failed.
    /// </summary>
    private async ValueTask<T> WithConnectionAsync<T>(string action, bool async, Func<NpgsqlConnection, bool, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        for (var retried = false; ; retried = true)
        {
            var connection = await OpenConnectionAsync(_dataSource, _failures, async, cancellationToken).ConfigureAwait(false);
            try
            {
                return await work(connection, retried).ConfigureAwait(false);
            }
            catch (Exception e) when (!retried && SessionEnded(e, connection))
            {
                _dataSource.Clear();
            }
            catch (Exception e) when (PostgreSqlFailures.IsUnavailable(e))
            {
                throw _failures.Failed(action, e);
            }
            finally
            {
                if (async)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                }
                else
                {
                    connection.Dispose();
                }
            }
        }
    }

    /// <summary>
    /// Whether the failure says the server ended the connection's session, as opposed to a timeout (the server may be
    /// there but slow or hung) or an error about the work itself.
    /// </summary>
    private static bool SessionEnded(Exception exception, NpgsqlConnection connection)
    {
        if (exception is PostgresException postgres)
        {
            return SessionEndedStates.Any(state => postgres.SqlState.StartsWith(state, StringComparison.Ordinal));
        }

        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is TimeoutException)
            {
                return false;
            }
        }

        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is IOException or System.Net.Sockets.SocketException)
            {
                return true;
            }
        }

        return exception is NpgsqlException
            && (connection.FullState.HasFlag(System.Data.ConnectionState.Broken) || connection.State == System.Data.ConnectionState.Closed);
    }
}

using System.Globalization;
using Microsoft.Data.Sqlite;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode that many processes on one host write at once.
/// An instance holds one connection and serialises its own calls; it is safe to share between threads.
/// </summary>
public sealed partial class SqliteScriptRunStore : IScriptRunStore
{
    private const string RunColumns = "run_id, script_name, hostname, started_at, completed_at, outcome, exit_code, output, runner_boot_id, runner_pid, runner_started, runner_pid_ns";

    /// <summary>Microsoft.Data.Sqlite's own retry of a busy statement, in whole seconds: its smallest bound (0 would be none).</summary>
    private const int DriverRetrySeconds = 1;

    /// <summary>Rows deleted per prune transaction: small enough that a waiting writer never notices.</summary>
    private const int PruneBatchSize = 2_000;

    /// <summary>SQLITE_CANTOPEN: the file, or a file SQLite needs beside it, cannot be opened.</summary>
    private const int SqliteCantOpen = 14;

    /// <summary>SQLITE_READONLY: something had to be written for the read, and may not be.</summary>
    private const int SqliteReadOnly = 8;

    private readonly SqliteConnection _connection;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private readonly SqliteCommand _addScript;
    private readonly SqliteCommand _insertRun;
    private readonly SqliteCommand _lastRunWithOutcome;
    private readonly SqliteCommand _runById;
    private readonly SqliteCommand _lastSuccessOnHost;
    private bool _disposed;

    private SqliteScriptRunStore(SqliteConnection connection, string path, TimeProvider timeProvider)
    {
        _connection = connection;
        Path = path;
        _timeProvider = timeProvider;
        _addScript = Prepare("INSERT OR IGNORE INTO scripts (name) VALUES ($name)", "$name");
        _insertRun = Prepare(
            $"INSERT INTO runs ({RunColumns}) VALUES ($run_id, $name, $host, $started, $completed, $outcome, $exit_code, $output, $boot_id, $pid, $pid_started, $pid_ns)",
            "$run_id", "$name", "$host", "$started", "$completed", "$outcome", "$exit_code", "$output", "$boot_id", "$pid", "$pid_started", "$pid_ns");
        _lastRunWithOutcome = Prepare(
            $"SELECT {RunColumns} FROM runs WHERE script_name = $name AND outcome = $outcome ORDER BY started_at DESC LIMIT 1",
            "$name", "$outcome");
        _runById = Prepare($"SELECT {RunColumns} FROM runs WHERE run_id = $run_id", "$run_id");
        _lastSuccessOnHost = Prepare(LastSuccessOnHostSql, "$name", "$host");
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    public string Description => $"sqlite:{Path}";

    /// <summary>
    /// Opens (creating the file and its directory if needed) and migrates the database at <paramref name="path"/>.
    /// </summary>
    /// <param name="path">The database file.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <exception cref="StoreUnavailableException">
    /// The file or its directory cannot be created or opened (a directory in its place, a directory this user may not
    /// enter), it is not a SQLite database or is another application's, the disk is full or failing, or another
    /// process holds the file locked past the busy timeout.
    /// </exception>
    /// <exception cref="InvalidOperationException">The file is at a newer schema version than this build knows.</exception>
    public static SqliteScriptRunStore Open(string path, SqliteStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new SqliteStoreOptions();
        if (options.BusyTimeout < TimeSpan.Zero || options.BusyTimeout > SqliteStoreOptions.MaxBusyTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BusyTimeout, $"options.BusyTimeout must be between 0 and {SqliteStoreOptions.MaxBusyTimeout.TotalDays:0} days.");
        }

        var fullPath = System.IO.Path.GetFullPath(path);
        SqliteFile.Probe(fullPath);
        if (System.IO.Path.GetDirectoryName(fullPath) is { Length: > 0 } directory)
        {
            try
            {
                Directory.CreateDirectory(directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw SqliteFile.Unusable(fullPath, $"its directory cannot be created: {SqliteFile.WhyDirectoryCannotBeCreated(directory, e)}", e);
            }
        }

        var connection = new SqliteConnection(ConnectionString(fullPath, SqliteOpenMode.ReadWriteCreate));
        try
        {
            connection.Open();
            Execute(connection, FormattableString.Invariant($"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}"));

            // Before anything is written: WAL mode and the tables must never reach another application's database.
            if (SqliteStoreIdentity.Read(connection, out _, out var foreign) == SqliteStoreIdentity.Kind.Foreign)
            {
                throw SqliteStoreIdentity.Foreign(fullPath, foreign);
            }

            KeepWriteAheadLogOnClose(connection);
            Execute(connection, "PRAGMA journal_mode = WAL");
            Execute(connection, options.FlushEveryCommit ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
            SqliteSchema.Migrate(connection, fullPath);
            TruncateLongWriteAheadLog(connection, fullPath, options.WriteAheadLogLimit);
            return new SqliteScriptRunStore(connection, fullPath, options.TimeProvider);
        }
        catch (SqliteException e) when (SqliteFailures.IsUnavailable(e))
        {
            connection.Dispose();
            throw SqliteFailures.Unavailable(fullPath, e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens an existing store to read it, and nothing else: nothing is created, migrated or written, not even the
    /// journal mode, so it works for a user who may only read the file.
    /// </summary>
    /// <param name="path">The database file.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <returns>The store, or null when there is none yet: no file, or an empty one.</returns>
    /// <exception cref="StoreUnavailableException">
    /// The path cannot be used (a directory, a directory this user may not enter, a file it may not read), the file
    /// is not a SQLite database or is another application's, its schema is older than this build reads (unless
    /// <see cref="SqliteStoreOptions.AcceptOlderSchema"/>) or newer than it knows, or it cannot be read now.
    /// </exception>
    public static SqliteScriptRunStore? OpenReadOnly(string path, SqliteStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new SqliteStoreOptions();
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!SqliteFile.Probe(fullPath))
        {
            return null;
        }

        var connection = OpenForReading(fullPath, options, out var kind, out var version, out var foreign);
        try
        {
            switch (kind)
            {
                case SqliteStoreIdentity.Kind.Empty:
                    connection.Dispose();
                    return null;
                case SqliteStoreIdentity.Kind.Foreign:
                    throw SqliteStoreIdentity.Foreign(fullPath, foreign);
            }

            if (version > SqliteSchema.LatestVersion)
            {
                throw SqliteFile.Unusable(fullPath, $"it is at schema version {version}, newer than this ScriptMonitor knows ({SqliteSchema.LatestVersion}); upgrade ScriptMonitor");
            }

            if (version < SqliteSchema.LatestVersion && !options.AcceptOlderSchema)
            {
                throw new StoreUnavailableException(
                    $"The SQLite database {fullPath} is at schema version {version}, older than this ScriptMonitor reads ({SqliteSchema.LatestVersion}); it is upgraded when it is next opened for writing ('scriptmon db migrate', by a user who may write it).");
            }

            return new SqliteScriptRunStore(connection, fullPath, options.TimeProvider);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public ScriptActivity RecordSuccess(string name, DateTimeOffset dateStarted, DateTimeOffset dateCompleted, string? hostname = null)
    {
        var run = RunValidation.CompletedRun(name, (dateStarted, nameof(dateStarted)), (dateCompleted, nameof(dateCompleted)), hostname, RunOutcome.Succeeded, exitCode: null, output: null, _timeProvider.GetUtcNow());
        lock (_gate)
        {
            try
            {
                InsertRun(run);
            }
            catch (SqliteException e) when (SqliteFailures.IsUnavailable(e))
            {
                throw SqliteFailures.Unavailable(Path, e);
            }
        }

        return run.ToActivity();
    }

    /// <inheritdoc/>
    public Task<ScriptActivity> RecordSuccessAsync(string name, DateTimeOffset dateStarted, DateTimeOffset dateCompleted, string? hostname = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(RecordSuccess(name, dateStarted, dateCompleted, hostname));
    }

    /// <inheritdoc/>
    public ScriptActivity? GetLastActivity(string name)
    {
        RunValidation.ScriptName(name, nameof(name));
        lock (_gate)
        {
            try
            {
                return LastRunWithOutcome(name, RunOutcome.Succeeded)?.ToActivity();
            }
            catch (SqliteException e) when (SqliteFailures.IsUnavailable(e))
            {
                throw SqliteFailures.Unavailable(Path, e);
            }
        }
    }

    /// <inheritdoc/>
    public Task<ScriptActivity?> GetLastActivityAsync(string name, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(GetLastActivity(name));
    }

    /// <inheritdoc/>
    public Task<ScriptRun> RecordStartAsync(string name, DateTimeOffset startedAt, string? hostname = null, Guid? runId = null, RunnerProcess? runner = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var run = RunValidation.StartedRun(name, startedAt, hostname, runId, runner, _timeProvider.GetUtcNow());
        lock (_gate)
        {
            try
            {
                InsertRun(run);
            }
            catch (SqliteException e) when (e.SqliteErrorCode == SqliteFailures.Constraint)
            {
                throw RunValidation.DuplicateRunId(run.RunId);
            }
            catch (SqliteException e) when (SqliteFailures.IsUnavailable(e))
            {
                throw SqliteFailures.Unavailable(Path, e);
            }
        }

        return Task.FromResult(run);
    }

    /// <inheritdoc/>
    public Task<ScriptRun> CompleteRunAsync(Guid runId, DateTimeOffset completedAt, RunOutcome outcome, int? exitCode = null, string? output = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RunValidation.CompletedOutcome(outcome, nameof(outcome));
        var completed = RunValidation.Instant(completedAt, nameof(completedAt), _timeProvider.GetUtcNow());
        var tail = RunValidation.Output(output);
        lock (_gate)
        {
            try
            {
                using var transaction = _connection.BeginTransaction(deferred: false);
                var run = RunById(runId, transaction) ?? throw new KeyNotFoundException($"No run has the id {runId}.");
                if (!RunValidation.IsOpen(run.Outcome))
                {
                    throw new InvalidOperationException($"Run {runId} of '{run.ScriptName}' has already completed ({run.Outcome}).");
                }

                RunValidation.CompletedNotBeforeStarted(run.StartedAt, completed, nameof(completedAt));
                var done = run with { CompletedAt = completed, Outcome = outcome, ExitCode = exitCode, Output = tail };
                UpdateCompletion(done, transaction);
                transaction.Commit();
                return Task.FromResult(done);
            }
            catch (SqliteException e) when (SqliteFailures.IsUnavailable(e))
            {
                throw SqliteFailures.Unavailable(Path, e);
            }
        }
    }

    /// <inheritdoc/>
    public Task<ScriptRun> RecordFailureAsync(string name, DateTimeOffset startedAt, DateTimeOffset completedAt, int? exitCode = null, string? message = null, string? hostname = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var run = RunValidation.CompletedRun(name, (startedAt, nameof(startedAt)), (completedAt, nameof(completedAt)), hostname, RunOutcome.Failed, exitCode, message, _timeProvider.GetUtcNow());
        lock (_gate)
        {
            try
            {
                InsertRun(run);
            }
            catch (SqliteException e) when (SqliteFailures.IsUnavailable(e))
            {
                throw SqliteFailures.Unavailable(Path, e);
            }
        }

        return Task.FromResult(run);
    }

    /// <inheritdoc/>
    public Task<bool> ImportRunAsync(ScriptRun run, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var valid = RunValidation.ImportedRun(run, _timeProvider.GetUtcNow());
        lock (_gate)
        {
            try
            {
                using var transaction = _connection.BeginTransaction(deferred: false);
                var stored = RunById(valid.RunId, transaction);
                var changed = false;
                if (stored is null)
                {
                    InsertRun(valid, transaction);
                    changed = true;
                }
                else if (RunValidation.Supersedes(stored.Outcome, valid.Outcome))
                {
                    UpdateCompletion(valid, transaction);
                    changed = true;
                }

                transaction.Commit();
                return Task.FromResult(changed);
            }
            catch (SqliteException e) when (SqliteFailures.IsUnavailable(e))
            {
                throw SqliteFailures.Unavailable(Path, e);
            }
        }
    }

    /// <inheritdoc/>
    public Task<bool> AbandonRunAsync(Guid runId, DateTimeOffset abandonedAt, string reason, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var at = RunValidation.Instant(abandonedAt, nameof(abandonedAt), _timeProvider.GetUtcNow());
        RunValidation.Reason(reason, nameof(reason));
        lock (_gate)
        {
            try
            {
                using var transaction = _connection.BeginTransaction(deferred: false);
                var run = RunById(runId, transaction) ?? throw new KeyNotFoundException($"No run has the id {runId}.");
                if (run.Outcome != RunOutcome.Running)
                {
                    return Task.FromResult(false);
                }

                RunValidation.CompletedNotBeforeStarted(run.StartedAt, at, nameof(abandonedAt));
                UpdateCompletion(run with { CompletedAt = at, Outcome = RunOutcome.Abandoned, Output = RunValidation.AbandonedOutput(run.Output, reason) }, transaction);
                transaction.Commit();
                return Task.FromResult(true);
            }
            catch (SqliteException e) when (SqliteFailures.IsUnavailable(e))
            {
                throw SqliteFailures.Unavailable(Path, e);
            }
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ScriptRun>> ListRunningAsync(string? hostname = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (hostname is not null)
        {
            RunValidation.Hostname(hostname, nameof(hostname));
        }

        lock (_gate)
        {
            try
            {
                using var command = _connection.CreateCommand();
                command.CommandText = $"SELECT {RunColumns} FROM runs WHERE outcome = 0"
                    + (hostname is null ? string.Empty : " AND hostname = $host")
                    + " ORDER BY started_at, id";
                if (hostname is not null)
                {
                    command.Parameters.AddWithValue("$host", hostname);
                }

                return Task.FromResult<IReadOnlyList<ScriptRun>>(ReadRuns(command));
            }
            catch (SqliteException e) when (SqliteFailures.IsUnavailable(e))
            {
                throw SqliteFailures.Unavailable(Path, e);
            }
        }
    }

    /// <inheritdoc/>
    public Task<bool> RecordSkipAsync(ScriptSkip skip, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var valid = RunValidation.Skip(skip, _timeProvider.GetUtcNow());
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                using var transaction = _connection.BeginTransaction(deferred: false);
                _addScript.Transaction = transaction;
                _addScript.Parameters[0].Value = valid.ScriptName;
                _addScript.ExecuteNonQuery();
                using var command = _connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "INSERT OR IGNORE INTO skips (event_id, script_name, hostname, skipped_at, holder) VALUES ($id, $name, $host, $at, $holder)";
                command.Parameters.AddWithValue("$id", valid.EventId.ToByteArray());
                command.Parameters.AddWithValue("$name", valid.ScriptName);
                command.Parameters.AddWithValue("$host", valid.Hostname);
                command.Parameters.AddWithValue("$at", Timestamps.ToUnixMicroseconds(valid.SkippedAt));
                command.Parameters.AddWithValue("$holder", valid.Holder);
                var changed = command.ExecuteNonQuery() > 0;
                transaction.Commit();
                return Task.FromResult(changed);
            }
            catch (SqliteException e) when (SqliteFailures.IsUnavailable(e))
            {
                throw SqliteFailures.Unavailable(Path, e);
            }
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ScriptSkip>> ListSkipsAsync(string name, DateTimeOffset? since = null, int limit = RunQuery.DefaultLimit, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RunValidation.ScriptName(name, nameof(name));
        RunValidation.Limit(limit, nameof(limit));
        lock (_gate)
        {
            try
            {
                using var command = _connection.CreateCommand();
                command.CommandText = "SELECT event_id, script_name, hostname, skipped_at, holder FROM skips WHERE script_name = $name"
                    + (since is null ? string.Empty : " AND skipped_at >= $since")
                    + " ORDER BY skipped_at DESC, id DESC LIMIT $limit";
                command.Parameters.AddWithValue("$name", name);
                command.Parameters.AddWithValue("$limit", limit);
                if (since is { } from)
                {
                    command.Parameters.AddWithValue("$since", Timestamps.ToUnixMicroseconds(from));
                }

                var skips = new List<ScriptSkip>();
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    skips.Add(new ScriptSkip(
                        new Guid(reader.GetFieldValue<byte[]>(0)),
                        reader.GetString(1),
                        reader.GetString(2),
                        Timestamps.FromUnixMicroseconds(reader.GetInt64(3)),
                        reader.GetString(4)));
                }

                return Task.FromResult<IReadOnlyList<ScriptSkip>>(skips);
            }
            catch (SqliteException e) when (SqliteFailures.IsUnavailable(e))
            {
                throw SqliteFailures.Unavailable(Path, e);
            }
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ScriptRun>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RunValidation.Query(query);
        lock (_gate)
        {
            try
            {
                using var command = _connection.CreateCommand();
                var sql = new System.Text.StringBuilder($"SELECT {RunColumns} FROM runs");
                AppendRunFilter(sql, command, query);

                sql.Append(" ORDER BY started_at DESC, id DESC LIMIT $limit OFFSET $offset");
                command.Parameters.AddWithValue("$limit", query.Limit);
                command.Parameters.AddWithValue("$offset", query.Offset);
                command.CommandText = sql.ToString();
                return Task.FromResult<IReadOnlyList<ScriptRun>>(ReadRuns(command));
            }
            catch (SqliteException e) when (SqliteFailures.IsUnavailable(e))
            {
                throw SqliteFailures.Unavailable(Path, e);
            }
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ScriptOverview>> ReadOverviewAsync(OverviewQuery query, CancellationToken cancellationToken = default) =>
        OverviewByScript.ReadAsync(this, query, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<ScriptSummary>> ListScriptsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            try
            {
                var names = new List<string>();
                using (var command = _connection.CreateCommand())
                {
                    command.CommandText = "SELECT name FROM scripts ORDER BY name";
                    using var reader = command.ExecuteReader();
                    while (reader.Read())
                    {
                        names.Add(reader.GetString(0));
                    }
                }

                var summaries = names
                    .Select(name => new ScriptSummary(name, LastRunWithOutcome(name, RunOutcome.Succeeded), LastRunWithOutcome(name, RunOutcome.Failed)))
                    .ToList();
                return Task.FromResult<IReadOnlyList<ScriptSummary>>(summaries);
            }
            catch (SqliteException e) when (SqliteFailures.IsUnavailable(e))
            {
                throw SqliteFailures.Unavailable(Path, e);
            }
        }
    }

    /// <inheritdoc/>
    public Task<RuntimeStatistics> GetRuntimeStatisticsAsync(string name, DateTimeOffset since, DateTimeOffset until, string? hostname = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RunValidation.ScriptName(name, nameof(name));
        if (hostname is not null)
        {
            RunValidation.Hostname(hostname, nameof(hostname));
        }

        RunValidation.Window(since, until, nameof(until));
        lock (_gate)
        {
            try
            {
                using var command = _connection.CreateCommand();
                command.CommandText =
                    "SELECT completed_at - started_at FROM runs WHERE script_name = $name AND outcome = 1 AND started_at >= $since AND started_at < $until"
                    + (hostname is null ? string.Empty : " AND hostname = $host");
                command.Parameters.AddWithValue("$name", name);
                command.Parameters.AddWithValue("$since", Timestamps.ToUnixMicroseconds(since));
                command.Parameters.AddWithValue("$until", Timestamps.ToUnixMicroseconds(until));
                if (hostname is not null)
                {
                    command.Parameters.AddWithValue("$host", hostname);
                }

                var durations = new List<TimeSpan>();
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    durations.Add(TimeSpan.FromMicroseconds(reader.GetInt64(0)));
                }

                return Task.FromResult(RuntimeStatistics.Of(durations));
            }
            catch (SqliteException e) when (SqliteFailures.IsUnavailable(e))
            {
                throw SqliteFailures.Unavailable(Path, e);
            }
        }
    }

    /// <inheritdoc/>
    public Task<long> PruneAsync(DateTimeOffset olderThan, int keepLast = 0, CancellationToken cancellationToken = default)
    {
        RunValidation.KeepLast(keepLast, nameof(keepLast));
        List<long> candidates;
        lock (_gate)
        {
            try
            {
                using var command = _connection.CreateCommand();
                // Chosen once from one snapshot: later runs only push these further from "newest" and "last success",
                // so deleting them batch by batch stays within the rules.
                command.CommandText = """
                    SELECT id FROM (
                        SELECT id, started_at, outcome,
                               ROW_NUMBER() OVER (PARTITION BY script_name ORDER BY started_at DESC, id DESC) AS newest_rank,
                               ROW_NUMBER() OVER (PARTITION BY script_name, outcome ORDER BY started_at DESC, id DESC) AS outcome_rank
                        FROM runs)
                    WHERE started_at < $cutoff AND outcome <> 0 AND newest_rank > $keep AND NOT (outcome = 1 AND outcome_rank = 1)
                    """;
                command.Parameters.AddWithValue("$cutoff", Timestamps.ToUnixMicroseconds(olderThan));
                command.Parameters.AddWithValue("$keep", keepLast);
                candidates = [];
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    candidates.Add(reader.GetInt64(0));
                }
            }
            catch (SqliteException e) when (SqliteFailures.IsUnavailable(e))
            {
                throw SqliteFailures.Unavailable(Path, e);
            }
        }

        long deleted = 0;
        foreach (var batch in candidates.Chunk(PruneBatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (_gate)
            {
                try
                {
                    using var transaction = _connection.BeginTransaction(deferred: false);
                    using var command = _connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = "DELETE FROM runs WHERE id IN (SELECT value FROM json_each($ids))";
                    command.Parameters.AddWithValue("$ids", "[" + string.Join(',', batch) + "]");
                    deleted += command.ExecuteNonQuery();
                    transaction.Commit();
                }
                catch (SqliteException e) when (SqliteFailures.IsUnavailable(e))
                {
                    throw SqliteFailures.Unavailable(Path, e);
                }
            }
        }

        lock (_gate)
        {
            try
            {
                using var command = _connection.CreateCommand();
                command.CommandText = "DELETE FROM skips WHERE skipped_at < $cutoff";
                command.Parameters.AddWithValue("$cutoff", Timestamps.ToUnixMicroseconds(olderThan));
                command.ExecuteNonQuery();
            }
            catch (SqliteException e) when (SqliteFailures.IsUnavailable(e))
            {
                throw SqliteFailures.Unavailable(Path, e);
            }
        }

        return Task.FromResult(deleted);
    }

    /// <inheritdoc/>
    public Task<StoreInfo> GetInfoAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            try
            {
                var version = SqliteSchema.CurrentVersion(_connection);
                var runs = Scalar("SELECT COUNT(*) FROM runs");
                var scripts = Scalar("SELECT COUNT(*) FROM scripts");
                var size = new[] { Path, Path + "-wal" }.Where(File.Exists).Sum(file => new FileInfo(file).Length);
                return Task.FromResult(new StoreInfo(Description, version, SqliteSchema.LatestVersion, size, runs, scripts));
            }
            catch (SqliteException e) when (SqliteFailures.IsUnavailable(e))
            {
                throw SqliteFailures.Unavailable(Path, e);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var command in new[] { _addScript, _insertRun, _lastRunWithOutcome, _runById, _lastSuccessOnHost })
            {
                command.Dispose();
            }

            _recentRunsStatement?.Dispose();
            _connection.Dispose();
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// SQLite's busy handler waits up to the busy timeout for a lock; Microsoft.Data.Sqlite then retries a busy
    /// statement until its own command timeout has passed, each retry waiting the busy timeout again. Its timeout is
    /// kept at the smallest it takes (one second), so that the two never add up and the busy timeout is the bound.
    /// </summary>
    private static string ConnectionString(string dataSource, SqliteOpenMode mode) => new SqliteConnectionStringBuilder
    {
        DataSource = dataSource,
        Mode = mode,
        Pooling = false,
        DefaultTimeout = DriverRetrySeconds,
    }.ToString();

    /// <summary>
    /// A read-only connection whose identity has been read. A database in WAL mode needs its shared-memory file
    /// (<c>-shm</c>) to be read; when that is missing and cannot be created (a directory this user may not write) but
    /// there is no write-ahead log to read either, every row is in the file itself, and it is opened as immutable:
    /// SQLite then reads it without the shared memory and without locks, and creates nothing.
    /// </summary>
    private static SqliteConnection OpenForReading(string fullPath, SqliteStoreOptions options, out SqliteStoreIdentity.Kind kind, out int version, out string? foreign)
    {
        try
        {
            return Connect(ConnectionString(fullPath, SqliteOpenMode.ReadOnly), options, out kind, out version, out foreign);
        }
        catch (SqliteException e) when (CannotMapSharedMemory(e) && !File.Exists(fullPath + "-shm") && !HasWriteAheadLog(fullPath))
        {
            try
            {
                return Connect(ConnectionString(ImmutableUri(fullPath), SqliteOpenMode.ReadOnly), options, out kind, out version, out foreign);
            }
            catch (SqliteException again) when (SqliteFailures.IsUnavailable(again))
            {
                throw SqliteFailures.Unavailable(fullPath, again);
            }
        }
        catch (SqliteException e) when (CannotMapSharedMemory(e) && !File.Exists(fullPath + "-shm"))
        {
            throw SqliteFile.Unusable(
                fullPath,
                $"it is in WAL mode and its shared-memory file {fullPath}-shm is missing, and the user {Environment.UserName} may not create it in {System.IO.Path.GetDirectoryName(fullPath)}; any scriptmon command that writes (such as 'scriptmon db migrate'), run by the store's owner, creates it again",
                e);
        }
        catch (SqliteException e) when (SqliteFailures.IsUnavailable(e))
        {
            throw SqliteFailures.Unavailable(fullPath, e);
        }
    }

    private static SqliteConnection Connect(string connectionString, SqliteStoreOptions options, out SqliteStoreIdentity.Kind kind, out int version, out string? foreign)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            Execute(connection, FormattableString.Invariant($"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}"));
            kind = SqliteStoreIdentity.Read(connection, out version, out foreign);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// How a read-only connection fails when a WAL database's shared memory cannot be set up: SQLITE_CANTOPEN when
    /// the -shm file cannot be created, SQLITE_READONLY (its CANTINIT and DIRECTORY variants) when nothing may be.
    /// </summary>
    private static bool CannotMapSharedMemory(SqliteException e) => (e.SqliteErrorCode & 0xFF) is SqliteCantOpen or SqliteReadOnly;

    private static bool HasWriteAheadLog(string fullPath) =>
        new FileInfo(fullPath + "-wal") is { Exists: true, Length: > 0 };

    /// <summary>A <c>file:</c> URI with <c>immutable=1</c>; '%', '?' and '#' would end or change the path part, so they are escaped.</summary>
    private static string ImmutableUri(string fullPath) =>
        "file:" + fullPath.Replace("%", "%25", StringComparison.Ordinal).Replace("?", "%3F", StringComparison.Ordinal).Replace("#", "%23", StringComparison.Ordinal) + "?immutable=1";

    /// <summary>
    /// By default the last connection to close checkpoints the write-ahead log into the database and deletes it,
    /// which costs a short-lived writer (one <c>scriptmon exec</c>) several extra flushes to disk and the log's
    /// re-creation on the next open. The log is checkpointed anyway once it grows past SQLite's auto-checkpoint
    /// size, and readers see its contents, so leaving it in place loses nothing.
    /// </summary>
    private static void KeepWriteAheadLogOnClose(SqliteConnection connection) =>
        SQLitePCL.raw.sqlite3_db_config(connection.Handle, SQLitePCL.raw.SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, out _);

    /// <summary>
    /// Copies the write-ahead log into the database and empties it when it has grown past <paramref name="limit"/>
    /// (see <see cref="SqliteStoreOptions.WriteAheadLogLimit"/>). A reader still using it makes SQLite leave it as it is
    /// for this time, which is harmless: the next writer tries again.
    /// </summary>
    private static void TruncateLongWriteAheadLog(SqliteConnection connection, string fullPath, long limit)
    {
        var log = new FileInfo(fullPath + "-wal");
        if (log.Exists && log.Length > limit)
        {
            Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    /// <summary>The WHERE clause of a <see cref="RunQuery"/>, with its parameters: shared by listing and counting runs.</summary>
    private static void AppendRunFilter(System.Text.StringBuilder sql, SqliteCommand command, RunQuery query)
    {
        sql.Append(" WHERE script_name = $name");
        command.Parameters.AddWithValue("$name", query.ScriptName);
        if (query.Hostname is not null)
        {
            sql.Append(" AND hostname = $host");
            command.Parameters.AddWithValue("$host", query.Hostname);
        }

        if (query.Since is { } since)
        {
            sql.Append(" AND started_at >= $since");
            command.Parameters.AddWithValue("$since", Timestamps.ToUnixMicroseconds(since));
        }

        if (query.Until is { } until)
        {
            sql.Append(" AND started_at < $until");
            command.Parameters.AddWithValue("$until", Timestamps.ToUnixMicroseconds(until));
        }

        if (query.Outcome is { } outcome)
        {
            sql.Append(" AND outcome = $outcome");
            command.Parameters.AddWithValue("$outcome", (int)outcome);
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static ScriptRun ReadRun(SqliteDataReader reader) => new(
        new Guid(reader.GetFieldValue<byte[]>(0)),
        reader.GetString(1),
        reader.GetString(2),
        Timestamps.FromUnixMicroseconds(reader.GetInt64(3)),
        reader.IsDBNull(4) ? null : Timestamps.FromUnixMicroseconds(reader.GetInt64(4)),
        (RunOutcome)reader.GetInt32(5),
        reader.IsDBNull(6) ? null : reader.GetInt32(6),
        reader.IsDBNull(7) ? null : reader.GetString(7))
    {
        Runner = reader.IsDBNull(8) ? null : new RunnerProcess(reader.GetString(8), reader.GetInt32(9), reader.GetInt64(10), reader.GetString(11)),
    };

    private static List<ScriptRun> ReadRuns(SqliteCommand command)
    {
        var runs = new List<ScriptRun>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            runs.Add(ReadRun(reader));
        }

        return runs;
    }

    private SqliteCommand Prepare(string sql, params string[] parameterNames)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameterNames)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private void InsertRun(ScriptRun run)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var transaction = _connection.BeginTransaction(deferred: false);
        InsertRun(run, transaction);
        transaction.Commit();
    }

    private void InsertRun(ScriptRun run, SqliteTransaction transaction)
    {
        _addScript.Transaction = transaction;
        _addScript.Parameters[0].Value = run.ScriptName;
        _addScript.ExecuteNonQuery();

        var p = _insertRun.Parameters;
        _insertRun.Transaction = transaction;
        p[0].Value = run.RunId.ToByteArray();
        p[1].Value = run.ScriptName;
        p[2].Value = run.Hostname;
        p[3].Value = Timestamps.ToUnixMicroseconds(run.StartedAt);
        p[4].Value = run.CompletedAt is { } completed ? Timestamps.ToUnixMicroseconds(completed) : DBNull.Value;
        p[5].Value = (int)run.Outcome;
        p[6].Value = run.ExitCode is { } exitCode ? exitCode : DBNull.Value;
        p[7].Value = run.Output is { } output ? output : DBNull.Value;
        var runner = run.Runner;
        p[8].Value = runner is null ? DBNull.Value : runner.BootId;
        p[9].Value = runner is null ? DBNull.Value : runner.ProcessId;
        p[10].Value = runner is null ? DBNull.Value : runner.StartTime;
        p[11].Value = runner is null ? DBNull.Value : runner.PidNamespace;
        _insertRun.ExecuteNonQuery();
    }

    private void UpdateCompletion(ScriptRun run, SqliteTransaction transaction)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE runs SET completed_at = $completed, outcome = $outcome, exit_code = $exit_code, output = $output WHERE run_id = $run_id";
        command.Parameters.AddWithValue("$completed", Timestamps.ToUnixMicroseconds(run.CompletedAt!.Value));
        command.Parameters.AddWithValue("$outcome", (int)run.Outcome);
        command.Parameters.AddWithValue("$exit_code", run.ExitCode is { } exitCode ? exitCode : DBNull.Value);
        command.Parameters.AddWithValue("$output", run.Output is { } output ? output : DBNull.Value);
        command.Parameters.AddWithValue("$run_id", run.RunId.ToByteArray());
        command.ExecuteNonQuery();
    }

    private ScriptRun? LastRunWithOutcome(string name, RunOutcome outcome)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _lastRunWithOutcome.Transaction = null;
        _lastRunWithOutcome.Parameters[0].Value = name;
        _lastRunWithOutcome.Parameters[1].Value = (int)outcome;
        using var reader = _lastRunWithOutcome.ExecuteReader();
        return reader.Read() ? ReadRun(reader) : null;
    }

    private ScriptRun? RunById(Guid runId, SqliteTransaction transaction)
    {
        _runById.Transaction = transaction;
        _runById.Parameters[0].Value = runId.ToByteArray();
        using var reader = _runById.ExecuteReader();
        return reader.Read() ? ReadRun(reader) : null;
    }

    private long Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}

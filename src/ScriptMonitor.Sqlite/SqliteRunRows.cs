using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using ScriptMonitor.Runs;
using ScriptMonitor.Stores;
using static ScriptMonitor.Sqlite.SqliteRows;

namespace ScriptMonitor.Sqlite;

/// <summary>
/// The SQL of runs and skip events in the SQLite file; a write is one immediate transaction, which also moves the
/// script up the change feed (<see cref="SqliteChangeFeed"/>).
/// </summary>
internal sealed class SqliteRunRows : IRunRows
{
    /// <summary>Rows deleted per prune transaction: small enough that a waiting writer never notices.</summary>
    private const int PruneBatchSize = 2_000;

    private readonly SqliteSession _session;
    private readonly SqliteChangeFeed _feed;
    private readonly SqliteCommand _addScript;
    private readonly SqliteCommand _addScripts;
    private readonly SqliteCommand _insertRun;
    private readonly SqliteCommand _insertNewRun;
    private readonly SqliteCommand _lastRunWithOutcome;
    private readonly SqliteCommand _runById;
    private readonly SqliteCommand _updateCompletion;

    internal SqliteRunRows(SqliteSession session)
    {
        _session = session;
        _feed = new SqliteChangeFeed(session);
        _addScript = session.Prepare("INSERT OR IGNORE INTO scripts (name) VALUES ($name)", "$name");
        _addScripts = session.Prepare("INSERT OR IGNORE INTO scripts (name) SELECT value FROM json_each($names)", "$names");
        const string InsertRunSql = $"INSERT INTO runs ({RunColumns}) VALUES ($run_id, $name, $host, $started, $completed, $outcome, $exit_code, $output, $boot_id, $pid, $pid_started, $pid_ns, $received, $skew, $delivery, $unknown)";
        string[] runParameters = ["$run_id", "$name", "$host", "$started", "$completed", "$outcome", "$exit_code", "$output", "$boot_id", "$pid", "$pid_started", "$pid_ns", "$received", "$skew", "$delivery", "$unknown"];
        _insertRun = session.Prepare(InsertRunSql, runParameters);
        _insertNewRun = session.Prepare(InsertRunSql + " ON CONFLICT (run_id) DO NOTHING", runParameters);
        _updateCompletion = session.Prepare(
            """
            UPDATE runs SET completed_at = $completed, outcome = $outcome, exit_code = $exit_code, output = $output,
                received_at = coalesce($received, received_at), clock_skew = coalesce($skew, clock_skew), delivery = coalesce($delivery, delivery)
            WHERE run_id = $run_id
            """,
            "$completed", "$outcome", "$exit_code", "$output", "$received", "$skew", "$delivery", "$run_id");
        _lastRunWithOutcome = session.Prepare(
            $"SELECT {RunColumns} FROM runs WHERE script_name = $name AND outcome = $outcome ORDER BY started_at DESC, id DESC LIMIT 1",
            "$name", "$outcome");
        _runById = session.Prepare($"SELECT {RunColumns} FROM runs WHERE run_id = $run_id", "$run_id");
    }

    public bool Insert(ScriptRun run)
    {
        try
        {
            return _session.InTransaction(write: true, transaction =>
            {
                InsertRun(run, transaction);
                return true;
            });
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteFailures.Constraint)
        {
            // The only constraint a checked run can break is the unique run id; the transaction rolled back whole.
            return false;
        }
    }

    public Task<bool> InsertAsync(ScriptRun run, CancellationToken cancellationToken) => Task.FromResult(Insert(run));

    public Task<ScriptRun> CompleteAsync(Guid runId, RunCompletion completion, CancellationToken cancellationToken) =>
        Task.FromResult(_session.InTransaction(write: true, transaction =>
        {
            var done = RunLifecycle.Complete(runId, RunById(runId, transaction), completion);
            UpdateCompletion(done, transaction);
            _feed.Bump(done.ScriptName, transaction);
            return done;
        }));

    public Task<IReadOnlyList<RunImportResult>> ImportAsync(IReadOnlyList<ScriptRun> runs, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RunImportResult>>(_session.InTransaction(write: true, transaction =>
        {
            // One immediate transaction holds the file's write lock: no other writer can slip in between a read and
            // its write, and a run earlier in the batch is read back like any stored one.
            var results = new RunImportResult[runs.Count];

            // A batch holds many runs of few scripts: its scripts are added, and moved up the feed, once per batch
            // and each in one statement, rather than once per run.
            var added = new HashSet<string>(StringComparer.Ordinal);
            var changed = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < runs.Count; i++)
            {
                // Most runs are new: inserted in one statement, and only an id already taken is read and judged.
                var run = runs[i];
                if (Execute(_insertNewRun, run, transaction) > 0)
                {
                    added.Add(run.ScriptName);
                    changed.Add(run.ScriptName);
                    results[i] = new RunImportResult(run.RunId, RunImportStatus.Stored);
                    continue;
                }

                results[i] = RunLifecycle.Judge(RunById(run.RunId, transaction), run);
                if (results[i].Status == RunImportStatus.Stored)
                {
                    UpdateCompletion(run, transaction);
                    changed.Add(run.ScriptName);
                }
            }

            if (added.Count > 0)
            {
                _addScripts.Transaction = transaction;
                _addScripts.Parameters[0].Value = JsonArray(added);
                _addScripts.ExecuteNonQuery();
            }

            if (changed.Count > 0)
            {
                _feed.Bump(changed, transaction);
            }

            return results;
        }));

    public Task<bool> AbandonAsync(Guid runId, DateTimeOffset abandonedAt, string reason, CancellationToken cancellationToken) =>
        Task.FromResult(_session.InTransaction(write: true, transaction =>
        {
            if (RunLifecycle.Abandon(runId, RunById(runId, transaction), abandonedAt, reason) is not { } abandoned)
            {
                return false;
            }

            UpdateCompletion(abandoned, transaction);
            _feed.Bump(abandoned.ScriptName, transaction);
            return true;
        }));

    public ScriptRun? LastRun(string scriptName, RunOutcome outcome) => _session.Use(_ =>
    {
        _lastRunWithOutcome.Transaction = null;
        _lastRunWithOutcome.Parameters[0].Value = scriptName;
        _lastRunWithOutcome.Parameters[1].Value = (int)outcome;
        return SingleRun(_lastRunWithOutcome);
    });

    public Task<ScriptRun?> LastRunAsync(string scriptName, RunOutcome outcome, CancellationToken cancellationToken) =>
        Task.FromResult(LastRun(scriptName, outcome));

    public Task<ScriptRun?> GetAsync(Guid runId, CancellationToken cancellationToken) =>
        Task.FromResult(_session.Use(_ =>
        {
            _runById.Transaction = null;
            _runById.Parameters[0].Value = runId.ToByteArray();
            return SingleRun(_runById);
        }));

    public Task<IReadOnlyList<ScriptRun>> ListAsync(RunQuery query, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ScriptRun>>(_session.Use(_ =>
        {
            using var command = _session.Command(string.Empty);
            var sql = new StringBuilder($"SELECT {RunColumns} FROM runs");
            AppendRunFilter(sql, command, query);
            sql.Append(" ORDER BY started_at DESC, id DESC LIMIT $limit OFFSET $offset");
            command.Parameters.AddWithValue("$limit", query.Limit);
            command.Parameters.AddWithValue("$offset", query.Offset);
            command.CommandText = sql.ToString();
            return AllRuns(command);
        }));

    public Task<long> CountAsync(RunQuery query, CancellationToken cancellationToken) =>
        Task.FromResult(_session.Use(_ =>
        {
            using var command = _session.Command(string.Empty);
            var sql = new StringBuilder("SELECT COUNT(*) FROM runs");
            AppendRunFilter(sql, command, query);
            command.CommandText = sql.ToString();
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }));

    public Task<IReadOnlyList<ScriptRun>> ListRunningAsync(string? hostname, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ScriptRun>>(_session.Use(_ =>
        {
            using var command = _session.Command(
                $"SELECT {RunColumns} FROM runs WHERE outcome = {(int)RunOutcome.Running}"
                + (hostname is null ? string.Empty : " AND hostname = $host")
                + " ORDER BY started_at, id");
            if (hostname is not null)
            {
                command.Parameters.AddWithValue("$host", hostname);
            }

            return AllRuns(command);
        }));

    public Task<bool> InsertSkipAsync(ScriptSkip skip, CancellationToken cancellationToken) =>
        Task.FromResult(_session.InTransaction(write: true, transaction =>
        {
            AddScript(skip.ScriptName, transaction);
            using var command = _session.Command("INSERT OR IGNORE INTO skips (event_id, script_name, hostname, skipped_at, holder) VALUES ($id, $name, $host, $at, $holder)", transaction);
            command.Parameters.AddWithValue("$id", skip.EventId.ToByteArray());
            command.Parameters.AddWithValue("$name", skip.ScriptName);
            command.Parameters.AddWithValue("$host", skip.Hostname);
            command.Parameters.AddWithValue("$at", Timestamps.ToUnixMicroseconds(skip.SkippedAt));
            command.Parameters.AddWithValue("$holder", skip.Holder);
            if (command.ExecuteNonQuery() == 0)
            {
                return false;
            }

            _feed.Bump(skip.ScriptName, transaction);
            return true;
        }));

    public Task<IReadOnlyList<ScriptSkip>> ListSkipsAsync(string scriptName, DateTimeOffset? since, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ScriptSkip>>(_session.Use(_ =>
        {
            using var command = _session.Command(
                $"SELECT {SkipColumns} FROM skips WHERE script_name = $name"
                + (since is null ? string.Empty : " AND skipped_at >= $since")
                + " ORDER BY skipped_at DESC, id DESC LIMIT $limit");
            command.Parameters.AddWithValue("$name", scriptName);
            command.Parameters.AddWithValue("$limit", limit);
            if (since is { } from)
            {
                command.Parameters.AddWithValue("$since", Timestamps.ToUnixMicroseconds(from));
            }

            var skips = new List<ScriptSkip>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                skips.Add(Skip(reader));
            }

            return skips;
        }));

    public Task<IReadOnlyList<TimeSpan>> RuntimesAsync(string scriptName, DateTimeOffset since, DateTimeOffset until, string? hostname, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<TimeSpan>>(_session.Use(_ =>
        {
            using var command = _session.Command(
                $"SELECT completed_at - started_at FROM runs WHERE script_name = $name AND outcome = {(int)RunOutcome.Succeeded} AND duration_unknown = 0 AND started_at >= $since AND started_at < $until"
                + (hostname is null ? string.Empty : " AND hostname = $host"));
            command.Parameters.AddWithValue("$name", scriptName);
            command.Parameters.AddWithValue("$since", Timestamps.ToUnixMicroseconds(since));
            command.Parameters.AddWithValue("$until", Timestamps.ToUnixMicroseconds(until));
            if (hostname is not null)
            {
                command.Parameters.AddWithValue("$host", hostname);
            }

            var runtimes = new List<TimeSpan>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                runtimes.Add(FromMicroseconds(reader.GetInt64(0)));
            }

            return runtimes;
        }));

    public Task<long> PruneAsync(DateTimeOffset olderThan, int keepLast, CancellationToken cancellationToken)
    {
        var cutoff = Timestamps.ToUnixMicroseconds(olderThan);

        // The candidates come from one instant, read on a connection of its own: the scan of the whole table (seconds
        // at a million runs) holds up no recording. Runs recorded since only push them further from "newest", and
        // nothing but a prune deletes a run, so "not among the newest N" stays true. "Not the last success" may not: a
        // late completion can turn an abandoned candidate into its script's newest success, so each batch checks that
        // again as it deletes, in the same transaction. In row order, so that each batch deletes neighbouring rows and
        // touches as few pages as it can.
        var (runs, skips) = _session.ReadAside(transaction =>
        {
            using var runCommand = transaction.Connection!.CreateCommand();
            runCommand.Transaction = transaction;
            runCommand.CommandText = $"""
                SELECT id FROM (
                    SELECT id, started_at, outcome,
                           ROW_NUMBER() OVER (PARTITION BY script_name ORDER BY started_at DESC, id DESC) AS newest_rank,
                           ROW_NUMBER() OVER (PARTITION BY script_name, outcome ORDER BY started_at DESC, id DESC) AS outcome_rank
                    FROM runs)
                WHERE started_at < $cutoff AND outcome <> {(int)RunOutcome.Running} AND newest_rank > $keep
                  AND NOT (outcome = {(int)RunOutcome.Succeeded} AND outcome_rank = 1)
                ORDER BY id
                """;
            runCommand.Parameters.AddWithValue("$cutoff", cutoff);
            runCommand.Parameters.AddWithValue("$keep", keepLast);
            using var skipCommand = transaction.Connection!.CreateCommand();
            skipCommand.Transaction = transaction;
            skipCommand.CommandText = "SELECT id FROM skips WHERE skipped_at < $cutoff";
            skipCommand.Parameters.AddWithValue("$cutoff", cutoff);
            return (Ids(runCommand), Ids(skipCommand));
        });

        long deleted = 0;
        foreach (var batch in runs.Chunk(PruneBatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            deleted += DeleteBatch(
                $"""
                DELETE FROM runs WHERE id IN (SELECT value FROM json_each($ids))
                  AND started_at < $cutoff AND outcome <> {(int)RunOutcome.Running}
                  AND (outcome <> {(int)RunOutcome.Succeeded} OR EXISTS (
                      SELECT 1 FROM runs AS newer
                      WHERE newer.script_name = runs.script_name AND newer.outcome = {(int)RunOutcome.Succeeded}
                        AND newer.started_at >= runs.started_at AND (newer.started_at > runs.started_at OR newer.id > runs.id)))
                """,
                batch,
                cutoff);
        }

        foreach (var batch in skips.Chunk(PruneBatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            DeleteBatch("DELETE FROM skips WHERE id IN (SELECT value FROM json_each($ids)) AND skipped_at < $cutoff", batch, cutoff);
        }

        // A script's events (Healthchecks' /log) go at the age its runs go, in batches like the skips.
        var events = _session.ReadAside(transaction =>
        {
            using var command = transaction.Connection!.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT id FROM script_events WHERE at < $cutoff";
            command.Parameters.AddWithValue("$cutoff", cutoff);
            return Ids(command);
        });
        foreach (var batch in events.Chunk(PruneBatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            DeleteBatch("DELETE FROM script_events WHERE id IN (SELECT value FROM json_each($ids)) AND at < $cutoff", batch, cutoff);
        }

        return Task.FromResult(deleted);
    }

    public Task<long> PruneOutputAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        // Window by window of row ids, each its own short write transaction: the connection is never held for a scan
        // of the whole table, so recording a run waits at most for one window.
        var (first, last) = _session.Use(_ =>
        {
            using var command = _session.Command("SELECT coalesce(min(id), 0), coalesce(max(id), 0) FROM runs");
            using var reader = command.ExecuteReader();
            reader.Read();
            return (reader.GetInt64(0), reader.GetInt64(1));
        });

        long cleared = 0;
        var cutoff = Timestamps.ToUnixMicroseconds(olderThan);
        for (var from = first; from <= last && last > 0; from += PruneBatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            cleared += _session.InTransaction(write: true, transaction =>
            {
                using var command = _session.Command(
                    $"UPDATE runs SET output = NULL WHERE id >= $from AND id < $to AND started_at < $cutoff AND outcome <> {(int)RunOutcome.Running} AND output IS NOT NULL",
                    transaction);
                command.Parameters.AddWithValue("$from", from);
                command.Parameters.AddWithValue("$to", from + PruneBatchSize);
                command.Parameters.AddWithValue("$cutoff", cutoff);
                return command.ExecuteNonQuery();
            });
        }

        return Task.FromResult(cleared);
    }

    /// <summary>Every row id a query returns, in one list.</summary>
    private static List<long> Ids(SqliteCommand command)
    {
        var ids = new List<long>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    /// <summary>The WHERE clause of a <see cref="RunQuery"/>, with its parameters: shared by listing and counting runs.</summary>
    private static void AppendRunFilter(StringBuilder sql, SqliteCommand command, RunQuery query)
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

    /// <summary>One batch of a prune, in its own short write transaction: the longest any recording waits for it.</summary>
    private int DeleteBatch(string sql, long[] ids, long cutoff) =>
        _session.InTransaction(write: true, transaction =>
        {
            using var command = _session.Command(sql, transaction);
            command.Parameters.AddWithValue("$ids", "[" + string.Join(',', ids) + "]");
            command.Parameters.AddWithValue("$cutoff", cutoff);
            return command.ExecuteNonQuery();
        });

    private void AddScript(string scriptName, SqliteTransaction transaction)
    {
        _addScript.Transaction = transaction;
        _addScript.Parameters[0].Value = scriptName;
        _addScript.ExecuteNonQuery();
    }

    private void InsertRun(ScriptRun run, SqliteTransaction transaction)
    {
        AddScript(run.ScriptName, transaction);
        Execute(_insertRun, run, transaction);
        _feed.Bump(run.ScriptName, transaction);
    }

    /// <summary>Runs one of the prepared inserts of a whole run; how many rows it inserted.</summary>
    private static int Execute(SqliteCommand insert, ScriptRun run, SqliteTransaction transaction)
    {
        var p = insert.Parameters;
        insert.Transaction = transaction;
        p[0].Value = run.RunId.ToByteArray();
        p[1].Value = run.ScriptName;
        p[2].Value = run.Hostname;
        p[3].Value = Timestamps.ToUnixMicroseconds(run.StartedAt);
        p[4].Value = run.CompletedAt is { } completed ? Timestamps.ToUnixMicroseconds(completed) : DBNull.Value;
        p[5].Value = (int)run.Outcome;
        p[6].Value = OrNull(run.ExitCode);
        p[7].Value = OrNull(run.Output);
        p[8].Value = OrNull(run.Runner?.BootId);
        p[9].Value = OrNull(run.Runner?.ProcessId);
        p[10].Value = OrNull(run.Runner?.StartTime);
        p[11].Value = OrNull(run.Runner?.PidNamespace);
        p[12].Value = run.Arrival is { } arrival ? Timestamps.ToUnixMicroseconds(arrival.ReceivedAt) : DBNull.Value;
        p[13].Value = run.Arrival is { } skewed ? (skewed.ClockSkew ? 1 : 0) : DBNull.Value;
        p[14].Value = run.Arrival is { } delivered ? DeliveryText(delivered.Delivery) : DBNull.Value;
        p[15].Value = run.DurationUnknown ? 1 : 0;
        return insert.ExecuteNonQuery();
    }

    /// <summary>Writes a run's end; an arrival, where the run has one, replaces the stored one (a completion arrives after its start).</summary>
    private void UpdateCompletion(ScriptRun run, SqliteTransaction transaction)
    {
        var p = _updateCompletion.Parameters;
        _updateCompletion.Transaction = transaction;
        p[0].Value = Timestamps.ToUnixMicroseconds(run.CompletedAt!.Value);
        p[1].Value = (int)run.Outcome;
        p[2].Value = OrNull(run.ExitCode);
        p[3].Value = OrNull(run.Output);
        p[4].Value = run.Arrival is { } arrival ? Timestamps.ToUnixMicroseconds(arrival.ReceivedAt) : DBNull.Value;
        p[5].Value = run.Arrival is { } skewed ? (skewed.ClockSkew ? 1 : 0) : DBNull.Value;
        p[6].Value = run.Arrival is { } delivered ? DeliveryText(delivered.Delivery) : DBNull.Value;
        p[7].Value = run.RunId.ToByteArray();
        _updateCompletion.ExecuteNonQuery();
    }

    private ScriptRun? RunById(Guid runId, SqliteTransaction transaction)
    {
        _runById.Transaction = transaction;
        _runById.Parameters[0].Value = runId.ToByteArray();
        return SingleRun(_runById);
    }
}

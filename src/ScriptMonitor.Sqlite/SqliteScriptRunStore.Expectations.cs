using Microsoft.Data.Sqlite;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;
using SQLitePCL;

namespace ScriptMonitor.Sqlite;

/// <summary>Expectations and the bulk history read of the health evaluation.</summary>
public sealed partial class SqliteScriptRunStore
{
    private const string ExpectationColumns =
        "script_name, period_us, cron, time_zone, grace_us, min_runtime_us, max_runtime_us, host_mode, hosts, min_hosts, failures_tolerated, paused, paused_until, tags, abandon_after_us, skips_before_alert";

    /// <summary>Served by the covering index runs_history: a backwards walk of one script's newest entries, no table reads.</summary>
    private const string RecentRunsRawSql =
        "SELECT hostname, started_at, completed_at, outcome, exit_code FROM runs WHERE script_name = ?1 ORDER BY started_at DESC LIMIT ?2";

    private const string LastSuccessOnHostSql =
        "SELECT hostname, started_at, completed_at, outcome, exit_code FROM runs WHERE script_name = $name AND hostname = $host AND outcome = 1 ORDER BY started_at DESC LIMIT 1";

    private sqlite3_stmt? _recentRunsStatement;
    private byte[] _lastHostBytes = [];
    private string _lastHost = string.Empty;

    /// <summary>Hosts and tags are joined with a character names may not contain.</summary>
    private const char ListSeparator = '\n';

    /// <inheritdoc/>
    public Task<bool> SetExpectationAsync(ScriptExpectation expectation, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var valid = ExpectationValidation.Validate(expectation);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _connection.BeginTransaction(deferred: false);
            // A stored row this version cannot read (written by another version, or by hand) is replaced like any other.
            if (ReadExpectationOrNull(valid.ScriptName, transaction) is { } stored && stored.Equals(valid))
            {
                return Task.FromResult(false);
            }

            using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText =
                $"INSERT OR REPLACE INTO expectations ({ExpectationColumns}, updated_at) VALUES ($name, $period, $cron, $zone, $grace, $min, $max, $mode, $hosts, $min_hosts, $failures, $paused, $until, $tags, $abandon_after, $skips, $updated)";
            var (period, cron, zone) = valid.Schedule switch
            {
                PeriodSchedule p => ((object)Microseconds(p.Period), (object)DBNull.Value, (object)DBNull.Value),
                CronSchedule c => (DBNull.Value, c.Expression, c.TimeZone),
                _ => (DBNull.Value, DBNull.Value, DBNull.Value),
            };
            command.Parameters.AddWithValue("$name", valid.ScriptName);
            command.Parameters.AddWithValue("$period", period);
            command.Parameters.AddWithValue("$cron", cron);
            command.Parameters.AddWithValue("$zone", zone);
            command.Parameters.AddWithValue("$grace", Microseconds(valid.Grace));
            command.Parameters.AddWithValue("$min", valid.MinRuntime is { } min ? Microseconds(min) : DBNull.Value);
            command.Parameters.AddWithValue("$max", valid.MaxRuntime is { } max ? Microseconds(max) : DBNull.Value);
            command.Parameters.AddWithValue("$mode", (int)valid.Hosts.Mode);
            command.Parameters.AddWithValue("$hosts", string.Join(ListSeparator, valid.Hosts.Hosts));
            command.Parameters.AddWithValue("$min_hosts", valid.Hosts.MinimumCount);
            command.Parameters.AddWithValue("$failures", valid.FailuresTolerated);
            command.Parameters.AddWithValue("$paused", valid.Paused ? 1 : 0);
            command.Parameters.AddWithValue("$until", valid.PausedUntil is { } until ? Timestamps.ToUnixMicroseconds(until) : DBNull.Value);
            command.Parameters.AddWithValue("$tags", string.Join(ListSeparator, valid.Tags));
            command.Parameters.AddWithValue("$abandon_after", valid.AbandonAfter is { } abandonAfter ? Microseconds(abandonAfter) : DBNull.Value);
            command.Parameters.AddWithValue("$skips", valid.SkipsBeforeAlert);
            command.Parameters.AddWithValue("$updated", Timestamps.ToUnixMicroseconds(_timeProvider.GetUtcNow()));
            command.ExecuteNonQuery();
            transaction.Commit();
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public Task<ScriptExpectation?> GetExpectationAsync(string scriptName, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RunValidation.ScriptName(scriptName, nameof(scriptName));
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Task.FromResult(ReadExpectation(scriptName, transaction: null));
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ScriptExpectation>> ListExpectationsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return Task.FromResult<IReadOnlyList<ScriptExpectation>>(ReadExpectations(null, null).Values.ToList());
        }
    }

    /// <inheritdoc/>
    public Task<bool> RemoveExpectationAsync(string scriptName, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RunValidation.ScriptName(scriptName, nameof(scriptName));
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var command = _connection.CreateCommand();
            command.CommandText = "DELETE FROM expectations WHERE script_name = $name";
            command.Parameters.AddWithValue("$name", scriptName);
            return Task.FromResult(command.ExecuteNonQuery() > 0);
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ScriptSnapshot>> ReadSnapshotsAsync(IReadOnlyCollection<string>? scriptNames = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (scriptNames is not null)
        {
            foreach (var name in scriptNames)
            {
                RunValidation.ScriptName(name, nameof(scriptNames));
            }
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);

            // One read transaction, so that the expectations and every script's runs are of one instant.
            using var transaction = _connection.BeginTransaction(deferred: true);
            var problems = new Dictionary<string, string>(StringComparer.Ordinal);
            var expectations = ReadExpectations(scriptNames, transaction, problems);
            var names = new SortedSet<string>(expectations.Keys, StringComparer.Ordinal);
            names.UnionWith(problems.Keys);
            if (scriptNames is null)
            {
                names.UnionWith(ScriptNames(transaction));
            }
            else
            {
                names.UnionWith(KnownScripts(scriptNames, transaction));
            }

            var inProgress = InProgressRuns(scriptNames, transaction);
            var skips = RecentSkips(scriptNames, transaction);
            var snapshots = new List<ScriptSnapshot>(names.Count);
            foreach (var name in names)
            {
                cancellationToken.ThrowIfCancellationRequested();
                expectations.TryGetValue(name, out var expectation);
                var history = ReadHistory(name, expectation, inProgress, transaction);
                if (skips.TryGetValue(name, out var skipped))
                {
                    history = history with { RecentSkips = skipped };
                }

                snapshots.Add(new ScriptSnapshot(name, expectation, history) { Problem = problems.GetValueOrDefault(name) });
            }

            transaction.Commit();
            return Task.FromResult<IReadOnlyList<ScriptSnapshot>>(snapshots);
        }
    }

    /// <inheritdoc/>
    public Task<long> CountRunsAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RunValidation.Query(query);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                using var command = _connection.CreateCommand();
                var sql = new System.Text.StringBuilder("SELECT COUNT(*) FROM runs");
                AppendRunFilter(sql, command, query);

                command.CommandText = sql.ToString();
                return Task.FromResult(Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
            }
            catch (SqliteException e) when (SqliteFailures.IsUnavailable(e))
            {
                throw SqliteFailures.Unavailable(Path, e);
            }
        }
    }

    private static long Microseconds(TimeSpan value) => value.Ticks / TimeSpan.TicksPerMicrosecond;

    private static TimeSpan FromMicroseconds(long value) => TimeSpan.FromTicks(value * TimeSpan.TicksPerMicrosecond);

    private static HistoryRun ReadHistoryRun(SqliteDataReader reader) => new(
        reader.GetString(0),
        Timestamps.FromUnixMicroseconds(reader.GetInt64(1)),
        reader.IsDBNull(2) ? null : Timestamps.FromUnixMicroseconds(reader.GetInt64(2)),
        (RunOutcome)reader.GetInt32(3),
        reader.IsDBNull(4) ? null : reader.GetInt32(4));

    private static ScriptExpectation ReadExpectation(SqliteDataReader reader)
    {
        Schedule? schedule = !reader.IsDBNull(1)
            ? Schedule.Every(FromMicroseconds(reader.GetInt64(1)))
            : !reader.IsDBNull(2) ? CronSchedule.Restore(reader.GetString(2), reader.GetString(3)) : null;
        var hostList = Split(reader.GetString(8));
        var hosts = (HostMode)reader.GetInt32(7) switch
        {
            HostMode.Each => HostRequirement.Each(hostList),
            HostMode.AtLeast => HostRequirement.AtLeast(reader.GetInt32(9), hostList),
            _ => HostRequirement.Any,
        };
        return new ScriptExpectation(reader.GetString(0))
        {
            Schedule = schedule,
            Grace = FromMicroseconds(reader.GetInt64(4)),
            MinRuntime = reader.IsDBNull(5) ? null : FromMicroseconds(reader.GetInt64(5)),
            MaxRuntime = reader.IsDBNull(6) ? null : FromMicroseconds(reader.GetInt64(6)),
            Hosts = hosts,
            FailuresTolerated = reader.GetInt32(10),
            Paused = reader.GetInt32(11) != 0,
            PausedUntil = reader.IsDBNull(12) ? null : Timestamps.FromUnixMicroseconds(reader.GetInt64(12)),
            Tags = Split(reader.GetString(13)),
            AbandonAfter = reader.IsDBNull(14) ? null : FromMicroseconds(reader.GetInt64(14)),
            SkipsBeforeAlert = reader.GetInt32(15),
        };
    }

    private static string[] Split(string list) => list.Length == 0 ? [] : list.Split(ListSeparator);

    /// <summary>The failures of reading a stored expectation that say the row breaks a rule, not that the store failed.</summary>
    private static bool IsUnreadable(Exception e) => e is ArgumentException or FormatException or InvalidCastException or OverflowException;

    private static string Unreadable(string scriptName, Exception e) =>
        $"its stored expectation cannot be read ({e.Message.TrimEnd('.')}); set it again with 'scriptmon expect {scriptName}' or remove it";

    private ScriptExpectation? ReadExpectationOrNull(string scriptName, SqliteTransaction? transaction)
    {
        try
        {
            return ReadExpectation(scriptName, transaction);
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            return null;
        }
    }

    private ScriptExpectation? ReadExpectation(string scriptName, SqliteTransaction? transaction)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {ExpectationColumns} FROM expectations WHERE script_name = $name";
        command.Parameters.AddWithValue("$name", scriptName);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadExpectation(reader) : null;
    }

    /// <summary>Reads expectations; a row that cannot be read goes into <paramref name="problems"/> when given, and throws otherwise.</summary>
    private SortedDictionary<string, ScriptExpectation> ReadExpectations(IReadOnlyCollection<string>? scriptNames, SqliteTransaction? transaction, Dictionary<string, string>? problems = null)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {ExpectationColumns} FROM expectations"
            + (scriptNames is null ? string.Empty : " WHERE script_name IN (SELECT value FROM json_each($names))");
        if (scriptNames is not null)
        {
            command.Parameters.AddWithValue("$names", JsonArray(scriptNames));
        }

        var expectations = new SortedDictionary<string, ScriptExpectation>(StringComparer.Ordinal);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            try
            {
                var expectation = ReadExpectation(reader);
                expectations[expectation.ScriptName] = expectation;
            }
            catch (Exception e) when (problems is not null && IsUnreadable(e))
            {
                problems[reader.GetString(0)] = Unreadable(reader.GetString(0), e);
            }
        }

        return expectations;
    }

    private List<string> ScriptNames(SqliteTransaction transaction)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT name FROM scripts";
        return ReadStrings(command);
    }

    private List<string> KnownScripts(IReadOnlyCollection<string> scriptNames, SqliteTransaction transaction)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT name FROM scripts WHERE name IN (SELECT value FROM json_each($names))";
        command.Parameters.AddWithValue("$names", JsonArray(scriptNames));
        return ReadStrings(command);
    }

    private static List<string> ReadStrings(SqliteCommand command)
    {
        var values = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private Dictionary<string, List<HistoryRun>> InProgressRuns(IReadOnlyCollection<string>? scriptNames, SqliteTransaction transaction)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT script_name, hostname, started_at, completed_at, outcome, exit_code FROM runs WHERE outcome = 0"
            + (scriptNames is null ? string.Empty : " AND script_name IN (SELECT value FROM json_each($names))")
            + " ORDER BY script_name, started_at DESC";
        if (scriptNames is not null)
        {
            command.Parameters.AddWithValue("$names", JsonArray(scriptNames));
        }

        var runs = new Dictionary<string, List<HistoryRun>>(StringComparer.Ordinal);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var name = reader.GetString(0);
            if (!runs.TryGetValue(name, out var list))
            {
                runs[name] = list = [];
            }

            list.Add(new HistoryRun(
                reader.GetString(1),
                Timestamps.FromUnixMicroseconds(reader.GetInt64(2)),
                null,
                RunOutcome.Running,
                reader.IsDBNull(5) ? null : reader.GetInt32(5)));
        }

        return runs;
    }

    /// <summary>
    /// The newest <see cref="ScriptHistory.Depth"/> skip events of each script, in one statement. Skips are rare and
    /// pruned with the runs, so the table is small; a script without any costs nothing here.
    /// </summary>
    private Dictionary<string, List<ScriptSkip>> RecentSkips(IReadOnlyCollection<string>? scriptNames, SqliteTransaction transaction)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            SELECT event_id, script_name, hostname, skipped_at, holder FROM (
                SELECT event_id, script_name, hostname, skipped_at, holder,
                       ROW_NUMBER() OVER (PARTITION BY script_name ORDER BY skipped_at DESC, id DESC) AS newest
                FROM skips{(scriptNames is null ? string.Empty : " WHERE script_name IN (SELECT value FROM json_each($names))")})
            WHERE newest <= $depth
            ORDER BY script_name, newest
            """;
        command.Parameters.AddWithValue("$depth", ScriptHistory.Depth);
        if (scriptNames is not null)
        {
            command.Parameters.AddWithValue("$names", JsonArray(scriptNames));
        }

        var skips = new Dictionary<string, List<ScriptSkip>>(StringComparer.Ordinal);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var skip = new ScriptSkip(new Guid(reader.GetFieldValue<byte[]>(0)), reader.GetString(1), reader.GetString(2), Timestamps.FromUnixMicroseconds(reader.GetInt64(3)), reader.GetString(4));
            if (!skips.TryGetValue(skip.ScriptName, out var list))
            {
                skips[skip.ScriptName] = list = [];
            }

            list.Add(skip);
        }

        return skips;
    }

    private ScriptHistory ReadHistory(string name, ScriptExpectation? expectation, Dictionary<string, List<HistoryRun>> inProgress, SqliteTransaction transaction)
    {
        var recent = ReadRecentRuns(name);
        var truncated = recent.Count > ScriptHistory.Depth;
        if (truncated)
        {
            recent.RemoveAt(recent.Count - 1);
        }

        var lastByHost = new Dictionary<string, HistoryRun>(StringComparer.Ordinal);
        foreach (var run in recent)
        {
            if (run.Outcome == RunOutcome.Succeeded)
            {
                lastByHost.TryAdd(run.Hostname, run);
            }
        }

        var lastSuccess = recent.Find(r => r.Outcome == RunOutcome.Succeeded);
        if (lastSuccess is null && truncated)
        {
            _lastRunWithOutcome.Transaction = transaction;
            _lastRunWithOutcome.Parameters[0].Value = name;
            _lastRunWithOutcome.Parameters[1].Value = (int)RunOutcome.Succeeded;
            using var reader = _lastRunWithOutcome.ExecuteReader();
            lastSuccess = reader.Read() ? HistoryRun.From(ReadRun(reader)) : null;
        }

        if (truncated && expectation is not null)
        {
            foreach (var host in expectation.Hosts.Hosts.Where(h => !lastByHost.ContainsKey(h)))
            {
                if (LastSuccessOnHost(name, host, transaction) is { } run)
                {
                    lastByHost[host] = run;
                }
            }
        }

        return new ScriptHistory(recent, truncated, inProgress.TryGetValue(name, out var running) ? running : [], lastSuccess, lastByHost);
    }

    /// <summary>
    /// A script's newest <see cref="ScriptHistory.Depth"/> + 1 runs, read with SQLite's own statement API: this runs
    /// once per script when every script is evaluated, and the data reader's per-row cost was more than half of the
    /// whole evaluation of 10,000 scripts. Runs inside the caller's transaction on the same connection.
    /// </summary>
    private List<HistoryRun> ReadRecentRuns(string name)
    {
        var db = _connection.Handle!;
        if (_recentRunsStatement is null)
        {
            Check(raw.sqlite3_prepare_v2(db, RecentRunsRawSql, out var statement), db);
            _recentRunsStatement = statement;
        }

        var stmt = _recentRunsStatement;
        Check(raw.sqlite3_reset(stmt), db);
        Check(raw.sqlite3_bind_text(stmt, 1, name), db);
        Check(raw.sqlite3_bind_int(stmt, 2, ScriptHistory.Depth + 1), db);
        var runs = new List<HistoryRun>(ScriptHistory.Depth + 1);
        int rc;
        while ((rc = raw.sqlite3_step(stmt)) == raw.SQLITE_ROW)
        {
            var host = raw.sqlite3_column_blob(stmt, 0);
            if (!host.SequenceEqual(_lastHostBytes))
            {
                _lastHostBytes = host.ToArray();
                _lastHost = System.Text.Encoding.UTF8.GetString(host);
            }

            runs.Add(new HistoryRun(
                _lastHost,
                Timestamps.FromUnixMicroseconds(raw.sqlite3_column_int64(stmt, 1)),
                raw.sqlite3_column_type(stmt, 2) == raw.SQLITE_NULL ? null : Timestamps.FromUnixMicroseconds(raw.sqlite3_column_int64(stmt, 2)),
                (RunOutcome)raw.sqlite3_column_int(stmt, 3),
                raw.sqlite3_column_type(stmt, 4) == raw.SQLITE_NULL ? null : raw.sqlite3_column_int(stmt, 4)));
        }

        if (rc != raw.SQLITE_DONE)
        {
            Check(rc, db);
        }

        raw.sqlite3_reset(stmt);
        return runs;
    }

    private static void Check(int rc, sqlite3 db)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }
    }

    private HistoryRun? LastSuccessOnHost(string name, string host, SqliteTransaction transaction)
    {
        _lastSuccessOnHost.Transaction = transaction;
        _lastSuccessOnHost.Parameters[0].Value = name;
        _lastSuccessOnHost.Parameters[1].Value = host;
        using var reader = _lastSuccessOnHost.ExecuteReader();
        return reader.Read() ? ReadHistoryRun(reader) : null;
    }

    private static string JsonArray(IReadOnlyCollection<string> values) =>
        "[" + string.Join(',', values.Select(v => System.Text.Json.JsonEncodedText.Encode(v, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value).Select(v => $"\"{v}\"")) + "]";
}

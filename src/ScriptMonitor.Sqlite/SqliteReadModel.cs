using Microsoft.Data.Sqlite;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;
using ScriptMonitor.Stores;
using static ScriptMonitor.Sqlite.SqliteRows;

namespace ScriptMonitor.Sqlite;

/// <summary>
/// The reads of every script at once in the SQLite file, each a fixed number of statements inside one read
/// transaction, so that what they show is of one instant.
/// </summary>
internal sealed class SqliteReadModel(SqliteSession session, SqliteExpectationRows expectations) : IStoreReadModel
{
    /// <summary>Served by the covering index runs_history: a backwards walk of one script's newest entries, no table reads.</summary>
    private const string NewestRunsSql = $"SELECT {HistoryColumns} FROM runs WHERE script_name = ?1 ORDER BY started_at DESC LIMIT ?2";

    /// <summary>
    /// Every script with its last success and last failure: per script, a backward walk of runs_history to the first
    /// run of each outcome, then the row itself.
    /// </summary>
    private static readonly string LastRunsSql = $"""
        SELECT s.name, success.id, {RunColumnsOf("success")}, failure.id, {RunColumnsOf("failure")}
        FROM scripts s
        LEFT JOIN runs success ON success.id =
            (SELECT id FROM runs WHERE script_name = s.name AND outcome = {(int)RunOutcome.Succeeded} ORDER BY started_at DESC, id DESC LIMIT 1)
        LEFT JOIN runs failure ON failure.id =
            (SELECT id FROM runs WHERE script_name = s.name AND outcome = {(int)RunOutcome.Failed} ORDER BY started_at DESC, id DESC LIMIT 1)
        """;

    /// <summary>Every script's runs in the recent window: a range of runs_history per script, counted in SQLite.</summary>
    private const string RecentCountsSql = """
        SELECT s.name, (SELECT count(*) FROM runs WHERE script_name = s.name AND started_at >= $since AND started_at < $until)
        FROM scripts s
        """;

    /// <summary>
    /// The runtime of every success in the runtime window, script after script: a range of runs_history per script,
    /// no table reads. SQLite has no median, so the runtimes come out and the middle ones are picked here.
    /// </summary>
    private static readonly string RuntimesSql = $"""
        SELECT s.name, r.completed_at - r.started_at
        FROM scripts s JOIN runs r ON r.script_name = s.name
        WHERE r.outcome = {(int)RunOutcome.Succeeded} AND r.duration_unknown = 0 AND r.started_at >= ?1 AND r.started_at < ?2
        """;

    private SqliteStatement? _newestRuns;
    private SqliteStatement? _runtimes;

    public Task<IReadOnlyList<ScriptSummary>> ListScriptsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ScriptSummary>>(session.InTransaction(write: false, LastRuns));

    public Task<IReadOnlyList<ScriptOverview>> ReadOverviewAsync(OverviewQuery query, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ScriptOverview>>(session.InTransaction(write: false, transaction =>
        {
            var scripts = LastRuns(transaction);
            var recent = RecentCounts(query, transaction);
            var medians = MedianRuntimes(query);
            return scripts.Select(s => new ScriptOverview(s.Name, s.LastSuccess, s.LastFailure, recent.GetValueOrDefault(s.Name), medians.TryGetValue(s.Name, out var median) ? median : null)).ToList();
        }));

    public Task<IReadOnlyList<ScriptSnapshot>> ReadSnapshotsAsync(IReadOnlyCollection<string>? scriptNames, CancellationToken cancellationToken) =>
        Task.FromResult(session.InTransaction(write: false, transaction =>
        {
            _newestRuns ??= session.Keep(new SqliteStatement(session.Connection, NewestRunsSql));
            var rows = new SqliteSnapshotRows(session, expectations, transaction, _newestRuns);

            // Every read of the file completes at once, so the assembly does too: it runs inside the session's lock.
            return SnapshotRead.ReadAsync(rows, scriptNames, cancellationToken).AsTask().GetAwaiter().GetResult();
        }));

    public Task<StoreInfo> ReadInfoAsync(CancellationToken cancellationToken) =>
        Task.FromResult(session.InTransaction(write: false, transaction =>
        {
            var (version, oldestWriter) = SqliteSchema.ReadVersion(session.Connection, transaction);
            using var command = session.Command("SELECT (SELECT COUNT(*) FROM runs), (SELECT COUNT(*) FROM scripts)", transaction);
            using var reader = command.ExecuteReader();
            reader.Read();
            var size = new[] { session.Path, session.Path + "-wal" }.Where(File.Exists).Sum(file => new FileInfo(file).Length);
            return new StoreInfo($"sqlite:{session.Path}", version, session.LatestSchemaVersion, size, reader.GetInt64(0), reader.GetInt64(1))
            {
                OldestWriterVersion = oldestWriter,
            };
        }));

    private List<ScriptSummary> LastRuns(SqliteTransaction transaction)
    {
        using var command = session.Command(LastRunsSql, transaction);
        var scripts = new List<ScriptSummary>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            // Each joined run is its id, then its columns.
            const int Success = 2;
            const int Failure = Success + RunColumnCount + 1;
            scripts.Add(new ScriptSummary(
                reader.GetString(0),
                reader.IsDBNull(Success - 1) ? null : Run(reader, Success),
                reader.IsDBNull(Failure - 1) ? null : Run(reader, Failure)));
        }

        scripts.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return scripts;
    }

    private Dictionary<string, int> RecentCounts(OverviewQuery query, SqliteTransaction transaction)
    {
        using var command = session.Command(RecentCountsSql, transaction);
        command.Parameters.AddWithValue("$since", Timestamps.ToUnixMicroseconds(query.RecentSince));
        command.Parameters.AddWithValue("$until", Timestamps.ToUnixMicroseconds(query.Until));
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            counts[reader.GetString(0)] = (int)Math.Min(reader.GetInt64(1), int.MaxValue);
        }

        return counts;
    }

    /// <summary>The median runtime of every script with a success in the window; runs inside the caller's transaction.</summary>
    private Dictionary<string, TimeSpan> MedianRuntimes(OverviewQuery query)
    {
        _runtimes ??= session.Keep(new SqliteStatement(session.Connection, RuntimesSql));
        var statement = _runtimes.Reset()
            .Bind(1, Timestamps.ToUnixMicroseconds(query.RuntimeSince))
            .Bind(2, Timestamps.ToUnixMicroseconds(query.Until));
        var medians = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var script = Array.Empty<byte>();
        var runtimes = new List<long>();
        while (statement.Step())
        {
            var name = statement.Bytes(0);
            if (!name.SequenceEqual(script))
            {
                AddMedian(medians, script, runtimes);
                script = name.ToArray();
            }

            runtimes.Add(statement.Int64(1));
        }

        statement.Reset();
        AddMedian(medians, script, runtimes);
        return medians;
    }

    private static void AddMedian(Dictionary<string, TimeSpan> medians, byte[] script, List<long> runtimes)
    {
        if (runtimes.Count == 0)
        {
            return;
        }

        runtimes.Sort();
        medians[System.Text.Encoding.UTF8.GetString(script)] = RuntimeStatistics.MedianOf(
            FromMicroseconds(runtimes[(runtimes.Count - 1) / 2]),
            FromMicroseconds(runtimes[runtimes.Count / 2]));
        runtimes.Clear();
    }
}

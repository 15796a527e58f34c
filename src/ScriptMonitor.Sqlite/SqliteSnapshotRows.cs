using System.Text;
using Microsoft.Data.Sqlite;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;
using ScriptMonitor.Stores;
using static ScriptMonitor.Sqlite.SqliteRows;

namespace ScriptMonitor.Sqlite;

/// <summary>
/// The reads of one snapshot in the SQLite file, inside the read transaction the read model holds. A file is local,
/// so a script's newest runs are one walk backwards of the covering index runs_history per script.
/// </summary>
internal sealed class SqliteSnapshotRows(SqliteSession session, SqliteExpectationRows expectations, SqliteTransaction transaction, SqliteStatement newestRuns) : ISnapshotRows
{
    public ValueTask<StoredExpectations> ExpectationsAsync(IReadOnlyCollection<string>? scriptNames, CancellationToken cancellationToken)
    {
        var stored = new StoredExpectations();
        expectations.ReadInto(stored, scriptNames, transaction);
        return ValueTask.FromResult(stored);
    }

    public ValueTask<IReadOnlyCollection<string>> ScriptNamesAsync(IReadOnlyCollection<string>? scriptNames, CancellationToken cancellationToken)
    {
        using var command = session.Command(
            "SELECT name FROM scripts" + (scriptNames is null ? string.Empty : " WHERE name IN (SELECT value FROM json_each($names))"),
            transaction);
        if (scriptNames is not null)
        {
            command.Parameters.AddWithValue("$names", JsonArray(scriptNames));
        }

        return ValueTask.FromResult<IReadOnlyCollection<string>>(Strings(command));
    }

    public ValueTask<IReadOnlyList<List<HistoryRun>>> NewestRunsAsync(IReadOnlyList<(string ScriptName, int Limit)> scripts, CancellationToken cancellationToken)
    {
        var statement = newestRuns;
        var hosts = new HostNames();
        var runs = new List<HistoryRun>[scripts.Count];
        for (var i = 0; i < scripts.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (name, limit) = scripts[i];
            statement.Reset().Bind(1, name).Bind(2, limit);
            var list = new List<HistoryRun>(limit);
            while (statement.Step())
            {
                list.Add(new HistoryRun(
                    hosts.Of(statement.Bytes(0)),
                    Timestamps.FromUnixMicroseconds(statement.Int64(1)),
                    statement.IsNull(2) ? null : Timestamps.FromUnixMicroseconds(statement.Int64(2)),
                    (RunOutcome)statement.Int32(3),
                    statement.IsNull(4) ? null : statement.Int32(4))
                {
                    DurationUnknown = statement.Int64(5) != 0,
                });
            }

            statement.Reset();
            runs[i] = list;
        }

        return ValueTask.FromResult<IReadOnlyList<List<HistoryRun>>>(runs);
    }

    public ValueTask<IReadOnlyList<HistoryRun?>> LastSuccessesAsync(IReadOnlyList<(string ScriptName, string? Hostname)> requests, CancellationToken cancellationToken)
    {
        using var anyHost = session.Command(
            $"SELECT {HistoryColumns} FROM runs WHERE script_name = $name AND outcome = {(int)RunOutcome.Succeeded} ORDER BY started_at DESC, id DESC LIMIT 1",
            transaction);
        using var onHost = session.Command(
            $"SELECT {HistoryColumns} FROM runs WHERE script_name = $name AND hostname = $host AND outcome = {(int)RunOutcome.Succeeded} ORDER BY started_at DESC, id DESC LIMIT 1",
            transaction);
        var name = anyHost.Parameters.Add("$name", SqliteType.Text);
        var nameOnHost = onHost.Parameters.Add("$name", SqliteType.Text);
        var host = onHost.Parameters.Add("$host", SqliteType.Text);
        var found = new HistoryRun?[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            var command = anyHost;
            if (requests[i].Hostname is { } hostname)
            {
                command = onHost;
                nameOnHost.Value = requests[i].ScriptName;
                host.Value = hostname;
            }
            else
            {
                name.Value = requests[i].ScriptName;
            }

            using var reader = command.ExecuteReader();
            found[i] = reader.Read() ? HistoryRun(reader) : null;
        }

        return ValueTask.FromResult<IReadOnlyList<HistoryRun?>>(found);
    }

    public ValueTask<IReadOnlyDictionary<string, List<HistoryRun>>> InProgressAsync(IReadOnlyCollection<string>? scriptNames, CancellationToken cancellationToken)
    {
        // Named, because the planner prefers the covering runs_history index and then walks every stored run of each
        // script: a cost that grows with the history instead of with the few runs in progress.
        using var command = session.Command(
            $"SELECT script_name, {HistoryColumns} FROM runs INDEXED BY runs_in_progress WHERE outcome = {(int)RunOutcome.Running}"
            + (scriptNames is null ? string.Empty : " AND script_name IN (SELECT value FROM json_each($names))")
            + " ORDER BY script_name, started_at DESC",
            transaction);
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

            list.Add(HistoryRun(reader, 1));
        }

        return ValueTask.FromResult<IReadOnlyDictionary<string, List<HistoryRun>>>(runs);
    }

    /// <remarks>Skips are rare and pruned with the runs, so the table is small; a script without any costs nothing here.</remarks>
    public ValueTask<IReadOnlyDictionary<string, List<ScriptSkip>>> NewestSkipsAsync(IReadOnlyCollection<string>? scriptNames, int limit, CancellationToken cancellationToken)
    {
        using var command = session.Command(
            $"""
            SELECT {SkipColumns} FROM (
                SELECT {SkipColumns},
                       ROW_NUMBER() OVER (PARTITION BY script_name ORDER BY skipped_at DESC, id DESC) AS newest
                FROM skips{(scriptNames is null ? string.Empty : " WHERE script_name IN (SELECT value FROM json_each($names))")})
            WHERE newest <= $limit
            ORDER BY script_name, newest
            """,
            transaction);
        command.Parameters.AddWithValue("$limit", limit);
        if (scriptNames is not null)
        {
            command.Parameters.AddWithValue("$names", JsonArray(scriptNames));
        }

        var skips = new Dictionary<string, List<ScriptSkip>>(StringComparer.Ordinal);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var skip = Skip(reader);
            if (!skips.TryGetValue(skip.ScriptName, out var list))
            {
                skips[skip.ScriptName] = list = [];
            }

            list.Add(skip);
        }

        return ValueTask.FromResult<IReadOnlyDictionary<string, List<ScriptSkip>>>(skips);
    }

    /// <summary>Host names as strings, made once per change of host rather than once per row: a script's runs mostly share one.</summary>
    private sealed class HostNames
    {
        private byte[] _bytes = [];
        private string _name = string.Empty;

        internal string Of(ReadOnlySpan<byte> utf8)
        {
            if (!utf8.SequenceEqual(_bytes))
            {
                _bytes = utf8.ToArray();
                _name = Encoding.UTF8.GetString(utf8);
            }

            return _name;
        }
    }
}

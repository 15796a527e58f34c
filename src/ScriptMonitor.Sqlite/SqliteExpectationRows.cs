using Microsoft.Data.Sqlite;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;
using ScriptMonitor.Stores;
using static ScriptMonitor.Sqlite.SqliteRows;

namespace ScriptMonitor.Sqlite;

/// <summary>
/// The SQL of expectations in the SQLite file: durations and instants in microseconds like the runs, host and tag
/// lists sorted and joined with a character names may not contain.
/// </summary>
internal sealed class SqliteExpectationRows(SqliteSession session) : IExpectationRows
{
    private readonly SqliteChangeFeed _feed = new(session);

    internal const string Columns =
        "script_name, period_us, cron, time_zone, grace_us, min_runtime_us, max_runtime_us, host_mode, hosts, min_hosts, failures_tolerated, paused, paused_until, tags, abandon_after_us, skips_before_alert";

    /// <summary>Hosts and tags are joined with a character names may not contain.</summary>
    private const char ListSeparator = '\n';

    public Task<bool> SetAsync(ScriptExpectation expectation, DateTimeOffset updatedAt, CancellationToken cancellationToken) =>
        Task.FromResult(session.InTransaction(write: true, transaction =>
        {
            // A stored row this version cannot read (written by another version, or by hand) is replaced like any other.
            if (StoredExpectations.ReadOrNull(() => Read(expectation.ScriptName, transaction)) is { } stored && stored.Equals(expectation))
            {
                return false;
            }

            using var command = session.Command(
                $"INSERT OR REPLACE INTO expectations ({Columns}, updated_at) VALUES ($name, $period, $cron, $zone, $grace, $min, $max, $mode, $hosts, $min_hosts, $failures, $paused, $until, $tags, $abandon_after, $skips, $updated)",
                transaction);
            var (period, cron, zone) = expectation.Schedule switch
            {
                PeriodSchedule p => ((object)Microseconds(p.Period), (object)DBNull.Value, (object)DBNull.Value),
                CronSchedule c => (DBNull.Value, c.Expression, c.TimeZone),
                _ => (DBNull.Value, DBNull.Value, DBNull.Value),
            };
            command.Parameters.AddWithValue("$name", expectation.ScriptName);
            command.Parameters.AddWithValue("$period", period);
            command.Parameters.AddWithValue("$cron", cron);
            command.Parameters.AddWithValue("$zone", zone);
            command.Parameters.AddWithValue("$grace", Microseconds(expectation.Grace));
            command.Parameters.AddWithValue("$min", expectation.MinRuntime is { } min ? Microseconds(min) : DBNull.Value);
            command.Parameters.AddWithValue("$max", expectation.MaxRuntime is { } max ? Microseconds(max) : DBNull.Value);
            command.Parameters.AddWithValue("$mode", (int)expectation.Hosts.Mode);
            command.Parameters.AddWithValue("$hosts", string.Join(ListSeparator, expectation.Hosts.Hosts));
            command.Parameters.AddWithValue("$min_hosts", expectation.Hosts.MinimumCount);
            command.Parameters.AddWithValue("$failures", expectation.FailuresTolerated);
            command.Parameters.AddWithValue("$paused", expectation.Paused ? 1 : 0);
            command.Parameters.AddWithValue("$until", expectation.PausedUntil is { } until ? Timestamps.ToUnixMicroseconds(until) : DBNull.Value);
            command.Parameters.AddWithValue("$tags", string.Join(ListSeparator, expectation.Tags));
            command.Parameters.AddWithValue("$abandon_after", expectation.AbandonAfter is { } abandonAfter ? Microseconds(abandonAfter) : DBNull.Value);
            command.Parameters.AddWithValue("$skips", expectation.SkipsBeforeAlert);
            command.Parameters.AddWithValue("$updated", Timestamps.ToUnixMicroseconds(updatedAt));
            command.ExecuteNonQuery();
            _feed.Bump(expectation.ScriptName, transaction);
            return true;
        }));

    public Task<ScriptExpectation?> GetAsync(string scriptName, CancellationToken cancellationToken) =>
        Task.FromResult(session.Use(_ => Read(scriptName, transaction: null)));

    public Task<IReadOnlyList<ScriptExpectation>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ScriptExpectation>>(session.Use(_ =>
        {
            using var command = session.Command($"SELECT {Columns} FROM expectations");
            var expectations = new List<ScriptExpectation>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                expectations.Add(Read(reader));
            }

            expectations.Sort((a, b) => string.CompareOrdinal(a.ScriptName, b.ScriptName));
            return expectations;
        }));

    public Task<bool> RemoveAsync(string scriptName, CancellationToken cancellationToken) =>
        Task.FromResult(session.InTransaction(write: true, transaction =>
        {
            using var command = session.Command("DELETE FROM expectations WHERE script_name = $name", transaction);
            command.Parameters.AddWithValue("$name", scriptName);
            if (command.ExecuteNonQuery() == 0)
            {
                return false;
            }

            _feed.Bump(scriptName, transaction);
            return true;
        }));

    /// <summary>Reads expectations into <paramref name="into"/>, a row that cannot be read as the problem of its script.</summary>
    internal void ReadInto(StoredExpectations into, IReadOnlyCollection<string>? scriptNames, SqliteTransaction transaction)
    {
        using var command = session.Command(
            $"SELECT {Columns} FROM expectations"
            + (scriptNames is null ? string.Empty : " WHERE script_name IN (SELECT value FROM json_each($names))"),
            transaction);
        if (scriptNames is not null)
        {
            command.Parameters.AddWithValue("$names", JsonArray(scriptNames));
        }

        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            into.Add(reader.GetString(0), () => Read(reader));
        }
    }

    private static ScriptExpectation Read(SqliteDataReader reader)
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

    private ScriptExpectation? Read(string scriptName, SqliteTransaction? transaction)
    {
        using var command = session.Command($"SELECT {Columns} FROM expectations WHERE script_name = $name", transaction);
        command.Parameters.AddWithValue("$name", scriptName);
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }
}

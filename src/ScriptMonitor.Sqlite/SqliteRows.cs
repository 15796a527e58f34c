using Microsoft.Data.Sqlite;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Sqlite;

/// <summary>How runs, skips and history rows are read from the file: the columns, in one place.</summary>
internal static class SqliteRows
{
    /// <summary>Every column of a run, in the order <see cref="Run"/> reads them.</summary>
    internal const string RunColumns = "run_id, script_name, hostname, started_at, completed_at, outcome, exit_code, output, runner_boot_id, runner_pid, runner_started, runner_pid_ns, received_at, clock_skew, delivery, duration_unknown";

    /// <summary>The columns of a run of the table aliased <paramref name="alias"/> in a join, in the order <see cref="Run"/> reads them.</summary>
    internal static string RunColumnsOf(string alias) => string.Join(", ", RunColumns.Split(", ").Select(column => $"{alias}.{column}"));

    /// <summary>How many columns <see cref="RunColumns"/> names: where the second run of a joined row starts.</summary>
    internal const int RunColumnCount = 16;

    /// <summary>The columns of a run the health evaluation reads, in the order <see cref="HistoryRun"/> reads them.</summary>
    internal const string HistoryColumns = "hostname, started_at, completed_at, outcome, exit_code, duration_unknown";

    internal const string SkipColumns = "event_id, script_name, hostname, skipped_at, holder";

    internal static ScriptRun Run(SqliteDataReader reader, int first = 0) => new(
        new Guid(reader.GetFieldValue<byte[]>(first)),
        reader.GetString(first + 1),
        reader.GetString(first + 2),
        Timestamps.FromUnixMicroseconds(reader.GetInt64(first + 3)),
        reader.IsDBNull(first + 4) ? null : Timestamps.FromUnixMicroseconds(reader.GetInt64(first + 4)),
        (RunOutcome)reader.GetInt32(first + 5),
        reader.IsDBNull(first + 6) ? null : reader.GetInt32(first + 6),
        reader.IsDBNull(first + 7) ? null : reader.GetString(first + 7))
    {
        Runner = reader.IsDBNull(first + 8)
            ? null
            : new RunnerProcess(reader.GetString(first + 8), reader.GetInt32(first + 9), reader.GetInt64(first + 10), reader.GetString(first + 11)),
        Arrival = reader.IsDBNull(first + 12)
            ? null
            : new RunArrival(Timestamps.FromUnixMicroseconds(reader.GetInt64(first + 12)), DeliveryOf(reader.GetString(first + 14)), reader.GetInt64(first + 13) != 0),
        DurationUnknown = reader.GetInt64(first + 15) != 0,
    };

    /// <summary>A delivery kind as the <c>delivery</c> column holds it.</summary>
    internal static string DeliveryText(RunDeliveryKind delivery) => delivery == RunDeliveryKind.Spool ? "spool" : "live";

    internal static RunDeliveryKind DeliveryOf(string text) => text == "spool" ? RunDeliveryKind.Spool : RunDeliveryKind.Live;

    internal static List<ScriptRun> AllRuns(SqliteCommand command)
    {
        var runs = new List<ScriptRun>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            runs.Add(Run(reader));
        }

        return runs;
    }

    internal static ScriptRun? SingleRun(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        return reader.Read() ? Run(reader) : null;
    }

    internal static HistoryRun HistoryRun(SqliteDataReader reader, int first = 0) => new(
        reader.GetString(first),
        Timestamps.FromUnixMicroseconds(reader.GetInt64(first + 1)),
        reader.IsDBNull(first + 2) ? null : Timestamps.FromUnixMicroseconds(reader.GetInt64(first + 2)),
        (RunOutcome)reader.GetInt32(first + 3),
        reader.IsDBNull(first + 4) ? null : reader.GetInt32(first + 4))
    {
        DurationUnknown = reader.GetInt64(first + 5) != 0,
    };

    internal static ScriptSkip Skip(SqliteDataReader reader) => new(
        new Guid(reader.GetFieldValue<byte[]>(0)),
        reader.GetString(1),
        reader.GetString(2),
        Timestamps.FromUnixMicroseconds(reader.GetInt64(3)),
        reader.GetString(4));

    internal static List<string> Strings(SqliteCommand command)
    {
        var values = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    /// <summary>Names as a JSON array, for <c>IN (SELECT value FROM json_each($names))</c>: one parameter however many.</summary>
    internal static string JsonArray(IEnumerable<string> values) =>
        "[" + string.Join(',', values.Select(v => $"\"{System.Text.Json.JsonEncodedText.Encode(v, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value}\"")) + "]";

    internal static long Microseconds(TimeSpan value) => value.Ticks / TimeSpan.TicksPerMicrosecond;

    internal static TimeSpan FromMicroseconds(long value) => TimeSpan.FromTicks(value * TimeSpan.TicksPerMicrosecond);

    internal static object OrNull<T>(T? value)
        where T : struct => value is { } v ? v : DBNull.Value;

    internal static object OrNull(string? value) => value is null ? DBNull.Value : value;
}

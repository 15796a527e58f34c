using Npgsql;
using NpgsqlTypes;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.PostgreSql;

/// <summary>How values go into statements and come out of rows: the typed parameters and the columns, in one place.</summary>
internal static class PostgreSqlValues
{
    /// <summary>Every column of a run, in the order <see cref="Run"/> reads them.</summary>
    internal const string RunColumns = "run_id, script_name, hostname, started_at, completed_at, outcome, exit_code, output, runner_boot_id, runner_pid, runner_started, runner_pid_ns, received_at, clock_skew, delivery, duration_unknown";

    /// <summary>How many columns <see cref="RunColumns"/> names: where the second run of a joined row starts.</summary>
    internal const int RunColumnCount = 16;

    /// <summary>The parameters of a run's columns, in <see cref="RunColumns"/>' order (see <see cref="RunParameters"/>).</summary>
    internal const string RunValues = "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16";

    /// <summary>The columns of a run the health evaluation reads, in the order <see cref="HistoryRun"/> reads them.</summary>
    internal const string HistoryColumns = "hostname, started_at, completed_at, outcome, exit_code, duration_unknown";

    internal const string SkipColumns = "event_id, script_name, hostname, skipped_at, holder";

    internal static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        return command;
    }

    internal static NpgsqlParameter Uuid(Guid value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Uuid };

    internal static NpgsqlParameter Text(string? value) => new() { Value = value is null ? DBNull.Value : value, NpgsqlDbType = NpgsqlDbType.Text };

    internal static NpgsqlParameter TimestampTz(DateTimeOffset? value) => new() { Value = value is { } v ? v : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    internal static NpgsqlParameter Outcome(RunOutcome value) => new() { Value = (short)value, NpgsqlDbType = NpgsqlDbType.Smallint };

    internal static NpgsqlParameter Integer(int? value) => new() { Value = value is { } v ? v : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer };

    internal static NpgsqlParameter BigInt(long? value) => new() { Value = value is { } v ? v : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint };

    internal static NpgsqlParameter Interval(TimeSpan? value) => new() { Value = value is { } v ? v : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Interval };

    internal static NpgsqlParameter TextArray(IEnumerable<string?> values) => new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    internal static NpgsqlParameter IntegerArray(IEnumerable<int> values) => new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer };

    /// <summary>Outcomes as a SQL list, for <c>outcome IN (…)</c> written from <see cref="RunLifecycle"/>'s rules.</summary>
    internal static string SqlList(IEnumerable<RunOutcome> outcomes) => string.Join(", ", outcomes.Select(o => (int)o));

    internal static NpgsqlParameter[] RunParameters(ScriptRun run) =>
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
        TimestampTz(run.Arrival?.ReceivedAt),
        Boolean(run.Arrival?.ClockSkew),
        Text(run.Arrival is { } arrival ? DeliveryText(arrival.Delivery) : null),
        Boolean(run.DurationUnknown),
    ];

    internal static NpgsqlParameter Boolean(bool? value) => new() { Value = value is { } v ? v : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Boolean };

    /// <summary>A delivery kind as the <c>delivery</c> column holds it.</summary>
    internal static string DeliveryText(RunDeliveryKind delivery) => delivery == RunDeliveryKind.Spool ? "spool" : "live";

    internal static ScriptRun Run(NpgsqlDataReader reader, int first = 0) => new(
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
        Arrival = reader.IsDBNull(first + 12)
            ? null
            : new RunArrival(
                reader.GetFieldValue<DateTimeOffset>(first + 12),
                reader.GetString(first + 14) == "spool" ? RunDeliveryKind.Spool : RunDeliveryKind.Live,
                reader.GetBoolean(first + 13)),
        DurationUnknown = reader.GetBoolean(first + 15),
    };

    internal static HistoryRun HistoryRun(NpgsqlDataReader reader, int first) => new(
        reader.GetString(first),
        reader.GetFieldValue<DateTimeOffset>(first + 1),
        reader.IsDBNull(first + 2) ? null : reader.GetFieldValue<DateTimeOffset>(first + 2),
        (RunOutcome)reader.GetInt16(first + 3),
        reader.IsDBNull(first + 4) ? null : reader.GetInt32(first + 4))
    {
        DurationUnknown = reader.GetBoolean(first + 5),
    };

    internal static ScriptSkip Skip(NpgsqlDataReader reader) =>
        new(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4));

    internal static async ValueTask<ScriptRun?> SingleRunAsync(NpgsqlCommand command, bool async, CancellationToken cancellationToken)
    {
        await using var reader = await command.ReaderAsync(async, cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(async, cancellationToken).ConfigureAwait(false) ? Run(reader) : null;
    }

    internal static async ValueTask<IReadOnlyList<T>> ReadAllAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}

using ScriptMonitor.Runs;
using static ScriptMonitor.PostgreSql.PostgreSqlValues;

namespace ScriptMonitor.PostgreSql;

/// <summary>The events of scripts that are not runs, in the <c>script_events</c> table.</summary>
public sealed partial class PostgreSqlScriptRunStore : IScriptEventStore
{
    /// <inheritdoc/>
    public Task<ScriptEvent> AddScriptEventAsync(string scriptName, DateTimeOffset at, string kind, string? body, string? source, CancellationToken cancellationToken = default)
    {
        var scriptEvent = ScriptEventValidation.Normalize(scriptName, at, kind, body, source);
        return _session.WithConnectionAsync("record a script event", async connection =>
        {
            await using var command = Command(
                connection,
                $"INSERT INTO {_session.Quoted}.script_events (script_name, at, kind, body, source) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                Text(scriptEvent.ScriptName), TimestampTz(scriptEvent.At), Text(scriptEvent.Kind), Text(scriptEvent.Body), Text(scriptEvent.Source));
            return scriptEvent with { Id = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! };
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ScriptEvent>> ListScriptEventsAsync(string scriptName, int limit, int offset = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scriptName);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return _session.WithConnectionAsync("list script events", async connection =>
        {
            await using var command = Command(
                connection,
                $"SELECT id, script_name, at, kind, body, source FROM {_session.Quoted}.script_events WHERE script_name = $1 ORDER BY at DESC, id DESC LIMIT $2 OFFSET $3",
                Text(scriptName), Integer(limit), Integer(offset));
            return await ReadAllAsync(
                command,
                r => new ScriptEvent(r.GetInt64(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5)),
                cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }
}

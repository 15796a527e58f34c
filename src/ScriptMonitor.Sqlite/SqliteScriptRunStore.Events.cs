using ScriptMonitor.Runs;

namespace ScriptMonitor.Sqlite;

/// <summary>The events of scripts that are not runs, in the <c>script_events</c> table.</summary>
public sealed partial class SqliteScriptRunStore : IScriptEventStore
{
    /// <inheritdoc/>
    public Task<ScriptEvent> AddScriptEventAsync(string scriptName, DateTimeOffset at, string kind, string? body, string? source, CancellationToken cancellationToken = default)
    {
        var scriptEvent = ScriptEventValidation.Normalize(scriptName, at, kind, body, source);
        return Task.FromResult(_session.InTransaction(write: true, transaction =>
        {
            using var command = _session.Command(
                "INSERT INTO script_events (script_name, at, kind, body, source) VALUES ($name, $at, $kind, $body, $source) RETURNING id",
                transaction);
            command.Parameters.AddWithValue("$name", scriptEvent.ScriptName);
            command.Parameters.AddWithValue("$at", Timestamps.ToUnixMicroseconds(scriptEvent.At));
            command.Parameters.AddWithValue("$kind", scriptEvent.Kind);
            command.Parameters.AddWithValue("$body", SqliteRows.OrNull(scriptEvent.Body));
            command.Parameters.AddWithValue("$source", SqliteRows.OrNull(scriptEvent.Source));
            return scriptEvent with { Id = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) };
        }));
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ScriptEvent>> ListScriptEventsAsync(string scriptName, int limit, int offset = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scriptName);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return Task.FromResult<IReadOnlyList<ScriptEvent>>(_session.Use(_ =>
        {
            using var command = _session.Command(
                "SELECT id, script_name, at, kind, body, source FROM script_events WHERE script_name = $name ORDER BY at DESC, id DESC LIMIT $limit OFFSET $offset");
            command.Parameters.AddWithValue("$name", scriptName);
            command.Parameters.AddWithValue("$limit", limit);
            command.Parameters.AddWithValue("$offset", offset);
            var events = new List<ScriptEvent>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                events.Add(new ScriptEvent(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    Timestamps.FromUnixMicroseconds(reader.GetInt64(2)),
                    reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5)));
            }

            return events;
        }));
    }
}

namespace ScriptMonitor.Runs;

/// <summary>
/// Something a script reported that is not a run: a Healthchecks <c>/log</c> ping, with its body's tail. Kept beside
/// the runs and pruned with them at the same age.
/// </summary>
/// <param name="Id">The event's number in its store, growing with every event.</param>
/// <param name="ScriptName">The script.</param>
/// <param name="At">When it was received, in UTC.</param>
/// <param name="Kind">What it is: <see cref="Log"/>.</param>
/// <param name="Body">The last part of what came with it; null when nothing did.</param>
/// <param name="Source">Where it came from (the client's address); null when unknown.</param>
public sealed record ScriptEvent(long Id, string ScriptName, DateTimeOffset At, string Kind, string? Body, string? Source)
{
    /// <summary>The kind of a message a script logged without a run (Healthchecks' <c>/log</c>).</summary>
    public const string Log = "log";

    /// <summary>The most characters of a body kept: its tail, as a run's output.</summary>
    public const int MaxBodyLength = ScriptRun.MaxOutputLength;

    /// <summary>The most characters of a source kept.</summary>
    public const int MaxSourceLength = 255;
}

/// <summary>The events of scripts that are not runs (<see cref="ScriptEvent"/>), kept by stores that serve peers' ping protocols.</summary>
public interface IScriptEventStore
{
    /// <summary>Records an event; its body is cut to its last <see cref="ScriptEvent.MaxBodyLength"/> characters.</summary>
    /// <param name="scriptName">The script.</param>
    /// <param name="at">When it was received.</param>
    /// <param name="kind">Its kind: <see cref="ScriptEvent.Log"/>.</param>
    /// <param name="body">What came with it; null for nothing.</param>
    /// <param name="source">Where it came from; null when unknown.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ScriptEvent> AddScriptEventAsync(string scriptName, DateTimeOffset at, string kind, string? body, string? source, CancellationToken cancellationToken = default);

    /// <summary>A script's events, newest first.</summary>
    /// <param name="scriptName">The script.</param>
    /// <param name="limit">The most events returned.</param>
    /// <param name="offset">How many of the newest to skip (paging).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ScriptEvent>> ListScriptEventsAsync(string scriptName, int limit, int offset = 0, CancellationToken cancellationToken = default);
}

/// <summary>The checks every store applies to an event before writing it.</summary>
public static class ScriptEventValidation
{
    /// <summary>The event as it is stored: the name checked, the kind known, the body's tail and the source cut to their bounds.</summary>
    /// <param name="scriptName">The script.</param>
    /// <param name="at">When it was received.</param>
    /// <param name="kind">Its kind.</param>
    /// <param name="body">What came with it.</param>
    /// <param name="source">Where it came from.</param>
    /// <exception cref="ArgumentException">The name is not a script name, or the kind is not <see cref="ScriptEvent.Log"/>.</exception>
    public static ScriptEvent Normalize(string scriptName, DateTimeOffset at, string kind, string? body, string? source)
    {
        RunValidation.ScriptName(scriptName, nameof(scriptName));
        if (kind != ScriptEvent.Log)
        {
            throw new ArgumentException($"kind must be '{ScriptEvent.Log}', not '{kind}'.", nameof(kind));
        }

        var tail = body is { Length: > ScriptEvent.MaxBodyLength } ? body[^ScriptEvent.MaxBodyLength..] : body;
        var from = source is { Length: > ScriptEvent.MaxSourceLength } ? source[..ScriptEvent.MaxSourceLength] : source;
        return new ScriptEvent(0, scriptName, at.ToUniversalTime(), kind, string.IsNullOrEmpty(tail) ? null : tail, from);
    }
}

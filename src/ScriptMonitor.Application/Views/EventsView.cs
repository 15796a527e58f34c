using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Views;

/// <summary>One event of a script that is not a run (a Healthchecks <c>/log</c>), as <c>scriptmon events --json</c> and the API show it.</summary>
/// <param name="Id">The event's number, growing with every event.</param>
/// <param name="Script">The script.</param>
/// <param name="At">When it was received (UTC, ISO 8601).</param>
/// <param name="Kind">What it is: <c>log</c>.</param>
/// <param name="Body">The tail of what came with it; null when nothing did.</param>
/// <param name="Source">Where it came from (the client's address); null when unknown.</param>
public sealed record ScriptEventView(long Id, string Script, string At, string Kind, string? Body, string? Source)
{
    /// <summary>The view of a stored event.</summary>
    /// <param name="scriptEvent">The event.</param>
    public static ScriptEventView From(ScriptEvent scriptEvent)
    {
        ArgumentNullException.ThrowIfNull(scriptEvent);
        return new(scriptEvent.Id, scriptEvent.ScriptName, Timestamps.FormatIso(scriptEvent.At), scriptEvent.Kind, scriptEvent.Body, scriptEvent.Source);
    }
}

/// <summary>A page of a script's events, newest first.</summary>
/// <param name="Script">The script.</param>
/// <param name="Events">The events of the page.</param>
/// <param name="NextOffset">The <c>offset</c> of the next, older page; null on the last.</param>
public sealed record EventsView(string Script, IReadOnlyList<ScriptEventView> Events, int? NextOffset);

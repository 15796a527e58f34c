namespace ScriptMonitor.Application.Views;

/// <summary>What closing a run left running did (<c>scriptmon close --json</c>).</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Script">Its script, when the run was found running.</param>
/// <param name="Closed">True when it was closed as abandoned.</param>
/// <param name="Problem">Why it was not, if it was not.</param>
public sealed record RunClosedView(Guid RunId, string? Script, bool Closed, string? Problem)
{
    /// <summary>The host the run was running on, when it was found running.</summary>
    public string? Host { get; init; }

    /// <summary>When the run started, when it was found running.</summary>
    public string? StartedAt { get; init; }
}

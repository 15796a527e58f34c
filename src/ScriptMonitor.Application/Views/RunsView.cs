namespace ScriptMonitor.Application.Views;

/// <summary>A script's runs, newest first (<c>scriptmon runs --json</c>).</summary>
/// <param name="Script">The script's name.</param>
/// <param name="Runs">Its runs that matched, newest start first.</param>
public sealed record RunsView(string Script, IReadOnlyList<RunView> Runs)
{
    /// <summary>The cursor of the next, older page (give it as <c>before</c>); null when this page is the last.</summary>
    public string? Next { get; init; }
}

namespace ScriptMonitor.Application.Views;

/// <summary>A script's runs, newest first (<c>scriptmon runs --json</c>).</summary>
/// <param name="Script">The script's name.</param>
/// <param name="Runs">Its runs that matched, newest start first.</param>
public sealed record RunsView(string Script, IReadOnlyList<RunView> Runs);

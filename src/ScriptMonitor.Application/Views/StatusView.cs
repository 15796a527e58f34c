namespace ScriptMonitor.Application.Views;

/// <summary>
/// The status overview: one row per script the store knows (<c>scriptmon status --json</c>, and the server's status
/// endpoint, which answer from the same code).
/// </summary>
/// <param name="Store">The store read, for people (never with a password).</param>
/// <param name="GeneratedAt">The instant every row was read and evaluated at.</param>
/// <param name="Scripts">The rows, by name.</param>
public sealed record StatusView(string Store, string GeneratedAt, IReadOnlyList<ScriptStatusView> Scripts);

/// <summary>One script's row of the <see cref="StatusView"/>.</summary>
/// <param name="Name">The script's name.</param>
/// <param name="LastSuccess">Its successful run with the latest start, on any host; null if none.</param>
/// <param name="LastSuccessAgeSeconds">How long ago that run completed; null if none.</param>
/// <param name="LastFailure">Its failed run with the latest start; null if none.</param>
/// <param name="RunsLast24Hours">How many runs of any outcome started in the last 24 hours.</param>
/// <param name="MedianSeconds">The median runtime of its successful runs of the last 30 days; null if none.</param>
/// <param name="Health">Its state (<c>Up</c>, <c>Late</c>, <c>Failing</c>, …); null where it was not evaluated.</param>
/// <param name="Reason">The first reason for the state, as a sentence.</param>
public sealed record ScriptStatusView(
    string Name,
    RunView? LastSuccess,
    double? LastSuccessAgeSeconds,
    RunView? LastFailure,
    int RunsLast24Hours,
    double? MedianSeconds,
    string? Health,
    string? Reason);

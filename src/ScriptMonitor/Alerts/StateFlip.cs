using ScriptMonitor.Health;

namespace ScriptMonitor.Alerts;

/// <summary>
/// A change of a script's evaluated state, as the alert loop recorded it: when, from what to what, and why. Every change
/// is kept, whether or not anybody was told of it.
/// </summary>
/// <param name="Id">The store's id, increasing in the order flips were recorded; 0 for a flip not yet recorded.</param>
/// <param name="ScriptName">The script.</param>
/// <param name="At">When the loop saw the change (the instant of the evaluation).</param>
/// <param name="From">The state before; null for the first state ever recorded of the script.</param>
/// <param name="To">The state after.</param>
/// <param name="Reason">The first reason of the new state, with its facts.</param>
public sealed record StateFlip(long Id, string ScriptName, DateTimeOffset At, HealthState? From, HealthState To, HealthReason Reason)
{
    /// <summary>
    /// True when the change was recorded but not told as news: the run behind it happened long before it reached the
    /// store (a spool delivered after an outage), or the change was too quiet to tell (new to up, paused to up).
    /// </summary>
    public bool Quiet { get; init; }
}

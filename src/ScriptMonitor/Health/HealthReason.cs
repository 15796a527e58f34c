namespace ScriptMonitor.Health;

/// <summary>Why a script or host has a state, as a sentence a person can act on and as the facts behind it.</summary>
/// <param name="State">The state this reason supports.</param>
/// <param name="Hostname">The host it is about; null when it is about the script on any host.</param>
/// <param name="Message">The sentence, with the numbers and instants that led to it.</param>
public sealed record HealthReason(HealthState State, string? Hostname, string Message)
{
    /// <summary>The facts the sentence states, for machines (metrics, JSON, notification templates) to read.</summary>
    public HealthFacts Facts { get; init; } = HealthFacts.None;
}

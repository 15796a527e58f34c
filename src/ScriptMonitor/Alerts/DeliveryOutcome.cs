namespace ScriptMonitor.Alerts;

/// <summary>How one attempt to deliver a notification ended.</summary>
/// <param name="EventId">The notification.</param>
/// <param name="AttemptedAt">When the attempt began (UTC).</param>
/// <param name="Delivered">True when the channel took it.</param>
/// <param name="Error">What went wrong; null when delivered.</param>
public sealed record DeliveryOutcome(Guid EventId, DateTimeOffset AttemptedAt, bool Delivered, string? Error)
{
    /// <summary>When to try again; null for no more attempts (delivered, gone, or out of attempts).</summary>
    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>True when the channel answered that it is gone for good: the channel is marked broken.</summary>
    public bool ChannelGone { get; init; }
}

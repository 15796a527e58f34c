using ScriptMonitor.Alerts;

namespace ScriptMonitor.Application.Alerts;

/// <summary>Delivers one notification to one channel of one kind, once: retries are the dispatcher's.</summary>
internal interface INotificationSender
{
    /// <summary>The kind of channel it delivers to.</summary>
    ChannelKind Kind { get; }

    /// <summary>Makes one attempt, within <paramref name="cancellationToken"/> (the attempt's timeout).</summary>
    /// <param name="channel">The channel, with its secrets.</param>
    /// <param name="alert">What to tell; its <see cref="AlertEvent.EventId"/> goes with it (an Idempotency-Key header, the Message-ID).</param>
    /// <param name="cancellationToken">Ends the attempt.</param>
    Task<SendResult> SendAsync(AlertChannel channel, AlertEvent alert, CancellationToken cancellationToken);
}

/// <summary>How one attempt ended, as a sender saw it.</summary>
/// <param name="Delivered">True when the channel took it.</param>
/// <param name="Error">What went wrong, in a line; null when delivered.</param>
/// <param name="Retry">True when another attempt may succeed (a timeout, a 5xx, a refused connection); false for an answer that will not change (a 4xx).</param>
/// <param name="ChannelGone">True when the channel answered that it is gone for good (404 or 410 from a webhook): it is marked broken.</param>
internal sealed record SendResult(bool Delivered, string? Error, bool Retry, bool ChannelGone = false)
{
    /// <summary>The channel took it.</summary>
    public static SendResult Success { get; } = new(true, null, false);

    /// <summary>True when the attempt ran out of its time: not tried again within the attempt, so that a channel that does not answer holds the others up once.</summary>
    public bool TimedOut { get; init; }
}

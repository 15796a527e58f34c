namespace ScriptMonitor.Alerts;

/// <summary>
/// One notification to one channel, as the outbox keeps it: written in the same transaction as the flip behind it,
/// delivered at least once. <see cref="EventId"/> is stable across attempts and is sent with each (an
/// <c>Idempotency-Key</c> header, an email's Message-ID), so a receiver can drop a repeat.
/// </summary>
/// <param name="EventId">Its id; the same in every attempt.</param>
/// <param name="ChannelName">The channel it goes to.</param>
/// <param name="ScriptName">The script it is about.</param>
/// <param name="Kind">What it tells.</param>
/// <param name="CreatedAt">When it was written (UTC).</param>
/// <param name="Payload">The event as JSON, as the channel renders it.</param>
public sealed record Notification(Guid EventId, string ChannelName, string ScriptName, NotificationKind Kind, DateTimeOffset CreatedAt, string Payload)
{
    /// <summary>The flip it tells of; null for a test or a repeat.</summary>
    public long? FlipId { get; init; }

    /// <summary>Where it is in its delivery.</summary>
    public NotificationStatus Status { get; init; } = NotificationStatus.Pending;

    /// <summary>How many attempts were made.</summary>
    public int Attempts { get; init; }

    /// <summary>When the next attempt is due, while <see cref="NotificationStatus.Pending"/>.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>What the last failed attempt said; null when none failed.</summary>
    public string? LastError { get; init; }

    /// <summary>When the channel took it.</summary>
    public DateTimeOffset? DeliveredAt { get; init; }
}

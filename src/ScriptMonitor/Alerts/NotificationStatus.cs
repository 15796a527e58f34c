namespace ScriptMonitor.Alerts;

/// <summary>Where a notification is in its delivery.</summary>
public enum NotificationStatus
{
    /// <summary>Waiting for its first or next attempt.</summary>
    Pending = 0,

    /// <summary>The channel took it.</summary>
    Delivered = 1,

    /// <summary>Every attempt failed, or the channel is gone; no more attempts.</summary>
    Failed = 2,
}

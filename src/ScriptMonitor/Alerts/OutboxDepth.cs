namespace ScriptMonitor.Alerts;

/// <summary>How much the outbox holds undelivered, for the monitor's own metrics.</summary>
/// <param name="Pending">Notifications waiting for an attempt.</param>
/// <param name="OldestPendingAt">When the oldest of them was written; null when none waits.</param>
/// <param name="Failed">Notifications given up on.</param>
public sealed record OutboxDepth(long Pending, DateTimeOffset? OldestPendingAt, long Failed);

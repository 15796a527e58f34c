namespace ScriptMonitor.Application.Alerts;

/// <summary>The senders of every kind of channel the server delivers to.</summary>
internal static class NotificationSenderSet
{
    public static IReadOnlyList<INotificationSender> Create(AlertOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        return [];
    }
}

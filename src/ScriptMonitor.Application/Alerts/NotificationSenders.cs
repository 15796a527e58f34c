using ScriptMonitor.Alerts;

namespace ScriptMonitor.Application.Alerts;

/// <summary>The sender of each kind of channel.</summary>
internal static class NotificationSenders
{
    private static readonly INotificationSender[] All = [new WebhookSender(), new SlackSender(), new EmailSender(), new CommandSender()];

    /// <summary>Every sender, one per kind.</summary>
    internal static IReadOnlyList<INotificationSender> Every => All;

    /// <summary>The sender of a kind.</summary>
    internal static INotificationSender For(ChannelKind kind) => All.First(s => s.Kind == kind);
}

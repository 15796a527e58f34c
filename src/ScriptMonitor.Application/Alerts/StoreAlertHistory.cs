using System.Globalization;
using ScriptMonitor.Alerts;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Alerts;

/// <summary>Flips and notifications read from the store; a store that does not exist yet has none.</summary>
/// <param name="access">The store.</param>
internal sealed class StoreAlertHistory(StoreAccess access) : IAlertHistory
{
    public async Task<FlipsView> FlipsAsync(string script, int limit, CancellationToken cancellationToken = default)
    {
        RunValidation.ScriptName(script, "script");
        CheckLimit(limit);
        using var store = access.OpenForReading();
        var flips = store is null ? [] : await store.ListFlipsAsync(script, null, limit, cancellationToken).ConfigureAwait(false);
        return new FlipsView(script, flips.Select(ToView).ToList());
    }

    public async Task<NotificationsView> NotificationsAsync(string? script, string? channel, int limit, CancellationToken cancellationToken = default)
    {
        Check(script, channel, limit);
        using var store = access.OpenForReading();
        var notifications = store is null ? [] : await store.ListNotificationsAsync(script, channel, null, limit, cancellationToken).ConfigureAwait(false);
        return new NotificationsView(notifications.Select(ToView).ToList());
    }

    internal static void Check(string? script, string? channel, int limit)
    {
        if (script is not null)
        {
            RunValidation.ScriptName(script, "script");
        }

        if (channel is not null)
        {
            RunValidation.ScriptName(channel, "channel");
        }

        CheckLimit(limit);
    }

    internal static void CheckLimit(int limit)
    {
        if (limit is < 1 or > RunQuery.MaxLimit)
        {
            throw new ValidationException([new FieldError("limit", FieldRules.Range, string.Create(CultureInfo.InvariantCulture, $"limit ({limit}) must be from 1 to {RunQuery.MaxLimit:N0}."))]);
        }
    }

    internal static FlipView ToView(StateFlip flip)
    {
        var facts = flip.Reason.Facts;
        return new FlipView(
            flip.Id,
            flip.ScriptName,
            Timestamps.FormatIso(flip.At),
            flip.From?.ToString(),
            flip.To.ToString(),
            flip.Reason.Message,
            flip.Reason.Hostname,
            flip.Quiet,
            Iso(facts.DueAt),
            Iso(facts.LastSuccessAt),
            Iso(facts.RunStartedAt),
            facts.ObservedDuration?.TotalSeconds,
            facts.LimitDuration?.TotalSeconds,
            facts.ObservedCount,
            facts.LimitCount,
            facts.ExitCode);
    }

    internal static NotificationView ToView(Notification notification)
    {
        string? summary;
        try
        {
            summary = AlertEventBuilder.Deserialize(notification.Payload).Summary;
        }
        catch (System.Text.Json.JsonException)
        {
            summary = null;
        }

        return new NotificationView(
            notification.EventId,
            notification.ChannelName,
            notification.ScriptName,
            notification.Kind.ToString(),
            Timestamps.FormatIso(notification.CreatedAt),
            notification.Status.ToString(),
            notification.Attempts,
            notification.Status == NotificationStatus.Pending ? Iso(notification.NextAttemptAt) : null,
            notification.LastError,
            Iso(notification.DeliveredAt),
            notification.FlipId,
            summary);
    }

    private static string? Iso(DateTimeOffset? instant) => instant is { } at ? Timestamps.FormatIso(at) : null;
}

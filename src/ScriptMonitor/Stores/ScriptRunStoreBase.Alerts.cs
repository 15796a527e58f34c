using ScriptMonitor.Alerts;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Stores;

/// <summary>The alert loop's part of the store and the maintenance windows: arguments checked here, SQL in <see cref="IAlertRows"/>.</summary>
public abstract partial class ScriptRunStoreBase
{
    /// <inheritdoc/>
    public Task<IReadOnlyList<ScriptChange>> ReadChangesAsync(long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        AlertValidation.Sequence(afterSequence, nameof(afterSequence));
        RunValidation.Limit(limit, nameof(limit));
        return _alerts.ReadChangesAsync(afterSequence, limit, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<LeaderLease?> TryTakeLeaseAsync(string holder, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        AlertValidation.Holder(holder, nameof(holder));
        AlertValidation.LeaseDuration(duration, nameof(duration));
        return _alerts.TryTakeLeaseAsync(holder, duration, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<LeaderLease?> GetLeaseAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _alerts.GetLeaseAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public Task ReleaseLeaseAsync(LeaderLease lease, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _alerts.ReleaseLeaseAsync(AlertValidation.Lease(lease, nameof(lease)), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<StateFlip> RecordFlipAsync(StateFlip flip, IReadOnlyList<Notification> notifications, LeaderLease lease, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = Now;
        var checkedFlip = AlertValidation.Flip(flip, nameof(flip), now);
        var checkedNotifications = AlertValidation.Notifications(notifications, nameof(notifications), now, checkedFlip.ScriptName);
        return _alerts.InsertFlipAsync(checkedFlip, checkedNotifications, AlertValidation.Lease(lease, nameof(lease)), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<StateFlip>> ReadLatestFlipsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _alerts.ReadLatestFlipsAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<StateFlip>> ListFlipsAsync(string? scriptName = null, DateTimeOffset? before = null, int limit = RunQuery.DefaultLimit, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        AlertValidation.OptionalName(scriptName, nameof(scriptName), "script name");
        RunValidation.Limit(limit, nameof(limit));
        return _alerts.ListFlipsAsync(scriptName, before is { } b ? Timestamps.Normalize(b) : null, limit, cancellationToken);
    }

    /// <inheritdoc/>
    public Task EnqueueNotificationsAsync(IReadOnlyList<Notification> notifications, LeaderLease lease, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var checkedNotifications = AlertValidation.Notifications(notifications, nameof(notifications), Now);
        var checkedLease = AlertValidation.Lease(lease, nameof(lease));
        return checkedNotifications.Count == 0 ? Task.CompletedTask : _alerts.InsertNotificationsAsync(checkedNotifications, checkedLease, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<Notification>> ClaimDueNotificationsAsync(LeaderLease lease, DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var checkedLease = AlertValidation.Lease(lease, nameof(lease));
        var at = RunValidation.Instant(now, nameof(now), Now);
        RunValidation.Limit(limit, nameof(limit));
        return _alerts.ClaimDueAsync(checkedLease, at, limit, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task RecordDeliveryAsync(DeliveryOutcome outcome, LeaderLease lease, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var checkedOutcome = AlertValidation.Outcome(outcome, nameof(outcome), Now);
        if (!await _alerts.RecordDeliveryAsync(checkedOutcome, AlertValidation.Lease(lease, nameof(lease)), cancellationToken).ConfigureAwait(false))
        {
            throw new KeyNotFoundException($"No notification has the event id {checkedOutcome.EventId}.");
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<Notification>> ListNotificationsAsync(string? scriptName = null, string? channelName = null, DateTimeOffset? before = null, int limit = RunQuery.DefaultLimit, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        AlertValidation.OptionalName(scriptName, nameof(scriptName), "script name");
        AlertValidation.OptionalName(channelName, nameof(channelName), "channel name");
        RunValidation.Limit(limit, nameof(limit));
        return _alerts.ListNotificationsAsync(scriptName, channelName, before is { } b ? Timestamps.Normalize(b) : null, limit, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<DeliveryOutcome>> ListDeliveryAttemptsAsync(Guid eventId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _alerts.ListDeliveryAttemptsAsync(eventId, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<OutboxDepth> GetOutboxDepthAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _alerts.GetOutboxDepthAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> SaveChannelAsync(AlertChannel channel, bool replace = false, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _alerts.SaveChannelAsync(AlertValidation.Channel(channel, nameof(channel), Now), replace, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<AlertChannel>> ListChannelsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _alerts.ListChannelsAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> RemoveChannelAsync(string name, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _alerts.RemoveChannelAsync(AlertValidation.Name(name, nameof(name), "channel name"), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> SaveMaintenanceWindowAsync(MaintenanceWindow window, bool replace = false, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // The window's own rules first, so the store refuses what the evaluation could not read; then the store's (its creation instant).
        return _alerts.SaveMaintenanceWindowAsync(AlertValidation.Window(MaintenanceWindowValidation.Validate(window), nameof(window), Now), replace, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<MaintenanceWindow>> ListMaintenanceWindowsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _alerts.ListMaintenanceWindowsAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> RemoveMaintenanceWindowAsync(string name, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _alerts.RemoveMaintenanceWindowAsync(AlertValidation.Name(name, nameof(name), "window name"), cancellationToken);
    }
}

using ScriptMonitor.Alerts;

namespace ScriptMonitor.Stores;

/// <summary>
/// A backend's SQL for the alert loop: the change feed, the leader lease, flips, the outbox and its delivery attempts,
/// channels and maintenance windows. Every argument arrives checked and normalized (names, limits, instants in UTC to
/// the microsecond) by <see cref="ScriptRunStoreBase"/>. Every failure of the database to be reached or written is a
/// <see cref="Runs.StoreUnavailableException"/>.
/// </summary>
/// <remarks>
/// A write that carries a <see cref="LeaderLease"/> checks, in its own transaction, that the stored lease has the same
/// holder and token and has not lapsed (by the backend's clock: the database's where there is one), and throws
/// <see cref="LeaseLostException"/> having written nothing when it does not.
/// </remarks>
public interface IAlertRows
{
    /// <summary>Scripts whose change sequence is above <paramref name="afterSequence"/>, lowest first.</summary>
    /// <param name="afterSequence">The cursor, not negative.</param>
    /// <param name="limit">How many at most, checked.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ScriptChange>> ReadChangesAsync(long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Grants or renews the lease: renewed (same token) when <paramref name="holder"/> holds it unlapsed; granted with
    /// the next token when nobody ever held it, it lapsed or was released; refused while another holds it unlapsed.
    /// </summary>
    /// <param name="holder">The instance, checked.</param>
    /// <param name="duration">How long from now, checked.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The lease as stored now; null when another holds it.</returns>
    Task<LeaderLease?> TryTakeLeaseAsync(string holder, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>The stored lease, lapsed or not; null when nobody ever took it.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<LeaderLease?> GetLeaseAsync(CancellationToken cancellationToken);

    /// <summary>Makes the lease lapse now when it is still <paramref name="lease"/>; nothing otherwise.</summary>
    /// <param name="lease">The lease held, checked.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task ReleaseLeaseAsync(LeaderLease lease, CancellationToken cancellationToken);

    /// <summary>Inserts a flip and its notifications (pending, due at their <see cref="Notification.NextAttemptAt"/>) in one transaction, under the lease.</summary>
    /// <param name="flip">The flip, checked.</param>
    /// <param name="notifications">Its notifications, checked; their flip id is the new flip's.</param>
    /// <param name="lease">The lease, checked.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The flip with its id.</returns>
    Task<StateFlip> InsertFlipAsync(StateFlip flip, IReadOnlyList<Notification> notifications, LeaderLease lease, CancellationToken cancellationToken);

    /// <summary>The newest flip of every script that has one, by script name.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<StateFlip>> ReadLatestFlipsAsync(CancellationToken cancellationToken);

    /// <summary>Flips newest first (by instant, then id).</summary>
    /// <param name="scriptName">Only this script's, checked; null for all.</param>
    /// <param name="before">Only before this instant, in UTC; null for the newest.</param>
    /// <param name="limit">How many at most, checked.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<StateFlip>> ListFlipsAsync(string? scriptName, DateTimeOffset? before, int limit, CancellationToken cancellationToken);

    /// <summary>Inserts notifications no flip causes, in one transaction, under the lease.</summary>
    /// <param name="notifications">The notifications, checked.</param>
    /// <param name="lease">The lease, checked.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task InsertNotificationsAsync(IReadOnlyList<Notification> notifications, LeaderLease lease, CancellationToken cancellationToken);

    /// <summary>Pending notifications due at <paramref name="now"/> (next attempt, then creation, then id), read under the lease.</summary>
    /// <param name="lease">The lease, checked.</param>
    /// <param name="now">The instant, in UTC.</param>
    /// <param name="limit">How many at most, checked.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<Notification>> ClaimDueAsync(LeaderLease lease, DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>Records an attempt and its effect on the notification (and on the channel when it is gone) in one transaction, under the lease.</summary>
    /// <param name="outcome">The outcome, checked.</param>
    /// <param name="lease">The lease, checked.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>False when no notification has its event id (nothing is written).</returns>
    Task<bool> RecordDeliveryAsync(DeliveryOutcome outcome, LeaderLease lease, CancellationToken cancellationToken);

    /// <summary>Notifications newest first (by creation, then event id).</summary>
    /// <param name="scriptName">Only about this script, checked; null for all.</param>
    /// <param name="channelName">Only to this channel, checked; null for all.</param>
    /// <param name="before">Only created before this instant, in UTC; null for the newest.</param>
    /// <param name="limit">How many at most, checked.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<Notification>> ListNotificationsAsync(string? scriptName, string? channelName, DateTimeOffset? before, int limit, CancellationToken cancellationToken);

    /// <summary>A notification's attempts, oldest first.</summary>
    /// <param name="eventId">The notification.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<DeliveryOutcome>> ListDeliveryAttemptsAsync(Guid eventId, CancellationToken cancellationToken);

    /// <summary>Counts of pending and failed notifications, and the creation of the oldest pending.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<OutboxDepth> GetOutboxDepthAsync(CancellationToken cancellationToken);

    /// <summary>Inserts a channel, or replaces the one of its name (clearing its broken mark) when <paramref name="replace"/>.</summary>
    /// <param name="channel">The channel, checked, with its creation instant set.</param>
    /// <param name="replace">Whether an existing one is replaced.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>False when the name is taken and <paramref name="replace"/> is false (nothing is written).</returns>
    Task<bool> SaveChannelAsync(AlertChannel channel, bool replace, CancellationToken cancellationToken);

    /// <summary>Every channel by name, with its secrets.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<AlertChannel>> ListChannelsAsync(CancellationToken cancellationToken);

    /// <summary>Deletes a channel and fails its pending notifications, in one transaction.</summary>
    /// <param name="name">The channel, checked.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when there was one.</returns>
    Task<bool> RemoveChannelAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts a maintenance window, or replaces the one of its name when <paramref name="replace"/>; the scripts it is
    /// for (its script, or every script whose expectation has its tag) get a new change sequence in the same transaction.
    /// </summary>
    /// <param name="window">The window, checked, with its creation instant set.</param>
    /// <param name="replace">Whether an existing one is replaced.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>False when the name is taken and <paramref name="replace"/> is false (nothing is written).</returns>
    Task<bool> SaveMaintenanceWindowAsync(MaintenanceWindow window, bool replace, CancellationToken cancellationToken);

    /// <summary>Every maintenance window by name.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<MaintenanceWindow>> ListMaintenanceWindowsAsync(CancellationToken cancellationToken);

    /// <summary>Deletes a maintenance window; the scripts it was for get a new change sequence in the same transaction.</summary>
    /// <param name="name">The window, checked.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when there was one.</returns>
    Task<bool> RemoveMaintenanceWindowAsync(string name, CancellationToken cancellationToken);
}

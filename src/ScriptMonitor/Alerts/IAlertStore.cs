namespace ScriptMonitor.Alerts;

/// <summary>
/// What the alert loop keeps in the store: the change feed it follows, the flips it records, the outbox it delivers
/// from, the channels it delivers to and the lease that lets one instance at a time do it. Maintenance windows are part
/// of the evaluated state and live with the expectations (<see cref="Health.IExpectationStore"/>).
/// </summary>
/// <remarks>
/// Writes of the loop carry the <see cref="LeaderLease"/> they act under and are refused with
/// <see cref="LeaseLostException"/>, writing nothing, when it is no longer the store's current lease (another holder,
/// another token, or lapsed).
/// </remarks>
public interface IAlertStore
{
    /// <summary>
    /// Scripts whose runs, skips or expectation changed after a sequence number, oldest change first: one entry per
    /// script, at its newest change. On a store with concurrent writers (PostgreSQL) a change may become visible after
    /// one with a higher number; a reader re-reads a short window behind its cursor.
    /// </summary>
    /// <param name="afterSequence">Only changes numbered above this; 0 for all.</param>
    /// <param name="limit">How many scripts at most (1 to <see cref="Runs.RunQuery.MaxLimit"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ScriptChange>> ReadChangesAsync(long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>Takes or renews the lease for <paramref name="holder"/>: granted when nobody holds it, it lapsed, or the holder already holds it.</summary>
    /// <param name="holder">The instance asking.</param>
    /// <param name="duration">How long it lasts from now unless renewed; 1 s to 1 h.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The lease when the holder holds it now (a new token when it changed hands); null when another holds it.</returns>
    Task<LeaderLease?> TryTakeLeaseAsync(string holder, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>The lease as it stands, held or lapsed; null when nobody ever took it.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<LeaderLease?> GetLeaseAsync(CancellationToken cancellationToken = default);

    /// <summary>Gives the lease up, so that another instance takes it at once; nothing when it is no longer this one's.</summary>
    /// <param name="lease">The lease held.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task ReleaseLeaseAsync(LeaderLease lease, CancellationToken cancellationToken = default);

    /// <summary>Records a flip and the notifications it causes in one transaction.</summary>
    /// <param name="flip">The flip; its <see cref="StateFlip.Id"/> is ignored.</param>
    /// <param name="notifications">Its notifications, one per channel; may be empty. Their <see cref="Notification.FlipId"/> is set to the flip's.</param>
    /// <param name="lease">The lease the loop acts under.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The flip as recorded, with its id.</returns>
    /// <exception cref="LeaseLostException">The lease is no longer current; nothing was written.</exception>
    Task<StateFlip> RecordFlipAsync(StateFlip flip, IReadOnlyList<Notification> notifications, LeaderLease lease, CancellationToken cancellationToken = default);

    /// <summary>The newest flip of every script that has one, for a loop that starts to know where each script stood.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<StateFlip>> ReadLatestFlipsAsync(CancellationToken cancellationToken = default);

    /// <summary>Flips newest first, of one script or all.</summary>
    /// <param name="scriptName">Only this script's; null for all.</param>
    /// <param name="before">Only flips before this instant; null for the newest.</param>
    /// <param name="limit">How many at most (1 to <see cref="Runs.RunQuery.MaxLimit"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<StateFlip>> ListFlipsAsync(string? scriptName = null, DateTimeOffset? before = null, int limit = Runs.RunQuery.DefaultLimit, CancellationToken cancellationToken = default);

    /// <summary>Adds notifications that no flip causes (repeats while a script stays down) to the outbox.</summary>
    /// <param name="notifications">The notifications.</param>
    /// <param name="lease">The lease the loop acts under.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LeaseLostException">The lease is no longer current; nothing was written.</exception>
    Task EnqueueNotificationsAsync(IReadOnlyList<Notification> notifications, LeaderLease lease, CancellationToken cancellationToken = default);

    /// <summary>Pending notifications whose next attempt is due at <paramref name="now"/>, oldest first.</summary>
    /// <param name="lease">The lease the dispatcher acts under.</param>
    /// <param name="now">The instant.</param>
    /// <param name="limit">How many at most.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LeaseLostException">The lease is no longer current.</exception>
    Task<IReadOnlyList<Notification>> ClaimDueNotificationsAsync(LeaderLease lease, DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records an attempt: the notification is delivered, failed for good, or pending again until
    /// <see cref="DeliveryOutcome.RetryAt"/>; a channel that is gone is marked broken. The attempt is kept.
    /// </summary>
    /// <param name="outcome">How it ended.</param>
    /// <param name="lease">The lease the dispatcher acts under.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LeaseLostException">The lease is no longer current; nothing was written.</exception>
    /// <exception cref="KeyNotFoundException">No notification has that event id.</exception>
    Task RecordDeliveryAsync(DeliveryOutcome outcome, LeaderLease lease, CancellationToken cancellationToken = default);

    /// <summary>Notifications newest first, filtered.</summary>
    /// <param name="scriptName">Only about this script; null for all.</param>
    /// <param name="channelName">Only to this channel; null for all.</param>
    /// <param name="before">Only written before this instant; null for the newest.</param>
    /// <param name="limit">How many at most (1 to <see cref="Runs.RunQuery.MaxLimit"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<Notification>> ListNotificationsAsync(string? scriptName = null, string? channelName = null, DateTimeOffset? before = null, int limit = Runs.RunQuery.DefaultLimit, CancellationToken cancellationToken = default);

    /// <summary>Every attempt to deliver a notification, oldest first.</summary>
    /// <param name="eventId">The notification.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<DeliveryOutcome>> ListDeliveryAttemptsAsync(Guid eventId, CancellationToken cancellationToken = default);

    /// <summary>How much the outbox holds undelivered.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<OutboxDepth> GetOutboxDepthAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a channel, or replaces the one of its name.</summary>
    /// <param name="channel">The channel, checked by its kind's rules.</param>
    /// <param name="replace">True to replace a channel of the same name (clearing its broken mark); false to refuse it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when saved; false when the name is taken and <paramref name="replace"/> is false.</returns>
    Task<bool> SaveChannelAsync(AlertChannel channel, bool replace = false, CancellationToken cancellationToken = default);

    /// <summary>Every channel by name, with its secrets (for the dispatcher; views redact them).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<AlertChannel>> ListChannelsAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes a channel; its notifications stay in the list, and pending ones fail.</summary>
    /// <param name="name">The channel's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when there was one.</returns>
    Task<bool> RemoveChannelAsync(string name, CancellationToken cancellationToken = default);
}

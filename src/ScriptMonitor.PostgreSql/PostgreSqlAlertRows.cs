using ScriptMonitor.Alerts;
using ScriptMonitor.Stores;

namespace ScriptMonitor.PostgreSql;

/// <summary>The SQL of the alert loop in PostgreSQL.</summary>
internal sealed class PostgreSqlAlertRows(PostgreSqlSession session) : IAlertRows
{
    // The SQL comes with the schema's alert tables; until then the session is only held.
    private readonly PostgreSqlSession _session = session;

    public Task<IReadOnlyList<ScriptChange>> ReadChangesAsync(long afterSequence, int limit, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public Task<LeaderLease?> TryTakeLeaseAsync(string holder, TimeSpan duration, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public Task<LeaderLease?> GetLeaseAsync(CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public Task ReleaseLeaseAsync(LeaderLease lease, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public Task<StateFlip> InsertFlipAsync(StateFlip flip, IReadOnlyList<Notification> notifications, LeaderLease lease, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public Task<IReadOnlyList<StateFlip>> ReadLatestFlipsAsync(CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public Task<IReadOnlyList<StateFlip>> ListFlipsAsync(string? scriptName, DateTimeOffset? before, int limit, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public Task InsertNotificationsAsync(IReadOnlyList<Notification> notifications, LeaderLease lease, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public Task<IReadOnlyList<Notification>> ClaimDueAsync(LeaderLease lease, DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public Task<bool> RecordDeliveryAsync(DeliveryOutcome outcome, LeaderLease lease, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public Task<IReadOnlyList<Notification>> ListNotificationsAsync(string? scriptName, string? channelName, DateTimeOffset? before, int limit, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public Task<IReadOnlyList<DeliveryOutcome>> ListDeliveryAttemptsAsync(Guid eventId, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public Task<OutboxDepth> GetOutboxDepthAsync(CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public Task<bool> SaveChannelAsync(AlertChannel channel, bool replace, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public Task<IReadOnlyList<AlertChannel>> ListChannelsAsync(CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public Task<bool> RemoveChannelAsync(string name, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public Task<bool> SaveMaintenanceWindowAsync(MaintenanceWindow window, bool replace, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public Task<IReadOnlyList<MaintenanceWindow>> ListMaintenanceWindowsAsync(CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public Task<bool> RemoveMaintenanceWindowAsync(string name, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}

using ScriptMonitor.Access;
using ScriptMonitor.Alerts;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Benchmarks.Scripts;

/// <summary>A store that accepts every run and keeps none: what is left of a script's run is the base class alone.</summary>
internal sealed class DiscardingStore : IScriptRunStore
{
    public string Description => "discard:";

    public Task<bool> ImportRunAsync(ScriptRun run, CancellationToken cancellationToken = default) => Task.FromResult(true);

    public Task<IReadOnlyList<RunImportResult>> ImportRunsAsync(IReadOnlyList<RunDelivery> deliveries, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RunImportResult>>([.. deliveries.Select(d => new RunImportResult(d.Run.RunId, RunImportStatus.Stored))]);

    public ScriptActivity RecordSuccess(string name, DateTimeOffset dateStarted, DateTimeOffset dateCompleted, string? hostname = null) =>
        new(name, hostname ?? "bench-host", dateStarted, dateCompleted);

    public Task<ScriptActivity> RecordSuccessAsync(string name, DateTimeOffset dateStarted, DateTimeOffset dateCompleted, string? hostname = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(RecordSuccess(name, dateStarted, dateCompleted, hostname));

    public ScriptActivity? GetLastActivity(string name) => null;

    public Task<ScriptActivity?> GetLastActivityAsync(string name, CancellationToken cancellationToken = default) => Task.FromResult<ScriptActivity?>(null);

    public Task<ScriptRun> RecordStartAsync(string name, DateTimeOffset startedAt, string? hostname = null, Guid? runId = null, RunnerProcess? runner = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ScriptRun(runId ?? Guid.NewGuid(), name, hostname ?? "bench-host", startedAt, null, RunOutcome.Running, null, null));

    public Task<bool> AbandonRunAsync(Guid runId, DateTimeOffset abandonedAt, string reason, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<IReadOnlyList<ScriptRun>> ListRunningAsync(string? hostname = null, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ScriptRun>>([]);

    public Task<bool> RecordSkipAsync(ScriptSkip skip, CancellationToken cancellationToken = default) => Task.FromResult(true);

    public Task<IReadOnlyList<ScriptSkip>> ListSkipsAsync(string name, DateTimeOffset? since = null, int limit = RunQuery.DefaultLimit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ScriptSkip>>([]);

    public Task<ScriptRun> CompleteRunAsync(Guid runId, DateTimeOffset completedAt, RunOutcome outcome, int? exitCode = null, string? output = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ScriptRun(runId, "bench-script", "bench-host", completedAt, completedAt, outcome, exitCode, output));

    public Task<ScriptRun> RecordFailureAsync(string name, DateTimeOffset startedAt, DateTimeOffset completedAt, int? exitCode = null, string? message = null, string? hostname = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<ScriptRun?> GetRunAsync(Guid runId, CancellationToken cancellationToken = default) =>
        Task.FromResult<ScriptRun?>(null);

    public Task<IReadOnlyList<ScriptRun>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ScriptRun>>([]);

    public Task<IReadOnlyList<ScriptSummary>> ListScriptsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ScriptSummary>>([]);

    public Task<IReadOnlyList<ScriptOverview>> ReadOverviewAsync(OverviewQuery query, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ScriptOverview>>([]);

    public Task<RuntimeStatistics> GetRuntimeStatisticsAsync(string name, DateTimeOffset since, DateTimeOffset until, string? hostname = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<long> PruneAsync(DateTimeOffset olderThan, int keepLast = 0, CancellationToken cancellationToken = default) => Task.FromResult(0L);

    public Task<long> PruneOutputAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default) => Task.FromResult(0L);

    public Task<StoreInfo> GetInfoAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new StoreInfo(Description, 0, 0, null, 0, 0));

    public Task<bool> SetExpectationAsync(ScriptExpectation expectation, CancellationToken cancellationToken = default) => Task.FromResult(true);

    public Task<ScriptExpectation?> GetExpectationAsync(string scriptName, CancellationToken cancellationToken = default) =>
        Task.FromResult<ScriptExpectation?>(null);

    public Task<IReadOnlyList<ScriptExpectation>> ListExpectationsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ScriptExpectation>>([]);

    public Task<bool> RemoveExpectationAsync(string scriptName, CancellationToken cancellationToken = default) => Task.FromResult(false);

    public Task AddKeyAsync(ApiKey key, byte[] secretHash, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<ApiKey?> FindKeyAsync(byte[] secretHash, CancellationToken cancellationToken = default) => Task.FromResult<ApiKey?>(null);

    public Task<IReadOnlyList<ApiKey>> ListKeysAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<ApiKey>>([]);

    public Task<bool> RevokeKeyAsync(string nameOrId, DateTimeOffset at, string actor, CancellationToken cancellationToken = default) => Task.FromResult(false);

    public Task RecordAuditAsync(AuditEntry entry, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(DateTimeOffset? before = null, int limit = RunQuery.DefaultLimit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AuditEntry>>([]);

    public Task<IReadOnlyList<ScriptSnapshot>> ReadSnapshotsAsync(IReadOnlyCollection<string>? scriptNames = null, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ScriptSnapshot>>([]);

    public Task<long> CountRunsAsync(RunQuery query, CancellationToken cancellationToken = default) => Task.FromResult(0L);

    public Task<bool> SaveMaintenanceWindowAsync(MaintenanceWindow window, bool replace = false, CancellationToken cancellationToken = default) => Task.FromResult(true);

    public Task<PingIdentity> EnsurePingIdentityAsync(string scriptName, CancellationToken cancellationToken = default) =>
        Task.FromResult(new PingIdentity(scriptName, Guid.NewGuid(), PingIdentity.SlugOf(scriptName)));

    public Task<PingIdentity> SetPingIdentityAsync(string scriptName, Guid pingId, CancellationToken cancellationToken = default) =>
        Task.FromResult(new PingIdentity(scriptName, pingId, PingIdentity.SlugOf(scriptName)));

    public Task<bool> RemovePingIdentityAsync(string scriptName, CancellationToken cancellationToken = default) => Task.FromResult(false);

    public Task<PingIdentity?> FindPingIdentityAsync(Guid pingId, CancellationToken cancellationToken = default) => Task.FromResult<PingIdentity?>(null);

    public Task<IReadOnlyList<PingIdentity>> FindPingIdentitiesBySlugAsync(string slug, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<PingIdentity>>([]);

    public Task<IReadOnlyList<PingIdentity>> ListPingIdentitiesAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<PingIdentity>>([]);

    public Task<string> EnsurePingKeyAsync(CancellationToken cancellationToken = default) => Task.FromResult("discardingstorepingkey");

    public Task SetPingKeyAsync(string pingKey, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<IReadOnlyList<MaintenanceWindow>> ListMaintenanceWindowsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<MaintenanceWindow>>([]);

    public Task<bool> RemoveMaintenanceWindowAsync(string name, CancellationToken cancellationToken = default) => Task.FromResult(false);

    public Task<IReadOnlyList<ScriptChange>> ReadChangesAsync(long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ScriptChange>>([]);

    public Task<LeaderLease?> TryTakeLeaseAsync(string holder, TimeSpan duration, CancellationToken cancellationToken = default) =>
        Task.FromResult<LeaderLease?>(new LeaderLease(holder, 1, DateTimeOffset.UtcNow + duration));

    public Task<LeaderLease?> GetLeaseAsync(CancellationToken cancellationToken = default) => Task.FromResult<LeaderLease?>(null);

    public Task ReleaseLeaseAsync(LeaderLease lease, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<StateFlip> RecordFlipAsync(StateFlip flip, IReadOnlyList<Notification> notifications, LeaderLease lease, CancellationToken cancellationToken = default) =>
        Task.FromResult(flip);

    public Task<IReadOnlyList<StateFlip>> ReadLatestFlipsAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<StateFlip>>([]);

    public Task<IReadOnlyList<StateFlip>> ListFlipsAsync(string? scriptName = null, DateTimeOffset? before = null, int limit = RunQuery.DefaultLimit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<StateFlip>>([]);

    public Task EnqueueNotificationsAsync(IReadOnlyList<Notification> notifications, LeaderLease lease, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<IReadOnlyList<Notification>> ClaimDueNotificationsAsync(LeaderLease lease, DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<Notification>>([]);

    public Task RecordDeliveryAsync(DeliveryOutcome outcome, LeaderLease lease, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<IReadOnlyList<Notification>> ListNotificationsAsync(string? scriptName = null, string? channelName = null, DateTimeOffset? before = null, int limit = RunQuery.DefaultLimit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<Notification>>([]);

    public Task<IReadOnlyList<DeliveryOutcome>> ListDeliveryAttemptsAsync(Guid eventId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<DeliveryOutcome>>([]);

    public Task<OutboxDepth> GetOutboxDepthAsync(CancellationToken cancellationToken = default) => Task.FromResult(new OutboxDepth(0, null, 0));

    public Task<bool> SaveChannelAsync(AlertChannel channel, bool replace = false, CancellationToken cancellationToken = default) => Task.FromResult(true);

    public Task<IReadOnlyList<AlertChannel>> ListChannelsAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<AlertChannel>>([]);

    public Task<bool> RemoveChannelAsync(string name, CancellationToken cancellationToken = default) => Task.FromResult(false);

    public void Dispose()
    {
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

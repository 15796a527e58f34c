using ScriptMonitor.Access;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Stores;

/// <summary>
/// What every store does the same, written once: every argument is checked before anything is written, runs get
/// their ids and this host's name, a duplicate start is refused, runtime statistics are computed from the runtimes a
/// backend reads. A backend derives from this and supplies its SQL by role: runs (<see cref="IRunRows"/>),
/// expectations (<see cref="IExpectationRows"/>), keys and the audit list (<see cref="IKeyRows"/>), the alert loop's rows (<see cref="IAlertRows"/>), ping identities (<see cref="IPingIdentityRows"/>) and the reads of every script at once (<see cref="IStoreReadModel"/>).
/// </summary>
public abstract partial class ScriptRunStoreBase : IScriptRunStore
{
    private readonly IRunRows _runs;
    private readonly IExpectationRows _expectations;
    private readonly IStoreReadModel _readModel;
    private readonly IKeyRows _keys;
    private readonly IAlertRows _alerts;
    private readonly IPingIdentityRows _pingIdentities;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the store over a backend's SQL.</summary>
    /// <param name="runs">The SQL of runs and skip events.</param>
    /// <param name="expectations">The SQL of expectations.</param>
    /// <param name="readModel">The reads of every script at once.</param>
    /// <param name="keys">The SQL of API keys and the audit list.</param>
    /// <param name="alerts">The SQL of the alert loop: change feed, lease, flips, outbox, channels, maintenance windows.</param>
    /// <param name="pingIdentities">The SQL of ping identities and the installation's ping key.</param>
    /// <param name="timeProvider">The clock that judges "in the future" and stamps expectation changes.</param>
    protected ScriptRunStoreBase(IRunRows runs, IExpectationRows expectations, IStoreReadModel readModel, IKeyRows keys, IAlertRows alerts, IPingIdentityRows pingIdentities, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(pingIdentities);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(expectations);
        ArgumentNullException.ThrowIfNull(readModel);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _runs = runs;
        _expectations = expectations;
        _readModel = readModel;
        _keys = keys;
        _alerts = alerts;
        _pingIdentities = pingIdentities;
        _timeProvider = timeProvider;
    }

    /// <inheritdoc/>
    public abstract string Description { get; }

    private DateTimeOffset Now => _timeProvider.GetUtcNow();

    /// <inheritdoc/>
    public ScriptActivity RecordSuccess(string name, DateTimeOffset dateStarted, DateTimeOffset dateCompleted, string? hostname = null)
    {
        var run = RunValidation.CompletedRun(name, (dateStarted, nameof(dateStarted)), (dateCompleted, nameof(dateCompleted)), hostname, RunOutcome.Succeeded, exitCode: null, output: null, Now);
        return _runs.Insert(run) ? run.ToActivity() : throw RunLifecycle.DuplicateRunId(run.RunId);
    }

    /// <inheritdoc/>
    public async Task<ScriptActivity> RecordSuccessAsync(string name, DateTimeOffset dateStarted, DateTimeOffset dateCompleted, string? hostname = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var run = RunValidation.CompletedRun(name, (dateStarted, nameof(dateStarted)), (dateCompleted, nameof(dateCompleted)), hostname, RunOutcome.Succeeded, exitCode: null, output: null, Now);
        await InsertAsync(run, cancellationToken).ConfigureAwait(false);
        return run.ToActivity();
    }

    /// <inheritdoc/>
    public ScriptActivity? GetLastActivity(string name) =>
        _runs.LastRun(RunValidation.ScriptName(name, nameof(name)), RunOutcome.Succeeded)?.ToActivity();

    /// <inheritdoc/>
    public async Task<ScriptActivity?> GetLastActivityAsync(string name, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var run = await _runs.LastRunAsync(RunValidation.ScriptName(name, nameof(name)), RunOutcome.Succeeded, cancellationToken).ConfigureAwait(false);
        return run?.ToActivity();
    }

    /// <inheritdoc/>
    public async Task<ScriptRun> RecordStartAsync(string name, DateTimeOffset startedAt, string? hostname = null, Guid? runId = null, RunnerProcess? runner = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var run = RunValidation.StartedRun(name, startedAt, hostname, runId, runner, Now);
        await InsertAsync(run, cancellationToken).ConfigureAwait(false);
        return run;
    }

    /// <inheritdoc/>
    public Task<ScriptRun> CompleteRunAsync(Guid runId, DateTimeOffset completedAt, RunOutcome outcome, int? exitCode = null, string? output = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RunValidation.CompletedOutcome(outcome, nameof(outcome));
        var completion = new RunCompletion(RunValidation.Instant(completedAt, nameof(completedAt), Now), outcome, exitCode, RunValidation.Output(output));
        return _runs.CompleteAsync(runId, completion, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<ScriptRun> RecordFailureAsync(string name, DateTimeOffset startedAt, DateTimeOffset completedAt, int? exitCode = null, string? message = null, string? hostname = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var run = RunValidation.CompletedRun(name, (startedAt, nameof(startedAt)), (completedAt, nameof(completedAt)), hostname, RunOutcome.Failed, exitCode, message, Now);
        await InsertAsync(run, cancellationToken).ConfigureAwait(false);
        return run;
    }

    /// <inheritdoc/>
    public async Task<bool> ImportRunAsync(ScriptRun run, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var result = (await _runs.ImportAsync([RunValidation.ImportedRun(run, Now)], cancellationToken).ConfigureAwait(false))[0];
        return result.Status switch
        {
            RunImportStatus.Stored => true,
            RunImportStatus.Invalid => throw new ValidationException(result.Errors),
            _ => false,
        };
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RunImportResult>> ImportRunsAsync(IReadOnlyList<RunDelivery> deliveries, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(deliveries);
        var now = Now;
        var results = new RunImportResult?[deliveries.Count];
        var valid = new List<ScriptRun>(deliveries.Count);
        var positions = new List<int>(deliveries.Count);
        for (var i = 0; i < deliveries.Count; i++)
        {
            var delivery = deliveries[i] ?? throw new ArgumentNullException(nameof(deliveries), $"deliveries[{i}] is null.");
            ArgumentNullException.ThrowIfNull(delivery.Run, nameof(deliveries));
            try
            {
                var run = RunValidation.ImportedRun(delivery.Run, now);
                valid.Add(run with { Arrival = delivery.ReceivedAt is { } receivedAt ? RunArrival.Of(run, receivedAt, delivery.Delivery) : null });
                positions.Add(i);
            }
            catch (ValidationException e)
            {
                results[i] = new RunImportResult(delivery.Run.RunId, RunImportStatus.Invalid) { Errors = e.Errors };
            }
        }

        if (valid.Count > 0)
        {
            var written = await _runs.ImportAsync(valid, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < written.Count; i++)
            {
                results[positions[i]] = written[i];
            }
        }

        return results!;
    }

    /// <inheritdoc/>
    public Task<bool> AbandonRunAsync(Guid runId, DateTimeOffset abandonedAt, string reason, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var at = RunValidation.Instant(abandonedAt, nameof(abandonedAt), Now);
        return _runs.AbandonAsync(runId, at, RunValidation.Reason(reason, nameof(reason)), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ScriptRun>> ListRunningAsync(string? hostname = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _runs.ListRunningAsync(OptionalHostname(hostname), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> RecordSkipAsync(ScriptSkip skip, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _runs.InsertSkipAsync(RunValidation.Skip(skip, Now), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ScriptSkip>> ListSkipsAsync(string name, DateTimeOffset? since = null, int limit = RunQuery.DefaultLimit, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RunValidation.ScriptName(name, nameof(name));
        RunValidation.Limit(limit, nameof(limit));
        return _runs.ListSkipsAsync(name, since is { } from ? Timestamps.Normalize(from) : null, limit, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<ScriptRun?> GetRunAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _runs.GetAsync(runId, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ScriptRun>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _runs.ListAsync(RunValidation.Query(query), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<long> CountRunsAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _runs.CountAsync(RunValidation.Query(query), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ScriptSummary>> ListScriptsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _readModel.ListScriptsAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ScriptOverview>> ReadOverviewAsync(OverviewQuery query, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(query);
        RunValidation.Window(query.RecentSince, query.Until, "query.Until");
        RunValidation.Window(query.RuntimeSince, query.Until, "query.Until");
        return _readModel.ReadOverviewAsync(
            new OverviewQuery(Timestamps.Normalize(query.RecentSince), Timestamps.Normalize(query.RuntimeSince), Timestamps.Normalize(query.Until)),
            cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<RuntimeStatistics> GetRuntimeStatisticsAsync(string name, DateTimeOffset since, DateTimeOffset until, string? hostname = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RunValidation.ScriptName(name, nameof(name));
        OptionalHostname(hostname);
        RunValidation.Window(since, until, nameof(until));
        var runtimes = await _runs.RuntimesAsync(name, Timestamps.Normalize(since), Timestamps.Normalize(until), hostname, cancellationToken).ConfigureAwait(false);
        return RuntimeStatistics.Of(runtimes);
    }

    /// <inheritdoc/>
    public Task<long> PruneAsync(DateTimeOffset olderThan, int keepLast = 0, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _runs.PruneAsync(Timestamps.Normalize(olderThan), RunValidation.KeepLast(keepLast, nameof(keepLast)), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<long> PruneOutputAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _runs.PruneOutputAsync(Timestamps.Normalize(olderThan), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<StoreInfo> GetInfoAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _readModel.ReadInfoAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> SetExpectationAsync(ScriptExpectation expectation, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _expectations.SetAsync(ExpectationValidation.Validate(expectation), Timestamps.Normalize(Now), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<ScriptExpectation?> GetExpectationAsync(string scriptName, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _expectations.GetAsync(RunValidation.ScriptName(scriptName, nameof(scriptName)), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ScriptExpectation>> ListExpectationsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _expectations.ListAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> RemoveExpectationAsync(string scriptName, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _expectations.RemoveAsync(RunValidation.ScriptName(scriptName, nameof(scriptName)), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ScriptSnapshot>> ReadSnapshotsAsync(IReadOnlyCollection<string>? scriptNames = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (scriptNames is not null)
        {
            foreach (var name in scriptNames)
            {
                RunValidation.ScriptName(name, nameof(scriptNames));
            }

            scriptNames = scriptNames.Distinct(StringComparer.Ordinal).ToArray();
        }

        return _readModel.ReadSnapshotsAsync(scriptNames, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task AddKeyAsync(ApiKey key, byte[] secretHash, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var checkedKey = KeyValidation.NewKey(key, secretHash, Now);
        var patterns = checkedKey.ScriptPatterns.Count == 0 ? string.Empty : $", scripts {string.Join(' ', checkedKey.ScriptPatterns)}";
        var entry = new AuditEntry(
            checkedKey.CreatedAt,
            checkedKey.CreatedBy,
            AuditActions.KeyCreate,
            checkedKey.Name,
            KeyValidation.Detail($"id {checkedKey.Id}, scope {checkedKey.Scope.ToString().ToLowerInvariant()}{patterns}"));
        if (!await _keys.InsertAsync(checkedKey, [.. secretHash], entry, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException(
                $"A key named '{checkedKey.Name}' is active already, or a key has the id '{checkedKey.Id}' or the same secret; revoke the other key or choose another name.");
        }
    }

    /// <inheritdoc/>
    public Task<ApiKey?> FindKeyAsync(byte[] secretHash, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ArgumentNullException.ThrowIfNull(secretHash);
        return secretHash.Length == KeyValidation.SecretHashLength
            ? _keys.FindAsync(secretHash, cancellationToken)
            : throw ValidationException.Of(nameof(secretHash), FieldRules.Length, $"secretHash must be {KeyValidation.SecretHashLength} bytes, the SHA-256 hash of the key (it is {secretHash.Length}).");
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ApiKey>> ListKeysAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _keys.ListAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> RevokeKeyAsync(string nameOrId, DateTimeOffset at, string actor, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var errors = new FieldErrorList();
        errors.Add(RunValidation.IdentifierError(nameOrId, nameof(nameOrId), "key name or id"));
        errors.Add(RunValidation.InstantError(at, nameof(at), Now));
        errors.Add(KeyValidation.ActorError(actor, nameof(actor)));
        errors.ThrowIfAny();

        var when = Timestamps.Normalize(at);
        return _keys.RevokeAsync(
            nameOrId,
            when,
            key => new AuditEntry(when, actor, AuditActions.KeyRevoke, key.Name, $"id {key.Id}"),
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task RecordAuditAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _keys.InsertAuditAsync(KeyValidation.Entry(entry, Now), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(DateTimeOffset? before = null, int limit = RunQuery.DefaultLimit, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RunValidation.Limit(limit, nameof(limit));
        return _keys.ListAuditAsync(before is { } b ? Timestamps.Normalize(b) : null, limit, cancellationToken);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore().ConfigureAwait(false);
        Dispose(disposing: false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the backend's connections.</summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>; false after <see cref="DisposeAsyncCore"/> released them.</param>
    protected abstract void Dispose(bool disposing);

    /// <summary>Releases the backend's connections asynchronously.</summary>
    protected abstract ValueTask DisposeAsyncCore();

    private static string? OptionalHostname(string? hostname) =>
        hostname is null ? null : RunValidation.Hostname(hostname, nameof(hostname));

    private async Task InsertAsync(ScriptRun run, CancellationToken cancellationToken)
    {
        if (!await _runs.InsertAsync(run, cancellationToken).ConfigureAwait(false))
        {
            throw RunLifecycle.DuplicateRunId(run.RunId);
        }
    }
}

using Microsoft.Extensions.Logging;
using ScriptMonitor.Alerts;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Alerts;

/// <summary>
/// The evaluation loop's work, one tick at a time: renew the lease; as the leader, follow the store's change feed and
/// a due-time queue, evaluate each script that changed or came due once, record its flips with their notifications
/// (one transaction each), and schedule its next due instant. See docs/alerts.md, "The evaluation loop".
/// </summary>
public sealed partial class AlertEngine
{
    /// <summary>Scripts evaluated per read of the store.</summary>
    private const int EvaluationBatch = 500;

    /// <summary>A down script's recorded flips read back at start, to find when its episode began and whether it was told.</summary>
    private const int EpisodeFlipsRead = 50;

    private readonly IScriptRunStore _store;
    private readonly HealthMonitor _monitor;
    private readonly AlertOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _feedLag;
    private readonly AlertPolicySettings _policy;
    private readonly Dictionary<string, AlertMemory> _memory = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _seen = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, DateTimeOffset> _due = new();
    private readonly Dictionary<string, DateTimeOffset> _dueAt = new(StringComparer.Ordinal);
    private readonly Queue<(DateTimeOffset At, long Cursor)> _cursors = new();
    private long _cursor;
    private long _leaseRenewedAt;
    private IReadOnlyList<MaintenanceWindow>? _windows;
    private bool _started;
    private LeaderLease? _lease;
    private long _lastTickTicks;
    private long _lastEvaluatedTicks;
    private readonly DateTimeOffset _createdAt;

    /// <summary>Creates the loop's engine.</summary>
    /// <param name="store">The store, whose alert tables it reads and writes.</param>
    /// <param name="options">The <c>Alerts</c> settings.</param>
    /// <param name="feedInCommitOrder">True when the store's change feed shows commits in sequence order (SQLite): no lag window is read again.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where it says what it did.</param>
    /// <param name="instanceId">This instance's id, as the lease names its holder.</param>
    public AlertEngine(IScriptRunStore store, AlertOptions options, bool feedInCommitOrder, TimeProvider time, ILogger logger, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        _store = store;
        // The loop knows what it recorded last, and evaluating by it needs no read of the flips.
        _monitor = new HealthMonitor(store, time) { RecordedReasons = name => _memory.TryGetValue(name, out var memory) ? memory.Reason : null };
        _options = options;
        _time = time;
        _logger = logger;
        InstanceId = instanceId;
        _feedLag = feedInCommitOrder ? TimeSpan.Zero : TimeSpan.FromSeconds(options.FeedLagSeconds);
        _policy = new AlertPolicySettings(options.StaleAfter, options.Flapping.MaxFlips, options.Flapping.Window);
        _createdAt = time.GetUtcNow();
    }

    /// <summary>Raised after notifications were written to the outbox, so that the dispatcher delivers them at once.</summary>
    public event EventHandler? NotificationsWritten;

    /// <summary>This instance's id: host, process id and a random part.</summary>
    public string InstanceId { get; }

    /// <summary>The lease while this instance leads; null otherwise.</summary>
    public LeaderLease? Lease => Volatile.Read(ref _lease);

    /// <summary>When the last tick ended, leader or not; null before the first.</summary>
    public DateTimeOffset? LastTickAt => Read(ref _lastTickTicks);

    /// <summary>The instant the last complete evaluation as the leader was for; null when it never led.</summary>
    public DateTimeOffset? LastEvaluatedAt => Read(ref _lastEvaluatedTicks);

    /// <summary>The newest evaluation of every script while this instance leads; empty and incomplete otherwise.</summary>
    public HealthStates States { get; } = new();

    /// <summary>Scripts waiting in the due-time queue.</summary>
    public int DueCount => _dueAt.Count;

    /// <summary>A new instance id: <c>host:pid:random</c>.</summary>
    public static string NewInstanceId() =>
        $"{Environment.MachineName}:{Environment.ProcessId}:{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))}";

    /// <summary>
    /// How far behind the loop is, at <paramref name="now"/>: since the last evaluation as the leader, or since the last
    /// tick otherwise (a follower has nothing to evaluate).
    /// </summary>
    public TimeSpan LagAt(DateTimeOffset now)
    {
        // Before its first tick the loop is as late as the time since it was made.
        var since = (Lease is not null ? LastEvaluatedAt : LastTickAt) ?? _createdAt;
        return now > since ? now - since : TimeSpan.Zero;
    }

    /// <summary>One tick: renews or takes the lease, and as the leader reads the feed, evaluates and records.</summary>
    /// <param name="cancellationToken">Stops the tick between scripts.</param>
    /// <returns>True when this instance leads after the tick.</returns>
    public async Task<bool> TickAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await TickCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (LeaseLostException)
        {
            LogLeaseLost(_logger, InstanceId);
            Forget();
            return false;
        }
        finally
        {
            Volatile.Write(ref _lastTickTicks, _time.GetUtcNow().UtcTicks);
        }
    }

    /// <summary>Gives the lease up, so that another instance takes over at once (at a stop).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        if (Lease is { } lease)
        {
            Forget();
            await _store.ReleaseLeaseAsync(lease, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Three ticks, and at least the second the store allows: renewed every tick, it lapses only when ticks stop.</summary>
    private TimeSpan LeaseDuration => TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, _options.Tick.Ticks * 3));

    /// <summary>
    /// Renews the lease within a long tick (a start that evaluates every script, a burst of changes), before a third
    /// of it is gone, so that the leader does not lose it by working.
    /// </summary>
    private async Task<LeaderLease> KeepLeaseAsync(LeaderLease lease, CancellationToken cancellationToken)
    {
        if (_time.GetTimestamp() - _leaseRenewedAt < LeaseDuration.Ticks / 3 * System.Diagnostics.Stopwatch.Frequency / TimeSpan.TicksPerSecond)
        {
            return lease;
        }

        var renewed = await _store.TryTakeLeaseAsync(InstanceId, LeaseDuration, cancellationToken).ConfigureAwait(false);
        if (renewed is null || renewed.Token != lease.Token)
        {
            throw new LeaseLostException();
        }

        _leaseRenewedAt = _time.GetTimestamp();
        Volatile.Write(ref _lease, renewed);
        return renewed;
    }

    private async Task<bool> TickCoreAsync(CancellationToken cancellationToken)
    {
        LeaderLease? lease;
        var asked = _time.GetTimestamp();
        try
        {
            lease = await _store.TryTakeLeaseAsync(InstanceId, LeaseDuration, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreUnavailableException e)
        {
            // Without the store there is no lease to hold: another instance may take it meanwhile.
            LogStoreUnavailable(_logger, e.Message);
            Forget();
            return false;
        }

        if (lease is null)
        {
            if (_lease is not null)
            {
                LogLeaseLost(_logger, InstanceId);
                Forget();
            }

            return false;
        }

        if (_lease is null || _lease.Token != lease.Token)
        {
            // A new term: whatever was known under another token may be stale.
            Forget();
            LogLeading(_logger, InstanceId, lease.Token);
        }

        Volatile.Write(ref _lease, lease);
        _leaseRenewedAt = asked;
        var now = _time.GetUtcNow();
        if (!_started)
        {
            lease = await StartAsync(lease, cancellationToken).ConfigureAwait(false);
            _started = true;
        }

        var names = await ReadFeedAsync(now, cancellationToken).ConfigureAwait(false);

        // A window added, changed or removed changes the state of every script it names, and writes no script's row.
        var windows = await _store.ListMaintenanceWindowsAsync(cancellationToken).ConfigureAwait(false);
        if (_windows is not null && !windows.SequenceEqual(_windows))
        {
            names.UnionWith(_seen.Keys);
        }

        _windows = windows;
        while (_due.TryPeek(out var name, out var at) && at <= now)
        {
            _due.Dequeue();
            if (_dueAt.TryGetValue(name, out var scheduled) && scheduled == at)
            {
                _dueAt.Remove(name);
                names.Add(name);
            }
        }

        var evaluatedAll = true;
        if (names.Count > 0)
        {
            LogEvaluating(_logger, names.Count, _cursor);
            evaluatedAll = await EvaluateAsync(names, lease, now, cancellationToken).ConfigureAwait(false);
        }

        // The first tick of a term reads the whole feed, so every script the store has was evaluated by its end;
        // scripts whose batch the store did not answer are evaluated next tick.
        if (evaluatedAll)
        {
            States.MarkComplete(now);
        }

        Volatile.Write(ref _lastEvaluatedTicks, now.UtcTicks);
        return true;
    }

    /// <summary>Where each script stood when the last leader stopped: its newest flip, and for a down script its episode.</summary>
    private async Task<LeaderLease> StartAsync(LeaderLease lease, CancellationToken cancellationToken)
    {
        foreach (var flip in await _store.ReadLatestFlipsAsync(cancellationToken).ConfigureAwait(false))
        {
            // Hundreds of down scripts are hundreds of reads: on a busy store longer than the lease, which would lapse
            // before the first evaluation, and every term would start over.
            lease = await KeepLeaseAsync(lease, cancellationToken).ConfigureAwait(false);
            var memory = new AlertMemory { State = flip.To, Reason = flip.Reason, ChangedAt = flip.At, LastTold = AlertClass.Up };
            if (AlertPolicy.ClassOf(flip.To) is AlertClass.Down or AlertClass.Neutral)
            {
                memory = await EpisodeAsync(memory, flip.ScriptName, cancellationToken).ConfigureAwait(false);
            }

            _memory[flip.ScriptName] = memory;
        }

        LogStarted(_logger, _memory.Count);
        return lease;
    }

    /// <summary>Walks a down script's flips back to the start of its episode: when it began, and whether a Down was told.</summary>
    private async Task<AlertMemory> EpisodeAsync(AlertMemory memory, string scriptName, CancellationToken cancellationToken)
    {
        var flips = await _store.ListFlipsAsync(scriptName, null, EpisodeFlipsRead, cancellationToken).ConfigureAwait(false);
        foreach (var flip in flips)
        {
            var to = AlertPolicy.ClassOf(flip.To);
            if (to is AlertClass.Up or AlertClass.Silenced)
            {
                break;
            }

            if (to == AlertClass.Down && AlertPolicy.ClassOf(flip.From) != AlertClass.Down)
            {
                memory = memory with { DownSince = flip.At };
                if (!flip.Quiet)
                {
                    memory = memory with { DownTold = true, LastTold = AlertClass.Down };
                }
            }
        }

        return memory;
    }

    /// <summary>The scripts whose data changed since they were last seen, reading again the lag window behind the cursor.</summary>
    private async Task<HashSet<string>> ReadFeedAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var from = _cursor;
        if (_feedLag > TimeSpan.Zero)
        {
            // From the cursor of the newest read made a lag window before the previous read (or the oldest kept): a
            // commit still invisible at the previous read was numbered after that, and may have become visible since;
            // scripts whose number did not grow are skipped below. Measured from now instead, a tick longer than the
            // lag kept only the previous read's own cursor, and such a commit was seen only at its script's recheck.
            var horizon = (_cursors.Count > 0 ? _cursors.Last().At : now) - _feedLag;
            while (_cursors.Count > 1 && _cursors.ElementAt(1).At <= horizon)
            {
                _cursors.Dequeue();
            }

            if (_cursors.TryPeek(out var old))
            {
                from = old.Cursor;
            }
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var changes = await _store.ReadChangesAsync(from, RunQuery.MaxLimit, cancellationToken).ConfigureAwait(false);
            foreach (var change in changes)
            {
                if (!_seen.TryGetValue(change.ScriptName, out var seen) || change.Sequence > seen)
                {
                    _seen[change.ScriptName] = change.Sequence;
                    names.Add(change.ScriptName);
                }

                from = Math.Max(from, change.Sequence);
                _cursor = Math.Max(_cursor, change.Sequence);
            }

            if (changes.Count < RunQuery.MaxLimit)
            {
                break;
            }
        }

        if (_feedLag > TimeSpan.Zero)
        {
            _cursors.Enqueue((now, _cursor));
        }

        return names;
    }

    /// <summary>Evaluates the scripts and records what follows; false when the store did not answer for some of them.</summary>
    private async Task<bool> EvaluateAsync(HashSet<string> names, LeaderLease lease, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var all = true;
        var channels = await _store.ListChannelsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var batch in names.Chunk(EvaluationBatch))
        {
            IReadOnlyList<ScriptHealth> evaluated;
            lease = await KeepLeaseAsync(lease, cancellationToken).ConfigureAwait(false);
            try
            {
                evaluated = await _monitor.EvaluateAsync(batch, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (StoreUnavailableException e)
            {
                // Tried again next tick.
                LogStoreUnavailable(_logger, e.Message);
                foreach (var name in batch)
                {
                    Schedule(name, now + _options.Tick);
                }

                all = false;
                continue;
            }

            if (evaluated.Count < batch.Length)
            {
                // A script the store no longer has (forgotten) is not evaluated: it leaves the kept states.
                var found = evaluated.Select(h => h.ScriptName).ToHashSet(StringComparer.Ordinal);
                foreach (var name in batch.Where(n => !found.Contains(n)))
                {
                    States.Remove(name);
                }
            }

            foreach (var health in evaluated)
            {
                States.Set(health);
                cancellationToken.ThrowIfCancellationRequested();
                lease = await KeepLeaseAsync(lease, cancellationToken).ConfigureAwait(false);
                await DecideAsync(health, channels, lease, now, cancellationToken).ConfigureAwait(false);
            }
        }

        return all;
    }

    private async Task DecideAsync(ScriptHealth health, IReadOnlyList<AlertChannel> channels, LeaderLease lease, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var name = health.ScriptName;
        var memory = _memory.GetValueOrDefault(name) ?? new AlertMemory();
        var decision = AlertPolicy.Decide(memory, health, channels, now, _policy);
        try
        {
            if (decision.Flip is not null || decision.Notices.Count > 0)
            {
                var notifications = decision.Notices.Count > 0 ? await NotificationsAsync(decision, memory, health, now, cancellationToken).ConfigureAwait(false) : [];
                if (decision.Flip is { } flip)
                {
                    await _store.RecordFlipAsync(flip, notifications, lease, cancellationToken).ConfigureAwait(false);
                    LogFlip(_logger, name, flip.From?.ToString() ?? "(none)", flip.To.ToString(), decision.Kind?.ToString() ?? "nothing", notifications.Count);
                }
                else
                {
                    await _store.EnqueueNotificationsAsync(notifications, lease, cancellationToken).ConfigureAwait(false);
                }

                if (notifications.Count > 0)
                {
                    NotificationsWritten?.Invoke(this, EventArgs.Empty);
                }
            }

            _memory[name] = decision.Memory;
            var next = now + TimeSpan.FromSeconds(_options.MaxRecheckSeconds);
            if (health.RecheckAt is { } recheck && recheck < next)
            {
                next = recheck;
            }

            if (health.WindowChangeAt is { } window && window < next)
            {
                next = window;
            }

            if (decision.NextDue is { } due && due < next)
            {
                next = due;
            }

            Schedule(name, next);
        }
        catch (Exception e) when (e is StoreUnavailableException or ArgumentException)
        {
            // Nothing was recorded: the script is evaluated again next tick, against what was remembered.
            LogRecordFailed(_logger, name, e.Message);
            Schedule(name, now + _options.Tick);
        }
    }

    private async Task<List<Notification>> NotificationsAsync(AlertDecision decision, AlertMemory memory, ScriptHealth health, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var runs = await _store.ListRunsAsync(new RunQuery(health.ScriptName) { Limit = 1 }, cancellationToken).ConfigureAwait(false);
        var lastRun = runs.Count > 0 ? runs[0] : null;
        var notifications = new List<Notification>(decision.Notices.Count);
        foreach (var notice in decision.Notices)
        {
            var id = Guid.CreateVersion7(now);
            var alert = AlertEventBuilder.Build(id, notice.Kind, health, decision.Flip?.From ?? memory.State, memory.DownSince, lastRun, now) with { Link = _options.ScriptLink(health.ScriptName) };
            notifications.Add(new Notification(id, notice.Channel.Name, health.ScriptName, notice.Kind, now, AlertEventBuilder.Serialize(alert)) { NextAttemptAt = now });
        }

        return notifications;
    }

    /// <summary>
    /// The earliest instant a script waiting in the due-time queue comes due; null when none waits. For a caller that
    /// ticks the loop itself (the alert simulation in bench/) to know when to tick next; call it from the thread that
    /// ticks, as it drops entries an earlier one replaced.
    /// </summary>
    /// <returns>The instant, or null.</returns>
    public DateTimeOffset? PeekNextDue()
    {
        while (_due.TryPeek(out var name, out var at))
        {
            if (_dueAt.TryGetValue(name, out var scheduled) && scheduled == at)
            {
                return at;
            }

            _due.Dequeue();
        }

        return null;
    }

    /// <summary>Puts a script in the due-time queue, unless it is there for an earlier instant already (early is harmless).</summary>
    private void Schedule(string name, DateTimeOffset at)
    {
        if (_dueAt.TryGetValue(name, out var existing) && existing <= at)
        {
            return;
        }

        _dueAt[name] = at;
        _due.Enqueue(name, at);
    }

    /// <summary>Drops everything known under a lease: the next term starts from the store.</summary>
    private void Forget()
    {
        Volatile.Write(ref _lease, null);
        States.Clear();
        _started = false;
        _memory.Clear();
        _seen.Clear();
        _due.Clear();
        _dueAt.Clear();
        _cursors.Clear();
        _cursor = 0;
        _windows = null;
    }

    private static DateTimeOffset? Read(ref long ticks)
    {
        var value = Volatile.Read(ref ticks);
        return value == 0 ? null : new DateTimeOffset(value, TimeSpan.Zero);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Alerts: evaluating {Count} scripts (feed cursor {Cursor})")]
    private static partial void LogEvaluating(ILogger logger, int count, long cursor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alerts: {Instance} leads the evaluation now (lease token {Token})")]
    private static partial void LogLeading(ILogger logger, string instance, long token);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alerts: {Instance} lost the lease; another instance evaluates now")]
    private static partial void LogLeaseLost(ILogger logger, string instance);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alerts: started from the recorded state of {Count} scripts")]
    private static partial void LogStarted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alerts: {Script} changed from {From} to {To}; told: {Kind} ({Count} notifications)")]
    private static partial void LogFlip(ILogger logger, string script, string from, string to, string kind, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alerts: the store does not answer; trying again next tick: {Reason}")]
    private static partial void LogStoreUnavailable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alerts: could not record the evaluation of {Script}; trying again next tick: {Reason}")]
    private static partial void LogRecordFailed(ILogger logger, string script, string reason);
}

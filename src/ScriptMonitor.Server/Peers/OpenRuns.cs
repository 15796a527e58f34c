using ScriptMonitor.Runs;
using ScriptMonitor.Server.Hosting;

namespace ScriptMonitor.Server.Peers;

/// <summary>
/// The runs in progress, kept in memory so that a peer's completion finds its start without reading the store: the
/// Healthchecks ping path is as fast as native ingest only if a success without a start (the common ping) costs no
/// read competing with the commits. Filled from the store's runs in progress when the server starts, then by every
/// run this server commits (<see cref="Committed"/>), and brought in line with the store every
/// <see cref="RefreshEvery"/>, so that starts and completions written by other writers (scriptmon straight into the
/// store, another server) are seen within that time. What is here is a hint, never the truth: a completion paired
/// with a run that another writer has completed meanwhile is refused by the store's rules and recorded on its own
/// (<see cref="PeerRuns"/>).
/// </summary>
internal sealed partial class OpenRuns(ServerStore store, TimeProvider clock, ILogger<OpenRuns> logger) : BackgroundService
{
    /// <summary>How often the memory is brought in line with the store's runs in progress (one read of a small partial index).</summary>
    internal static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The most runs kept: far more than run at once anywhere; a flood of starts that never complete cannot grow the
    /// server's memory without bound. A start not kept is still found by id in the store (a rid's completion reads it).
    /// </summary>
    internal const int Capacity = 100_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, Entry> _byId = [];
    private readonly Dictionary<string, List<Guid>> _byScript = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _generation;

    /// <summary>How many runs are kept now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _byId.Count;
            }
        }
    }

    /// <summary>
    /// Completes once the store's runs in progress have been read at start (or that read failed): until then the
    /// memory may not know a start, and a completion waits for it rather than miss its pair.
    /// </summary>
    public Task Loaded => _loaded.Task;

    /// <summary>What the commit of runs did: a stored start is in progress, a stored end is not any more.</summary>
    public void Committed(IReadOnlyList<RunDelivery> deliveries, IReadOnlyList<RunImportResult> results)
    {
        lock (_lock)
        {
            for (var i = 0; i < deliveries.Count; i++)
            {
                // A start is in progress only when this commit stored it: one already stored may have completed since.
                var run = deliveries[i].Run;
                var status = results[i].Status;
                if (run.Outcome == RunOutcome.Running)
                {
                    if (status == RunImportStatus.Stored)
                    {
                        Add(run);
                    }
                }
                else if (status is RunImportStatus.Stored or RunImportStatus.AlreadyStored)
                {
                    Remove(run.RunId);
                }
            }
        }
    }

    /// <summary>The run in progress with this id, taken out (its completion is on its way); null when none is known.</summary>
    public ScriptRun? TryTake(Guid runId)
    {
        lock (_lock)
        {
            if (!_byId.TryGetValue(runId, out var entry))
            {
                return null;
            }

            Remove(runId);
            return entry.Run;
        }
    }

    /// <summary>The script's newest run in progress, taken out; null when none is known.</summary>
    public ScriptRun? TryTakeNewest(string scriptName)
    {
        lock (_lock)
        {
            if (!_byScript.TryGetValue(scriptName, out var ids) || ids.Count == 0)
            {
                return null;
            }

            var newest = _byId[ids[0]].Run;
            foreach (var id in ids)
            {
                var run = _byId[id].Run;
                if (run.StartedAt > newest.StartedAt || (run.StartedAt == newest.StartedAt && run.RunId.CompareTo(newest.RunId) > 0))
                {
                    newest = run;
                }
            }

            Remove(newest.RunId);
            return newest;
        }
    }

    /// <summary>Puts back a run taken for a completion that was not written (the store was down).</summary>
    public void Return(ScriptRun run)
    {
        lock (_lock)
        {
            Add(run);
        }
    }

    /// <summary>Brings the memory in line with the store's runs in progress, read once.</summary>
    internal async Task RefreshAsync(CancellationToken cancellationToken)
    {
        long before;
        lock (_lock)
        {
            before = ++_generation;
        }

        var running = await store.Runs.ListRunningAsync(null, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            // Runs this server committed since the read began are newer than it and stay; any other the store no
            // longer has in progress was completed or abandoned elsewhere.
            var inStore = new HashSet<Guid>(running.Count);
            foreach (var run in running)
            {
                inStore.Add(run.RunId);
            }

            foreach (var (id, entry) in _byId.ToList())
            {
                if (entry.Generation < before && !inStore.Contains(id))
                {
                    Remove(id);
                }
            }

            foreach (var run in running)
            {
                if (!_byId.ContainsKey(run.RunId))
                {
                    Add(run, before - 1);
                }
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RefreshAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRefreshFailed(logger, e);
        }
        finally
        {
            _loaded.TrySetResult();
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(RefreshEvery, clock, stoppingToken).ConfigureAwait(false);
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The store is down: the memory stays as it was, and the next refresh tries again.
                LogRefreshFailed(logger, e);
            }
        }
    }

    private void Add(ScriptRun run, long? generation = null)
    {
        if (_byId.ContainsKey(run.RunId))
        {
            return;
        }

        if (_byId.Count >= Capacity)
        {
            return;
        }

        _byId[run.RunId] = new Entry(run, generation ?? ++_generation);
        if (!_byScript.TryGetValue(run.ScriptName, out var ids))
        {
            _byScript[run.ScriptName] = ids = new List<Guid>(1);
        }

        ids.Add(run.RunId);
    }

    private void Remove(Guid runId)
    {
        if (!_byId.Remove(runId, out var entry))
        {
            return;
        }

        var ids = _byScript[entry.Run.ScriptName];
        ids.Remove(runId);
        if (ids.Count == 0)
        {
            _byScript.Remove(entry.Run.ScriptName);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the runs in progress to pair peers' completions with their starts; trying again shortly")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);

    private readonly record struct Entry(ScriptRun Run, long Generation);
}

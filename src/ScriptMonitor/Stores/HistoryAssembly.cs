using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Stores;

/// <summary>
/// Builds one script's <see cref="ScriptHistory"/> from rows, the same way for every store and for
/// <see cref="ScriptHistory.FromRuns"/>: from its newest runs (one more than the depth, to tell whether older ones
/// exist), then, only when older runs exist, the last successes the newest runs do not show, looked up by the caller.
/// </summary>
public sealed class HistoryAssembly
{
    private readonly List<HistoryRun> _recent;
    private readonly Dictionary<string, HistoryRun> _lastByHost = new(StringComparer.Ordinal);
    private readonly List<string> _hostsMissing = [];
    private HistoryRun? _lastSuccess;

    /// <summary>Starts the history of a script from its newest runs.</summary>
    /// <param name="newest">
    /// The script's newest runs of any outcome, newest start first: up to <paramref name="depth"/> + 1, where the
    /// one beyond the depth only says that older runs exist.
    /// </param>
    /// <param name="depth">How many recent runs the history keeps.</param>
    /// <param name="hosts">The hosts whose last success the history must give even when it is older than the recent runs.</param>
    public HistoryAssembly(IReadOnlyList<HistoryRun> newest, int depth, IEnumerable<string> hosts)
    {
        ArgumentNullException.ThrowIfNull(newest);
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentOutOfRangeException.ThrowIfNegative(depth);
        IsTruncated = newest.Count > depth;
        _recent = IsTruncated ? newest.Take(depth).ToList() : [.. newest];
        foreach (var run in _recent.Where(r => r.Outcome == RunOutcome.Succeeded))
        {
            _lastSuccess ??= run;
            _lastByHost.TryAdd(run.Hostname, run);
        }

        if (IsTruncated)
        {
            LastSuccessMissing = _lastSuccess is null;
            _hostsMissing.AddRange(hosts.Distinct(StringComparer.Ordinal).Where(h => !_lastByHost.ContainsKey(h)));
        }
    }

    /// <summary>Whether the script has runs older than the recent ones.</summary>
    public bool IsTruncated { get; }

    /// <summary>True when older runs exist and none of the recent ones succeeded: the last success must be looked up.</summary>
    public bool LastSuccessMissing { get; }

    /// <summary>The hosts whose last success must be looked up: older runs exist and no recent run succeeded on them.</summary>
    public IReadOnlyList<string> HostsMissing => _hostsMissing;

    /// <summary>Adds a last success that was looked up.</summary>
    /// <param name="hostname">The host it was looked up for; null for the last success on any host.</param>
    /// <param name="run">The run found.</param>
    public void Found(string? hostname, HistoryRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (hostname is null)
        {
            _lastSuccess = run;
        }
        else
        {
            _lastByHost[hostname] = run;
        }
    }

    /// <summary>The history, with the runs in progress and skips read beside the newest runs.</summary>
    /// <param name="inProgress">Every run still in progress, newest start first.</param>
    /// <param name="skips">The newest skip events, newest first.</param>
    public ScriptHistory Build(IReadOnlyList<HistoryRun> inProgress, IReadOnlyList<ScriptSkip> skips) =>
        new(_recent, IsTruncated, inProgress, _lastSuccess, _lastByHost) { RecentSkips = skips };
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace ScriptMonitor.Server.Metrics;

/// <summary>
/// What this server instance did since it started: ingest requests and runs, the sizes and latency of its commits,
/// request latency by route, calls refused by the rate limit. Unlike the per-script metrics these differ per instance;
/// Prometheus adds the instance label itself.
/// </summary>
internal sealed class InstanceMetrics(TimeProvider time)
{
    // Seconds: from a fraction of a millisecond (a commit on a fast disk) to the client's patience.
    private static readonly double[] LatencyBounds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    // Runs per commit: one today, up to what a group commit gathers.
    private static readonly double[] BatchBounds = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096];

    private readonly Histogram _batchSizes = new(BatchBounds);
    private readonly Histogram _commitLatency = new(LatencyBounds);
    private readonly ConcurrentDictionary<string, Histogram> _requestLatency = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, StrongBox<long>> _ingestRequests = new();
    private long _runs;
    private long _rateLimited;

    /// <summary>More hosts than any installation has: a bound on what ingest keys can make this instance remember.</summary>
    private const int MaxSpoolHosts = 10_000;

    private readonly ConcurrentDictionary<string, (int Waiting, DateTimeOffset At)> _spoolBacklogs = new(StringComparer.Ordinal);

    public static InstanceMetrics Of(HttpContext http) => http.RequestServices.GetRequiredService<InstanceMetrics>();

    /// <summary>A commit of <paramref name="batchSize"/> runs (stored now or found stored already) took <paramref name="commitLatency"/>.</summary>
    public void RunsCommitted(int batchSize, TimeSpan commitLatency)
    {
        Interlocked.Add(ref _runs, batchSize);
        _batchSizes.Observe(batchSize);
        _commitLatency.Observe(commitLatency.TotalSeconds);
    }

    /// <summary>Runs <paramref name="commit"/> and counts it as a commit of <paramref name="batchSize"/> runs once it succeeded.</summary>
    public async Task<T> CommitAsync<T>(int batchSize, Func<Task<T>> commit)
    {
        var started = time.GetTimestamp();
        var result = await commit().ConfigureAwait(false);
        RunsCommitted(batchSize, time.GetElapsedTime(started));
        return result;
    }

    /// <summary>A request to an ingest route was answered with <paramref name="statusCode"/>.</summary>
    public void IngestRequest(int statusCode) =>
        Interlocked.Increment(ref _ingestRequests.GetOrAdd(statusCode, static _ => new StrongBox<long>()).Value);

    /// <summary>A request to <paramref name="route"/> (its pattern, so the number of series stays bounded) took <paramref name="latency"/>.</summary>
    public void RequestServed(string route, TimeSpan latency) =>
        _requestLatency.GetOrAdd(route, static _ => new Histogram(LatencyBounds)).Observe(latency.TotalSeconds);

    /// <summary>A call was refused by the rate limit.</summary>
    public void RateLimited() => Interlocked.Increment(ref _rateLimited);

    /// <summary>A host said how many entries its spool still holds; false when too many hosts are known to keep one more.</summary>
    public bool SpoolBacklogReported(string host, int waiting)
    {
        if (_spoolBacklogs.Count >= MaxSpoolHosts && !_spoolBacklogs.ContainsKey(host))
        {
            return false;
        }

        _spoolBacklogs[host] = (waiting, time.GetUtcNow());
        return true;
    }

    /// <summary>Every instance metric in Prometheus' text format.</summary>
    public void Write(TextWriter output)
    {
        Family(output, "scriptmon_ingest_requests_total", "counter", "Requests to the ingest routes (runs, skips) this instance answered, by HTTP status.");
        foreach (var (status, count) in _ingestRequests.OrderBy(pair => pair.Key))
        {
            output.Write($"scriptmon_ingest_requests_total{{code=\"{status.ToString(CultureInfo.InvariantCulture)}\"}} {Volatile.Read(ref count.Value).ToString(CultureInfo.InvariantCulture)}\n");
        }

        Family(output, "scriptmon_ingest_runs_total", "counter", "Runs this instance committed (stored, or found stored already).");
        output.Write($"scriptmon_ingest_runs_total {Volatile.Read(ref _runs).ToString(CultureInfo.InvariantCulture)}\n");

        Family(output, "scriptmon_ingest_batch_size_runs", "histogram", "Runs per commit.");
        _batchSizes.Write(output, "scriptmon_ingest_batch_size_runs", string.Empty);

        Family(output, "scriptmon_ingest_commit_duration_seconds", "histogram", "How long a commit of runs took.");
        _commitLatency.Write(output, "scriptmon_ingest_commit_duration_seconds", string.Empty);

        Family(output, "scriptmon_http_request_duration_seconds", "histogram", "How long requests took to answer, by route.");
        foreach (var (route, histogram) in _requestLatency.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            histogram.Write(output, "scriptmon_http_request_duration_seconds", $"route=\"{ScriptMetricsWriter.Escape(route)}\",");
        }

        Family(output, "scriptmon_rate_limited_requests_total", "counter", "Calls refused with 429 by the rate limit.");
        output.Write($"scriptmon_rate_limited_requests_total {Volatile.Read(ref _rateLimited).ToString(CultureInfo.InvariantCulture)}\n");

        var backlogs = _spoolBacklogs.OrderBy(pair => pair.Key, StringComparer.Ordinal).ToList();
        Family(output, "scriptmon_host_spool_backlog", "gauge", "Entries a host's spool still held when it last reported to this instance, during or after a delivery.");
        foreach (var (host, report) in backlogs)
        {
            output.Write($"scriptmon_host_spool_backlog{{host=\"{ScriptMetricsWriter.Escape(host)}\"}} {report.Waiting.ToString(CultureInfo.InvariantCulture)}\n");
        }

        Family(output, "scriptmon_host_spool_backlog_reported_timestamp_seconds", "gauge", "When a host last reported its spool's backlog to this instance (Unix time).");
        foreach (var (host, report) in backlogs)
        {
            output.Write($"scriptmon_host_spool_backlog_reported_timestamp_seconds{{host=\"{ScriptMetricsWriter.Escape(host)}\"}} {(report.At.ToUnixTimeMilliseconds() / 1000.0).ToString(CultureInfo.InvariantCulture)}\n");
        }
    }

    private static void Family(TextWriter output, string name, string type, string help) =>
        output.Write($"# HELP {name} {help}\n# TYPE {name} {type}\n");
}

using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ScriptMonitor.Server.Access;
using ScriptMonitor.Server.Api;
using ScriptMonitor.Server.Hosting;
using ScriptMonitor.Server.Metrics;

namespace ScriptMonitor.Server.Limits;

/// <summary>
/// A token bucket per caller, from ASP.NET Core's rate limiting primitives: per key (by its id, so two presentations of
/// one key share a bucket), and per client address for a call without a key or with a key that is unknown (so guessing
/// keys is limited too). It is consulted by <see cref="ScopeFilter"/>, the one place that knows the caller.
/// </summary>
internal sealed class CallerRateLimiter : IDisposable
{
    // Below this rate one token is added at a time, every 1/rate seconds; above it, a share every tenth of a second,
    // so that tens of thousands a second need only ten timer ticks a second.
    private const double FineGrainedRateLimit = 10;

    private static readonly TimeSpan CoarsePeriod = TimeSpan.FromMilliseconds(100);

    private readonly PartitionedRateLimiter<string>? _limiter;
    private readonly InstanceMetrics _metrics;

    public CallerRateLimiter(IOptions<ServerOptions> options, InstanceMetrics metrics)
    {
        _metrics = metrics;
        var settings = options.Value.RateLimit;
        if (!settings.Enabled)
        {
            return;
        }

        var bucket = BucketOf(settings);
        _limiter = PartitionedRateLimiter.Create<string, string>(partition => RateLimitPartition.GetTokenBucketLimiter(partition, _ => bucket));
    }

    /// <summary>Null when the call may go on; otherwise the 429 to answer, with <c>Retry-After</c>.</summary>
    /// <param name="http">The request.</param>
    /// <param name="caller">The caller its key names; null for a key that is unknown or revoked.</param>
    public ProblemHttpResult? Admit(HttpContext http, Caller? caller)
    {
        if (_limiter is null)
        {
            return null;
        }

        var partition = caller?.Key is { } key ? "key " + key.Id : "address " + http.Connection.RemoteIpAddress;
        using var lease = _limiter.AttemptAcquire(partition);
        if (lease.IsAcquired)
        {
            return null;
        }

        _metrics.RateLimited();
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
        var who = caller?.Key is null ? $"the address {http.Connection.RemoteIpAddress}" : $"the key '{caller.Name}'";
        return ApiProblems.TooManyRequests(http, seconds, $"{who} made more calls than {ServerOptions.Section}:{nameof(ServerOptions.RateLimit)} allows; try again in {seconds} s");
    }

    public void Dispose() => _limiter?.Dispose();

    internal static TokenBucketRateLimiterOptions BucketOf(RateLimitOptions settings)
    {
        var fine = settings.PermitsPerSecond < FineGrainedRateLimit;
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = settings.Burst,
            TokensPerPeriod = fine ? 1 : (int)Math.Ceiling(settings.PermitsPerSecond * CoarsePeriod.TotalSeconds),
            ReplenishmentPeriod = fine ? TimeSpan.FromSeconds(1 / settings.PermitsPerSecond) : CoarsePeriod,
            QueueLimit = 0,
            // The partitioned limiter refills every bucket from its one timer; a timer per caller would be many timers.
            AutoReplenishment = false,
        };
    }
}

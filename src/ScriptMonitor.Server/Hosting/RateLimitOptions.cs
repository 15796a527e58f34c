namespace ScriptMonitor.Server.Hosting;

/// <summary>
/// The <c>Server:RateLimit</c> settings: a token bucket per caller (per key; per client address without a key).
/// The defaults leave room for the load benchmark, 20,000 runs a second from one ingest key over 64 connections.
/// </summary>
internal sealed class RateLimitOptions
{
    /// <summary>Requests a caller may make per second, sustained; 0 switches the limit off. Fractions are allowed (0.1: one every 10 s).</summary>
    public double PermitsPerSecond { get; set; } = 50_000;

    /// <summary>Requests a caller may make at once after being idle; at least 1 when the limit is on.</summary>
    public int Burst { get; set; } = 50_000;

    /// <summary>Whether a limit applies at all.</summary>
    public bool Enabled => PermitsPerSecond > 0;
}

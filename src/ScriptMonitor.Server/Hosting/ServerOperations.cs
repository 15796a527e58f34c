using ScriptMonitor.Server.Limits;
using ScriptMonitor.Server.Metrics;
using ScriptMonitor.Server.Retention;

namespace ScriptMonitor.Server.Hosting;

/// <summary>
/// What running the server in production needs around the endpoints: the body limit, the per-caller rate limit,
/// trusted proxies, retention and the instance's own metrics. Settings are checked here, once, at start.
/// </summary>
internal static class ServerOperations
{
    /// <exception cref="ServerStartException">A setting breaks its rule; the message names it.</exception>
    public static void AddServerOperations(this WebApplicationBuilder builder, ServerOptions options)
    {
        Validate(options);
        builder.AddRequestBodyLimit(options.MaxRequestBodyBytes);
        builder.AddTrustedProxies(options.TrustedProxies);
        builder.Services.AddSingleton<InstanceMetrics>();
        builder.Services.AddSingleton<CallerRateLimiter>();
        builder.Services.AddHostedService<RetentionService>();
    }

    /// <summary>First in the pipeline, so that every later part sees the client's address and every request is timed.</summary>
    public static void UseServerOperations(this WebApplication app)
    {
        app.UseTrustedProxies(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ServerOptions>>().Value.TrustedProxies);
        app.UseRequestMetrics();
    }

    private static void Validate(ServerOptions options)
    {
        Require(options.MaxRequestBodyBytes > 0, nameof(ServerOptions.MaxRequestBodyBytes), "must be a number of bytes above 0");
        var rate = options.RateLimit;
        Require(rate.PermitsPerSecond >= 0 && double.IsFinite(rate.PermitsPerSecond), "RateLimit:PermitsPerSecond", "must be 0 (off) or a number of calls per second above 0");
        Require(!rate.Enabled || rate.Burst >= 1, "RateLimit:Burst", "must be at least 1 while the rate limit is on");
        var retention = options.Retention;
        Require(retention.RunDays >= 0, "Retention:RunDays", "must be 0 (keep for ever) or a number of days");
        Require(retention.KeepLastRuns >= 0, "Retention:KeepLastRuns", "must not be negative");
        Require(retention.OutputDays >= 0, "Retention:OutputDays", "must be 0 (keep as long as the run) or a number of days");
        Require(retention.Interval >= TimeSpan.Zero, "Retention:Interval", "must not be negative (0 switches retention off)");
    }

    private static void Require(bool rule, string setting, string message)
    {
        if (!rule)
        {
            throw new ServerStartException($"{ServerOptions.Section}:{setting} {message}");
        }
    }
}

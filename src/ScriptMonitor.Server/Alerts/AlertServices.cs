using Microsoft.Extensions.Logging;
using ScriptMonitor.Application.Alerts;
using ScriptMonitor.Server.Hosting;

namespace ScriptMonitor.Server.Alerts;

/// <summary>The alert loop and the dispatcher, with the <c>Alerts</c> settings checked once at start.</summary>
internal static class AlertServices
{
    /// <exception cref="ServerStartException">A setting breaks its rule; the message names it.</exception>
    public static void AddAlerts(this WebApplicationBuilder builder, ServerStore store)
    {
        var options = builder.Configuration.GetSection(AlertOptions.Section).Get<AlertOptions>() ?? new AlertOptions();
        if (options.Problems() is { Count: > 0 } problems)
        {
            throw new ServerStartException(string.Join("; ", problems));
        }

        builder.Services.AddSingleton(options);
        // SQLite commits one writer at a time, in sequence order: its change feed needs no window read again.
        var inCommitOrder = store.Location.Provider.LocalFile(store.Location.Target) is not null;
        builder.Services.AddSingleton(provider => new AlertEngine(
            store.Runs,
            options,
            inCommitOrder,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("ScriptMonitor.Alerts"),
            AlertEngine.NewInstanceId()));
        builder.Services.AddSingleton(provider => new AlertDispatcher(
            store.Runs,
            options,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("ScriptMonitor.Alerts")));
        if (options.Enabled)
        {
            builder.Services.AddHostedService<AlertLoop>();
            builder.Services.AddHostedService<DispatchService>();
        }
    }

    /// <summary>Whether the loop is running and keeping up, for /readyz: null when it is; else why not.</summary>
    public static string? NotReadyReason(IServiceProvider services, DateTimeOffset now)
    {
        var options = services.GetRequiredService<AlertOptions>();
        if (!options.Enabled)
        {
            return null;
        }

        var lag = services.GetRequiredService<AlertEngine>().LagAt(now);
        return lag > options.Tick * 2
            ? $"alert evaluation lags {(lag == TimeSpan.MaxValue ? "(no tick yet)" : $"{lag.TotalSeconds:0.###} s")}, more than two ticks ({options.TickMilliseconds * 2} ms)"
            : null;
    }
}

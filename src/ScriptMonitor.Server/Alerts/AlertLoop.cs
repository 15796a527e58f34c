using ScriptMonitor.Application.Alerts;

namespace ScriptMonitor.Server.Alerts;

/// <summary>
/// The evaluation loop: one <see cref="AlertEngine.TickAsync"/> every <c>Alerts:TickMilliseconds</c>, the heartbeat
/// to an external dead-man's switch after each, and the lease given up at a stop so another instance takes over at once.
/// </summary>
internal sealed partial class AlertLoop(AlertEngine engine, AlertOptions options, TimeProvider time, ILogger<AlertLoop> logger) : BackgroundService
{
    private Task? _heartbeat;
    private bool _heartbeatFailing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarting(logger, engine.InstanceId, options.TickMilliseconds);
        using var heartbeatClient = options.HeartbeatUrl is null ? null : new HttpClient();
        if (heartbeatClient is not null)
        {
            heartbeatClient.Timeout = options.Tick * 5 > TimeSpan.FromSeconds(10) ? TimeSpan.FromSeconds(10) : options.Tick * 5;
        }

        using var timer = new PeriodicTimer(options.Tick, time);
        try
        {
            do
            {
                try
                {
                    await engine.TickAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One bad tick must not end the loop: the next one starts from what the store says.
                    LogTickFailed(logger, e);
                }

                if (heartbeatClient is not null && _heartbeat is null or { IsCompleted: true })
                {
                    _heartbeat = BeatAsync(heartbeatClient, stoppingToken);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await engine.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The lease lapses by itself a few ticks later.
            LogReleaseFailed(logger, e.Message);
        }
    }

    /// <summary>One GET of the heartbeat URL; a failure is logged once until it works again, never fatal.</summary>
    private async Task BeatAsync(HttpClient client, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync(options.HeartbeatUrl, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            if (_heartbeatFailing)
            {
                _heartbeatFailing = false;
                LogHeartbeatBack(logger);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            if (!cancellationToken.IsCancellationRequested && !_heartbeatFailing)
            {
                _heartbeatFailing = true;
                LogHeartbeatFailed(logger, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Alerts: evaluation loop of {Instance} started, a tick every {Tick} ms")]
    private static partial void LogStarting(ILogger logger, string instance, int tick);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alerts: a tick failed; the next one starts again from the store")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alerts: could not give the lease up at the stop ({Reason}); it lapses by itself")]
    private static partial void LogReleaseFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alerts: the heartbeat (Alerts:HeartbeatUrl) failed: {Reason}; said once until it works again")]
    private static partial void LogHeartbeatFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alerts: the heartbeat (Alerts:HeartbeatUrl) works again")]
    private static partial void LogHeartbeatBack(ILogger logger);
}

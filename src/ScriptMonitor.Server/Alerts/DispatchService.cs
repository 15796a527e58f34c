using ScriptMonitor.Alerts;
using ScriptMonitor.Application.Alerts;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Server.Alerts;

/// <summary>
/// Runs the <see cref="AlertDispatcher"/> while this instance leads: woken at once when the loop writes notifications,
/// and every tick for retries that came due.
/// </summary>
internal sealed partial class DispatchService(AlertEngine engine, AlertDispatcher dispatcher, AlertOptions options, ILogger<DispatchService> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        engine.NotificationsWritten += OnWritten;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await _wake.WaitAsync(options.Tick, stoppingToken).ConfigureAwait(false);
                if (engine.Lease is not { } lease)
                {
                    continue;
                }

                try
                {
                    await dispatcher.DeliverDueAsync(lease, stoppingToken).ConfigureAwait(false);
                }
                catch (LeaseLostException)
                {
                    // The loop sees it at its next tick; nothing more is delivered from here meanwhile.
                }
                catch (StoreUnavailableException e)
                {
                    LogStoreUnavailable(logger, e.Message);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogDispatchFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: an attempt cut short is recorded by none, so it is made again by the next leader.
        }
        finally
        {
            engine.NotificationsWritten -= OnWritten;
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    private void OnWritten(object? sender, EventArgs e)
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alerts: the store does not answer the dispatcher; trying again next tick: {Reason}")]
    private static partial void LogStoreUnavailable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alerts: delivering failed; trying again next tick")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);
}

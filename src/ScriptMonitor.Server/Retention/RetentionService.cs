using Microsoft.Extensions.Options;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Hosting;

namespace ScriptMonitor.Server.Retention;

/// <summary>
/// Applies <see cref="RetentionOptions"/> by itself: soon after the start, then every interval, deletes old runs
/// (keeping each script's newest runs and its last success) and clears old output. The store does both in small
/// batches, each its own short transaction, so recording runs waits at most for one batch.
/// </summary>
internal sealed partial class RetentionService(ServerStore store, IOptions<ServerOptions> options, TimeProvider time, ILogger<RetentionService> logger) : BackgroundService
{
    private readonly RetentionOptions _policy = options.Value.Retention;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_policy.Enabled)
        {
            LogOff(logger);
            return;
        }

        var wait = _policy.Interval < RetentionOptions.FirstPassAfter ? _policy.Interval : RetentionOptions.FirstPassAfter;
        try
        {
            while (true)
            {
                await Task.Delay(wait, time, stoppingToken).ConfigureAwait(false);
                await ApplyOnceAsync(stoppingToken).ConfigureAwait(false);
                wait = _policy.Interval;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: a pass cut short between batches leaves nothing half done.
        }
    }

    /// <summary>One pass of the policy; a store that does not answer is logged and tried again at the next interval.</summary>
    internal async Task ApplyOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        try
        {
            long deleted = 0;
            long cleared = 0;
            if (_policy.RunDays > 0)
            {
                deleted = await store.Runs.PruneAsync(now.AddDays(-_policy.RunDays), _policy.KeepLastRuns, cancellationToken).ConfigureAwait(false);
            }

            if (_policy.OutputDays > 0)
            {
                cleared = await store.Runs.PruneOutputAsync(now.AddDays(-_policy.OutputDays), cancellationToken).ConfigureAwait(false);
            }

            LogPass(logger, deleted, _policy.RunDays, _policy.KeepLastRuns, cleared, _policy.OutputDays);
        }
        catch (StoreUnavailableException e)
        {
            LogStoreUnavailable(logger, _policy.Interval, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Deleted} runs older than {RunDays} days (keeping each script's newest {KeepLastRuns} and its last success), cleared the output of {Cleared} runs older than {OutputDays} days")]
    private static partial void LogPass(ILogger logger, long deleted, int runDays, int keepLastRuns, long cleared, int outputDays);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention: the store does not answer; trying again in {Interval}: {Reason}")]
    private static partial void LogStoreUnavailable(ILogger logger, TimeSpan interval, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention is off (Server:Retention): runs and output are kept for ever")]
    private static partial void LogOff(ILogger logger);
}

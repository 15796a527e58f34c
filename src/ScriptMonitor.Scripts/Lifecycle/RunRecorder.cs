using Microsoft.Extensions.Logging;
using ScriptMonitor.Runs;
using ScriptMonitor.Application.Spooling;

namespace ScriptMonitor.Scripts.Lifecycle;

/// <summary>
/// Writes a finished run to the store, or to the spool when the store cannot take it, so that no run is lost.
/// After a success it first delivers what the spool holds, from any script on this host.
/// </summary>
internal sealed partial class RunRecorder(Func<IScriptRunStore> openStore, RunSpool spool, ILogger logger)
{
    /// <summary>Records <paramref name="run"/>; never throws for a store that fails, only logs and spools.</summary>
    /// <returns>True when the run reached the store; false when it was spooled or refused.</returns>
    internal async Task<bool> RecordAsync(ScriptRun run, bool deliverSpool)
    {
        // Recording must finish even when the run itself was cancelled: no token here.
        var cancellationToken = CancellationToken.None;
        IScriptRunStore? store = null;
        try
        {
            store = openStore();
            if (deliverSpool)
            {
                await DeliverSpoolAsync(store, cancellationToken).ConfigureAwait(false);
            }

            await store.ImportRunAsync(run, cancellationToken).ConfigureAwait(false);
            LogRecorded(logger, run.Outcome, run.ScriptName, store.Description);
            return true;
        }
        catch (ArgumentException e)
        {
            // The store refuses the run itself; spooling it would only have it refused again later.
            LogRefused(logger, e, run.ScriptName, e.Message);
            return false;
        }
        catch (Exception e)
        {
            Spool(run, store?.Description, e);
            return false;
        }
        finally
        {
            if (store is not null)
            {
                await DisposeQuietlyAsync(store).ConfigureAwait(false);
            }
        }
    }

    private async Task DeliverSpoolAsync(IScriptRunStore store, CancellationToken cancellationToken)
    {
        try
        {
            await spool.DeliverAsync(store, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SpoolUnavailableException or IOException or UnauthorizedAccessException)
        {
            // A spool that cannot be read must not keep this run from being recorded.
            LogSpoolUnusable(logger, e, spool.Directory, e.Message);
        }
    }

    private void Spool(ScriptRun run, string? storeDescription, Exception cause)
    {
        var reason = $"{cause.GetType().Name}: {cause.Message}";
        try
        {
            var entry = spool.Add(run, reason);
            LogSpooled(logger, run.ScriptName, storeDescription ?? "the configured store", reason, entry);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogLost(logger, e, run.Outcome, run.ScriptName, Timestamps.FormatIso(run.StartedAt), reason, spool.Directory, e.Message);
        }
    }

    private async Task DisposeQuietlyAsync(IScriptRunStore store)
    {
        try
        {
            await store.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogCloseFailed(logger, e, store.Description, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Recorded the {Outcome} run of {ScriptName} in {Store}.")]
    private static partial void LogRecorded(ILogger logger, RunOutcome outcome, string scriptName, string store);

    [LoggerMessage(Level = LogLevel.Error, Message = "The store refused the run of {ScriptName}: {Reason}")]
    private static partial void LogRefused(ILogger logger, Exception exception, string scriptName, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot record the run of {ScriptName} in {Store} ({Reason}); spooled it as {SpoolEntry} for delivery by the next run.")]
    private static partial void LogSpooled(ILogger logger, string scriptName, string store, string reason, string spoolEntry);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The {Outcome} run of {ScriptName} started {StartedAt} is lost: the store failed ({Reason}) and the spool {SpoolDirectory} cannot be written ({SpoolError}).")]
    private static partial void LogLost(ILogger logger, Exception exception, RunOutcome outcome, string scriptName, string startedAt, string reason, string spoolDirectory, string spoolError);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot deliver the spool {SpoolDirectory}: {Reason}")]
    private static partial void LogSpoolUnusable(ILogger logger, Exception exception, string spoolDirectory, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing {Store} failed: {Reason}")]
    private static partial void LogCloseFailed(ILogger logger, Exception exception, string store, string reason);
}

using Microsoft.Extensions.Logging;
using ScriptMonitor.Application.Logging;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Status;

/// <summary>
/// This host's runs that will never complete because their runner is gone, found without writing: a use case that
/// only reads (the status overview, a check) evaluates them as abandoned, and the next run recorded on this host (or a
/// prune) records it. Runs past their bound need no lookup: the evaluation presumes them abandoned itself.
/// </summary>
public static class GoneRunners
{
    /// <summary>Finds them; a store that fails now leaves them to the evaluation's own bound, which is logged.</summary>
    /// <param name="store">The store.</param>
    /// <param name="now">The instant of the look.</param>
    /// <param name="logger">Where a failure is said.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static async Task<IReadOnlyList<ScriptRun>> FindAsync(IScriptRunStore store, DateTimeOffset now, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            return [.. (await AbandonedRunSweep.FindGoneRunsAsync(store, now, cancellationToken).ConfigureAwait(false)).Select(g => g.Run)];
        }
        catch (StoreUnavailableException e)
        {
            logger.LogAbandonedNotChecked(e.Message.ReplaceLineEndings(" ").Trim());
            return [];
        }
    }
}

using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Recording;

/// <summary>
/// Closes this host's runs whose runner died without recording their end (killed, out of memory, a reboot): only a
/// process on the runner's host can tell, so every run recorded on a host sweeps that host's runs in progress. One
/// query of the runs in progress here and a look at <c>/proc</c> for each: cheap enough for every run.
/// </summary>
internal static class HostRunSweep
{
    /// <summary>Marks this host's runs whose runner is gone as abandoned.</summary>
    /// <returns>The runs marked, each with why.</returns>
    internal static async Task<IReadOnlyList<(ScriptRun Run, string Reason)>> CloseGoneRunsAsync(IRunRecording target, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var closed = new List<(ScriptRun, string)>();
        foreach (var run in await target.ListRunningAsync(RunValidation.ThisHost, cancellationToken).ConfigureAwait(false))
        {
            if (now < run.StartedAt || AbandonedRunSweep.WhyAbandoned(run, bound: null, now) is not { } why)
            {
                continue;
            }

            try
            {
                // A run that completed since it was listed is left as it is: only a run still running is marked.
                if (await target.AbandonRunAsync(run.RunId, now, why, cancellationToken).ConfigureAwait(false))
                {
                    closed.Add((run, why));
                }
            }
            catch (KeyNotFoundException)
            {
                // Pruned since it was listed: nothing is left to close.
            }
        }

        return closed;
    }
}

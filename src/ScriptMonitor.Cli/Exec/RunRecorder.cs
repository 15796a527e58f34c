using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Runs;
using ScriptMonitor.Scripts.Spooling;

namespace ScriptMonitor.Cli.Exec;

/// <summary>
/// Records one wrapped run: the start once the command runs, the end after. Whatever the store does, the run is
/// kept: a start it could not take is recorded with the end, and an end it could not take goes to the spool with
/// the run's own id and timestamps, to be delivered later exactly once.
/// </summary>
internal sealed class RunRecorder(CliContext context, RunSpool spool) : IDisposable
{
    private IScriptRunStore? _store;
    private string? _storeProblem;
    private bool _startRecorded;

    /// <summary>A new run of the script, starting now.</summary>
    internal ScriptRun NewRun(string name, string hostname) =>
        new(Guid.NewGuid(), name, hostname, Timestamps.Normalize(context.Time.GetUtcNow()), null, RunOutcome.Running, null, null);

    /// <summary>Records that the run started; never throws for a store problem (the end records the whole run then).</summary>
    internal void RecordStart(ScriptRun run)
    {
        try
        {
            _store = context.OpenStore();
            _store.RecordStartAsync(run.ScriptName, run.StartedAt, run.Hostname, run.RunId, RunnerProcess.Current()).GetAwaiter().GetResult();
            _startRecorded = true;
        }
        catch (Exception e) when (StoreFailures.IsUnavailable(e) || e is ArgumentException)
        {
            // Runs while the command runs: nothing may escape from here.
            _storeProblem = CliContext.OneLine(e.Message);
            context.Logger.LogStartNotRecorded(run.ScriptName, _storeProblem);
        }
    }

    /// <summary>Records the end, or spools the whole run; then delivers older spooled runs while the store is up.</summary>
    internal void Complete(ScriptRun run)
    {
        if (TryStore(run))
        {
            CloseGoneRuns();
            DeliverSpool();
            return;
        }

        try
        {
            var entry = spool.Add(run, _storeProblem);
            context.Logger.LogSpooled(run.ScriptName, entry, _storeProblem ?? "unknown");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Logger.LogRunLost(run.ScriptName, run.RunId, CliContext.OneLine(e.Message));
        }
    }

    public void Dispose() => _store?.Dispose();

    private bool TryStore(ScriptRun run)
    {
        try
        {
            _store ??= context.OpenStore();
            if (_startRecorded)
            {
                _store.CompleteRunAsync(run.RunId, run.CompletedAt!.Value, run.Outcome, run.ExitCode, run.Output).GetAwaiter().GetResult();
            }
            else
            {
                _store.ImportRunAsync(run).GetAwaiter().GetResult();
            }

            return true;
        }
        catch (ArgumentException e)
        {
            // The store refused the run itself (a clock far off, say): spooling would only be refused again later.
            context.Logger.LogRunRefused(run.ScriptName, run.RunId, CliContext.OneLine(e.Message));
            return true;
        }
        catch (Exception e) when (StoreFailures.IsUnavailable(e))
        {
            _storeProblem = CliContext.OneLine(e.Message);
            return false;
        }
    }

    /// <summary>
    /// Closes this host's runs whose runner died without recording their end (killed, out of memory, a reboot): only a
    /// scriptmon on the runner's host can tell, and every run of every script passes here. Best effort, after the job.
    /// </summary>
    private void CloseGoneRuns()
    {
        if (_store is null)
        {
            return;
        }

        try
        {
            foreach (var (gone, reason) in Health.AbandonedRunSweep.CloseGoneRunsAsync(_store, context.Time.GetUtcNow(), CancellationToken.None).GetAwaiter().GetResult())
            {
                context.Logger.LogRunAbandoned(gone.ScriptName, gone.RunId, reason);
            }
        }
        catch (Exception e) when (StoreFailures.IsUnavailable(e) || e is ArgumentException)
        {
            context.Logger.LogAbandonedNotChecked(CliContext.OneLine(e.Message));
        }
    }

    private void DeliverSpool()
    {
        if (_store is null || !spool.HasWaitingEntries())
        {
            return;
        }

        try
        {
            spool.DeliverAsync(_store, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception e) when (StoreFailures.IsUnavailable(e) || e is ArgumentException)
        {
            context.Logger.LogSpoolNotDelivered(CliContext.OneLine(e.Message));
        }
    }
}

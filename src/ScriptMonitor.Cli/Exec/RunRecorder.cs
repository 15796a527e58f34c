using System.Globalization;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Runs;
using ScriptMonitor.Application.Spooling;
using ScriptMonitor.Health;

namespace ScriptMonitor.Cli.Exec;

/// <summary>
/// Records one wrapped run without ever holding up the job. Opening the store (and migrating it), recording the
/// start, the completion and delivering older spooled runs all happen on a thread of their own, while the job runs;
/// the job, its output and its timeout never wait for the store. Once the job has ended, scriptmon waits for the
/// store at most <see cref="StoreWaitLimit"/>; past that (a locked database, a server that accepts connections and
/// never answers) the whole run goes to the spool, with its own id and timestamps, and scriptmon exits with the job's
/// status. A run delivered twice (once late, once from the spool) is stored once: the store keys runs by id.
/// </summary>
internal sealed class RunRecorder(CliContext context, RunSpool spool)
{
    /// <summary>
    /// How long scriptmon waits for the store after the job ended: long enough for a busy database to take a run,
    /// short enough that cron is not held up by a store that will not answer (SQLite's busy timeout is 30 s,
    /// a PostgreSQL connection's 15 s).
    /// </summary>
    internal static readonly TimeSpan StoreWaitLimit = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Waits here are for the store (milliseconds at best): spinning first would only take a core the store needs,
    /// on the small and busy hosts cron jobs run on.
    /// </summary>
    private const int NoSpinning = 1;

    private readonly Lock _gate = new();
    private readonly ManualResetEventSlim _completionPosted = new(false, NoSpinning);
    private readonly ManualResetEventSlim _completionDone = new(false, NoSpinning);
    private readonly ManualResetEventSlim _deliveryDone = new(false, NoSpinning);
    private readonly CancellationTokenSource _abandon = new();
    private ScriptRun? _start;
    private ScriptRun? _completion;
    private bool _stored;
    private string? _problem;
    private Thread? _worker;

    /// <summary>Starts recording the run's start in the background; returns at once.</summary>
    internal void BeginStart(ScriptRun run)
    {
        lock (_gate)
        {
            _start = run;
        }

        StartWorker();
    }

    /// <summary>
    /// Records how the run ended (or the whole run, when its start was not recorded), waiting for the store at most
    /// <see cref="StoreWaitLimit"/>, else spooling it; then lets the worker deliver older spooled runs in what is left
    /// of that time.
    /// </summary>
    internal void Complete(ScriptRun run)
    {
        var waitStarted = context.Time.GetTimestamp();
        lock (_gate)
        {
            _completion = run;
        }

        _completionPosted.Set();
        StartWorker();
        if (!_completionDone.Wait(StoreWaitLimit))
        {
            _abandon.Cancel();
            var limit = DurationText.Format(StoreWaitLimit);
            Spool(run, string.Create(CultureInfo.InvariantCulture, $"the store did not answer within {limit}"));
            return;
        }

        bool stored;
        string? problem;
        lock (_gate)
        {
            (stored, problem) = (_stored, _problem);
        }

        if (!stored)
        {
            Spool(run, problem ?? "unknown");
            return;
        }

        var left = StoreWaitLimit - context.Time.GetElapsedTime(waitStarted);
        if (left > TimeSpan.Zero)
        {
            _deliveryDone.Wait(left);
        }
    }

    /// <summary>
    /// Records that a run was skipped because another run held the lock, waiting for the store at most
    /// <see cref="StoreWaitLimit"/>, else spooling the event (delivered later, once, by its event id).
    /// </summary>
    internal void RecordSkip(ScriptSkip skip)
    {
        string? problem = null;
        using var done = new ManualResetEventSlim(false, NoSpinning);
        var worker = new Thread(() =>
        {
            try
            {
                using var store = context.OpenStore(StoreWaitLimit);
                store.RecordSkipAsync(skip, _abandon.Token).GetAwaiter().GetResult();
            }
            catch (ArgumentException e)
            {
                context.Logger.LogSkipRefused(skip.ScriptName, CliContext.OneLine(e.Message));
            }
            catch (Exception e) when (StoreFailures.IsUnavailable(e) || e is OperationCanceledException)
            {
                problem = CliContext.OneLine(e.Message);
            }
            finally
            {
                try
                {
                    done.Set();
                }
                catch (ObjectDisposedException)
                {
                    // The wait was given up on and is over.
                }
            }
        })
        { IsBackground = true, Name = "scriptmon store" };
        worker.Start();
        if (!done.Wait(StoreWaitLimit))
        {
            _abandon.Cancel();
            problem = string.Create(CultureInfo.InvariantCulture, $"the store did not answer within {DurationText.Format(StoreWaitLimit)}");
        }

        if (problem is null)
        {
            return;
        }

        try
        {
            var entry = spool.AddSkip(skip, problem);
            context.Logger.LogSkipSpooled(skip.ScriptName, entry, problem);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Logger.LogSkipLost(skip.ScriptName, CliContext.OneLine(e.Message));
        }
    }

    private void StartWorker()
    {
        lock (_gate)
        {
            if (_worker is not null)
            {
                return;
            }

            _worker = new Thread(Work) { IsBackground = true, Name = "scriptmon store" };
            _worker.Start();
        }
    }

    private void Work()
    {
        var cancellationToken = _abandon.Token;
        IScriptRunStore? store = null;
        try
        {
            store = context.OpenStore(StoreWaitLimit);
            var startRecorded = false;
            ScriptRun? start;
            lock (_gate)
            {
                // The start is recorded even when the job is already over: it carries the runner, and a writer that
                // makes two writes lets SQLite restart its write-ahead log (one write per process never does).
                start = _start;
            }

            if (start is not null)
            {
                startRecorded = TryRecordStart(store, start, cancellationToken);
                _completionPosted.Wait(cancellationToken);
            }

            ScriptRun run;
            lock (_gate)
            {
                run = _completion!;
            }

            var stored = TryStore(store, run, startRecorded, cancellationToken);
            lock (_gate)
            {
                _stored = stored;
            }

            _completionDone.Set();
            if (stored)
            {
                CloseGoneRuns(store, cancellationToken);
                DeliverSpool(store, cancellationToken);
            }
        }
        catch (Exception e) when (StoreFailures.IsUnavailable(e) || e is ArgumentException or OperationCanceledException)
        {
            lock (_gate)
            {
                _problem ??= CliContext.OneLine(e.Message);
            }
        }
        finally
        {
            _completionDone.Set();
            _deliveryDone.Set();
            store?.Dispose();
        }
    }

    /// <summary>Records the start; never throws for a store problem (the end records the whole run then).</summary>
    private bool TryRecordStart(IScriptRunStore store, ScriptRun run, CancellationToken cancellationToken)
    {
        try
        {
            // The runner is scriptmon itself: the run ends when scriptmon records it, so its death is the run's end.
            store.RecordStartAsync(run.ScriptName, run.StartedAt, run.Hostname, run.RunId, RunnerProcess.Current(), cancellationToken).GetAwaiter().GetResult();
            return true;
        }
        catch (Exception e) when (StoreFailures.IsUnavailable(e) || e is ArgumentException)
        {
            var problem = CliContext.OneLine(e.Message);
            lock (_gate)
            {
                _problem = problem;
            }

            context.Logger.LogStartNotRecorded(run.ScriptName, problem);
            return false;
        }
    }

    private bool TryStore(IScriptRunStore store, ScriptRun run, bool startRecorded, CancellationToken cancellationToken)
    {
        try
        {
            if (startRecorded)
            {
                store.CompleteRunAsync(run.RunId, run.CompletedAt!.Value, run.Outcome, run.ExitCode, run.Output, cancellationToken).GetAwaiter().GetResult();
            }
            else
            {
                store.ImportRunAsync(run, cancellationToken).GetAwaiter().GetResult();
            }

            return true;
        }
        catch (ArgumentException e)
        {
            // The store refused the run itself (a clock far off, say): spooling it would only have it refused again later.
            context.Logger.LogRunRefused(run.ScriptName, run.RunId, CliContext.OneLine(e.Message));
            return true;
        }
        catch (Exception e) when (StoreFailures.IsUnavailable(e))
        {
            lock (_gate)
            {
                _problem = CliContext.OneLine(e.Message);
            }

            return false;
        }
    }

    private void Spool(ScriptRun run, string problem)
    {
        try
        {
            var entry = spool.Add(run, problem);
            context.Logger.LogSpooled(run.ScriptName, entry, problem);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Logger.LogRunLost(run.ScriptName, run.RunId, CliContext.OneLine(e.Message));
        }
    }

    /// <summary>
    /// Closes this host's runs whose runner died without recording their end (killed, out of memory, a reboot): only a
    /// scriptmon on the runner's host can tell, and every run of every script passes here. Best effort, after the job.
    /// </summary>
    private void CloseGoneRuns(IScriptRunStore store, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var (gone, reason) in Health.AbandonedRunSweep.CloseGoneRunsAsync(store, context.Time.GetUtcNow(), cancellationToken).GetAwaiter().GetResult())
            {
                context.Logger.LogRunAbandoned(gone.ScriptName, gone.RunId, reason);
            }
        }
        catch (Exception e) when (StoreFailures.IsUnavailable(e) || e is ArgumentException)
        {
            context.Logger.LogAbandonedNotChecked(CliContext.OneLine(e.Message));
        }
    }

    private void DeliverSpool(IScriptRunStore store, CancellationToken cancellationToken)
    {
        try
        {
            if (spool.HasWaitingEntries())
            {
                spool.DeliverAsync(store, cancellationToken).GetAwaiter().GetResult();
            }
        }
        catch (Exception e) when (StoreFailures.IsUnavailable(e) || e is ArgumentException)
        {
            context.Logger.LogSpoolNotDelivered(CliContext.OneLine(e.Message));
        }
    }
}

using ScriptMonitor.Application.Logging;
using Microsoft.Extensions.Logging;
using ScriptMonitor.Application.Spooling;
using ScriptMonitor.Configuration;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Recording;

/// <summary>
/// Records one run, or one skipped run, without ever holding up the work: the one recorder of <c>scriptmon exec</c> and
/// of scripts built on the base class. Connecting to where records go (opening the store, migrating it), recording the
/// start, the completion, closing this host's runs whose runner is gone and delivering older spooled runs all happen on
/// a thread of its own while the work runs. Once the work has ended, the recorder waits for the store at most
/// <see cref="StoreWaitLimit"/>; past that (a locked database, a server that accepts connections and never answers),
/// or when the store cannot take the run (unavailable, incompatible, not configured), the whole run goes to the spool
/// with its own id and timestamps, and is delivered later, once: records are keyed by id.
/// </summary>
public sealed partial class RunRecorder : IDisposable
{
    /// <summary>
    /// How long the recorder waits for the store once the work has ended: long enough for a busy database to take a
    /// run, short enough that cron is not held up by a store that will not answer (SQLite's busy timeout is 30 s, a
    /// PostgreSQL connection's 15 s).
    /// </summary>
    public static readonly TimeSpan DefaultStoreWaitLimit = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Waits here are for the store (milliseconds at best): spinning first would only take a core the store needs,
    /// on the small and busy hosts cron jobs run on.
    /// </summary>
    private const int NoSpinning = 1;

    private const string WorkerName = "scriptmon store";

    private readonly Func<IRunRecording> _connect;
    private readonly RunSpool _spool;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private readonly ManualResetEventSlim _completionPosted = new(false, NoSpinning);
    private readonly ManualResetEventSlim _completionDone = new(false, NoSpinning);
    private readonly ManualResetEventSlim _deliveryDone = new(false, NoSpinning);
    private readonly CancellationTokenSource _abandon = new();
    private ScriptRun? _start;
    private ScriptRun? _completion;
    private bool _stored;
    private bool _refused;
    private string? _problem;
    private string? _target;
    private Thread? _worker;

    /// <summary>Creates the recorder of one run.</summary>
    /// <param name="connect">
    /// Connects to where records go; called once, on the recorder's thread, so that a slow connection never holds up
    /// the work. Whatever it throws gets the run spooled.
    /// </param>
    /// <param name="spool">Where runs wait that cannot be recorded now, and what is delivered once the store takes one.</param>
    /// <param name="logger">Where the recorder says what went wrong (a run spooled, refused or lost).</param>
    /// <param name="timeProvider">The clock of the waits and of the instant abandoned runs are closed at.</param>
    /// <param name="storeWaitLimit">How long to wait for the store once the work has ended; <see cref="DefaultStoreWaitLimit"/> by default.</param>
    public RunRecorder(Func<IRunRecording> connect, RunSpool spool, ILogger logger, TimeProvider timeProvider, TimeSpan? storeWaitLimit = null)
    {
        ArgumentNullException.ThrowIfNull(connect);
        ArgumentNullException.ThrowIfNull(spool);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _connect = connect;
        _spool = spool;
        _logger = logger;
        _timeProvider = timeProvider;
        StoreWaitLimit = storeWaitLimit ?? DefaultStoreWaitLimit;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(StoreWaitLimit, TimeSpan.Zero, nameof(storeWaitLimit));
    }

    /// <summary>How long the recorder waits for the store once the work has ended.</summary>
    public TimeSpan StoreWaitLimit { get; }

    /// <summary>
    /// Starts recording the run's start in the background, with this process as its runner (its death ends the run,
    /// which is how a killed run is later found abandoned); returns at once.
    /// </summary>
    /// <param name="run">The run as it starts: its outcome is <see cref="RunOutcome.Running"/>.</param>
    public void BeginStart(ScriptRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (_gate)
        {
            _start = run;
        }

        StartWorker();
    }

    /// <summary>
    /// Records how the run ended (or the whole run, when its start was not recorded), waiting for the store at most
    /// <see cref="StoreWaitLimit"/>, else spooling it; then lets the recorder's thread close this host's abandoned runs
    /// and deliver older spooled runs in what is left of that time. Never throws for a problem of the store or the
    /// spool: it is logged, and the caller's own outcome stands.
    /// </summary>
    /// <param name="run">The whole run, as it ended.</param>
    /// <returns>Where the run went.</returns>
    public RecordingOutcome Complete(ScriptRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var waitStarted = _timeProvider.GetTimestamp();
        lock (_gate)
        {
            _completion = run;
        }

        _completionPosted.Set();
        StartWorker();
        if (!_completionDone.Wait(StoreWaitLimit))
        {
            _abandon.Cancel();
            return Spool(run, $"the store did not answer within {DurationText.Format(StoreWaitLimit)}", Target());
        }

        bool stored, refused;
        string? problem;
        lock (_gate)
        {
            (stored, refused, problem) = (_stored, _refused, _problem);
        }

        if (!stored)
        {
            return Spool(run, problem ?? "unknown", Target());
        }

        var left = StoreWaitLimit - _timeProvider.GetElapsedTime(waitStarted);
        if (left > TimeSpan.Zero)
        {
            _deliveryDone.Wait(left);
        }

        return refused ? RecordingOutcome.Refused : RecordingOutcome.Stored;
    }

    /// <summary>
    /// Records that a run was skipped because another run held the lock, waiting for the store at most
    /// <see cref="StoreWaitLimit"/>, else spooling the event (delivered later, once, by its event id).
    /// </summary>
    /// <param name="skip">The event.</param>
    /// <returns>Where the event went.</returns>
    public RecordingOutcome RecordSkip(ScriptSkip skip)
    {
        ArgumentNullException.ThrowIfNull(skip);
        string? problem = null;
        var refused = false;
        using var done = new ManualResetEventSlim(false, NoSpinning);
        var worker = new Thread(() =>
        {
            try
            {
                using var target = _connect();
                target.RecordSkipAsync(skip, _abandon.Token).GetAwaiter().GetResult();
            }
            catch (ArgumentException e)
            {
                refused = true;
                LogSkipRefused(_logger, skip.ScriptName, OneLine(e.Message));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                problem = Problem(e);
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
        { IsBackground = true, Name = WorkerName };
        worker.Start();
        if (!done.Wait(StoreWaitLimit))
        {
            _abandon.Cancel();
            problem = $"the store did not answer within {DurationText.Format(StoreWaitLimit)}";
        }

        if (problem is null)
        {
            return refused ? RecordingOutcome.Refused : RecordingOutcome.Stored;
        }

        try
        {
            var entry = _spool.AddSkip(skip, problem);
            LogSkipSpooled(_logger, skip.ScriptName, entry, problem);
            return RecordingOutcome.Spooled;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogSkipLost(_logger, skip.ScriptName, OneLine(e.Message));
            return RecordingOutcome.Lost;
        }
    }

    /// <summary>Gives up on a recorder's thread that is still waiting for the store.</summary>
    public void Dispose()
    {
        _abandon.Cancel();
        _abandon.Dispose();
    }

    /// <summary>Why the store cannot take a record, for the log and the spool entry.</summary>
    private static string Problem(Exception e) => e is StoreUnavailableException or StoreIncompatibleException or ConfigurationException
        ? OneLine(e.Message)
        : $"{e.GetType().Name}: {OneLine(e.Message)}";

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    private string Target()
    {
        lock (_gate)
        {
            return _target ?? "the configured store";
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

            _worker = new Thread(Work) { IsBackground = true, Name = WorkerName };
            _worker.Start();
        }
    }

    private void Work()
    {
        var cancellationToken = _abandon.Token;
        IRunRecording? target = null;
        try
        {
            target = _connect();
            lock (_gate)
            {
                _target = target.Description;
            }

            ScriptRun? start;
            lock (_gate)
            {
                // The start is recorded even when the work is already over: it carries the runner, and a writer that
                // makes two writes lets SQLite restart its write-ahead log (one write per process never does).
                start = _start;
            }

            var startRecorded = false;
            if (start is not null)
            {
                startRecorded = TryRecordStart(target, start, cancellationToken);
                _completionPosted.Wait(cancellationToken);
            }

            ScriptRun run;
            lock (_gate)
            {
                run = _completion!;
            }

            var stored = TryStore(target, run, startRecorded, cancellationToken);
            lock (_gate)
            {
                _stored = stored;
            }

            _completionDone.Set();
            if (stored)
            {
                CloseGoneRuns(target, cancellationToken);
                DeliverSpool(target, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            lock (_gate)
            {
                _problem ??= Problem(e);
            }
        }
        finally
        {
            _completionDone.Set();
            _deliveryDone.Set();
            target?.Dispose();
        }
    }

    /// <summary>Records the start; never throws for a store problem (the end records the whole run then).</summary>
    private bool TryRecordStart(IRunRecording target, ScriptRun run, CancellationToken cancellationToken)
    {
        try
        {
            target.RecordStartAsync(run, RunnerProcess.Current(), cancellationToken).GetAwaiter().GetResult();
            return true;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            var problem = e is ArgumentException ? OneLine(e.Message) : Problem(e);
            lock (_gate)
            {
                _problem = problem;
            }

            LogStartNotRecorded(_logger, run.ScriptName, problem);
            return false;
        }
    }

    /// <summary>
    /// Stores the run: true when the store took it, or refused it for good (spooling would not help; the store works,
    /// so what waits in the spool is still delivered).
    /// </summary>
    private bool TryStore(IRunRecording target, ScriptRun run, bool startRecorded, CancellationToken cancellationToken)
    {
        try
        {
            if (startRecorded)
            {
                target.CompleteRunAsync(run, cancellationToken).GetAwaiter().GetResult();
            }
            else
            {
                target.ImportRunAsync(run, cancellationToken).GetAwaiter().GetResult();
            }

            LogRecorded(_logger, run.Outcome, run.ScriptName, target.Description);
            return true;
        }
        catch (ArgumentException e)
        {
            // The store refused the run itself (a clock far off, say): spooling it would only have it refused again later.
            LogRunRefused(_logger, run.ScriptName, run.RunId, OneLine(e.Message));
            lock (_gate)
            {
                _refused = true;
            }

            return true;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            lock (_gate)
            {
                _problem = Problem(e);
            }

            return false;
        }
    }

    private RecordingOutcome Spool(ScriptRun run, string problem, string target)
    {
        try
        {
            var entry = _spool.Add(run, problem);
            LogSpooled(_logger, run.ScriptName, target, problem, entry);
            return RecordingOutcome.Spooled;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogRunLost(_logger, run.Outcome, run.ScriptName, run.RunId, problem, _spool.Directory, OneLine(e.Message));
            return RecordingOutcome.Lost;
        }
    }

    /// <summary>Best effort, after the run is stored: a failure is logged and leaves the runs to the next recorder.</summary>
    private void CloseGoneRuns(IRunRecording target, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var (gone, reason) in HostRunSweep.CloseGoneRunsAsync(target, _timeProvider.GetUtcNow(), cancellationToken).GetAwaiter().GetResult())
            {
                _logger.LogRunAbandoned(gone.ScriptName, gone.RunId, reason);
            }
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            _logger.LogAbandonedNotChecked(OneLine(e.Message));
        }
    }

    private void DeliverSpool(IRunRecording target, CancellationToken cancellationToken)
    {
        try
        {
            if (_spool.HasWaitingEntries())
            {
                _spool.DeliverAsync(target, cancellationToken).GetAwaiter().GetResult();
            }
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            // A spool that cannot be read must not keep this run from being recorded: it is only not delivered now.
            LogSpoolNotDelivered(_logger, _spool.Directory, OneLine(e.Message));
        }
    }
}

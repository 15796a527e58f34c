using System.CommandLine;
using ScriptMonitor.Cli.Exec;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Input;
using ScriptMonitor.Configuration;
using ScriptMonitor.Runs;
using ScriptMonitor.Application.Configuration;
using ScriptMonitor.Application.CronControl;
using ScriptMonitor.Application.Locking;
using ScriptMonitor.Application.Recording;
using ScriptMonitor.Application.Spooling;
using ScriptMonitor.Health;
using ScriptMonitor.Application.Lifecycle;

namespace ScriptMonitor.Cli.Commands;

/// <summary>
/// <c>scriptmon exec NAME [--lock [--release-lock-on-exit]] [--timeout D [--kill-after D]] [--host H] -- COMMAND [ARGS…]</c>:
/// the cron wrapper. Runs the command as a shell runs a foreground job, records the run without ever making the job
/// wait for the store, and exits with the command's status. A monitoring problem never changes that status: a run
/// the store cannot take is spooled.
/// </summary>
internal static class ExecCommand
{
    internal const string Name = "exec";

    internal const string MissingSeparator = "exec needs '--' before the command to run: scriptmon exec NAME [options] -- COMMAND [ARGS…]";

    private static readonly TimeSpan DefaultGrace = TimeSpan.FromSeconds(10);

    internal static Command Create(CliContext context)
    {
        var name = CommonOptions.ScriptName("The script's name: what the run is recorded under.");
        var useLock = new Option<bool>("--lock")
        {
            Description = "Take NAME's lock for the run; when another run holds it, skip (exit 1). The command inherits the lock, so it stays held while any process of the command runs (as flock(1)). When the lock directory cannot be used, the command is not started (exit 125) and a failed run is recorded.",
        };
        var releaseOnExit = new Option<bool>("--release-lock-on-exit")
        {
            Description = "With --lock: release the lock when the command itself exits, even if processes it started (daemons) still run (as flock -o).",
        };
        var timeout = new Option<string?>("--timeout")
        {
            Description = "Terminate the command's process group (SIGTERM, then SIGKILL after --kill-after) when it runs longer, record a timeout failure and exit 124. E.g. 90s, 15m, 2h.",
            HelpName = "DURATION",
        };
        var grace = new Option<string?>("--kill-after")
        {
            Description = "How long a timed-out command gets between SIGTERM and SIGKILL. Default 10s.",
            HelpName = "DURATION",
        };
        var host = CommonOptions.Host("The host to record the run under. Default: this machine's host name.");
        var command = new Command(Name, "Run a command as a monitored run of NAME: scriptmon exec NAME [options] -- COMMAND [ARGS…]. Exits with the command's own status (128+N when signal N ended it; 124 after --timeout; 125 when scriptmon itself failed; 126 not executable; 127 not found).")
        {
            name, useLock, releaseOnExit, timeout, grace, host,
        };
        command.SetAction(parse => Run(
            context,
            new ExecRequest(
                parse.GetValue(name),
                parse.GetValue(useLock),
                parse.GetValue(releaseOnExit),
                parse.GetValue(timeout),
                parse.GetValue(grace),
                parse.GetValue(host))));
        return command;
    }

    private static int Run(CliContext context, ExecRequest request)
    {
        var name = RunValidation.ScriptName(request.Name, CommonOptions.NameArgument);
        var hostname = RunValidation.Hostname(request.Host, "--host");
        TimeSpan? timeout = request.Timeout is null ? null : DurationText.ParsePositive(request.Timeout, "--timeout");
        var grace = request.Grace is null ? DefaultGrace : DurationText.Parse(request.Grace, "--kill-after");
        if (request.ReleaseLockOnExit && !request.Lock)
        {
            throw new UsageException("--release-lock-on-exit needs --lock: it says when the lock is released.");
        }

        var command = context.CommandAfterSeparator;
        if (command is null || command.Count == 0)
        {
            throw new UsageException(command is null
                ? MissingSeparator
                : "exec needs a command after '--': scriptmon exec NAME [options] -- COMMAND [ARGS…]");
        }

        // Before anything else changes a disposition: the job gets the caller's.
        var caller = CallerSignals.Capture();
        CallerSignals.ResetChildSignal();
        var forwarder = SignalForwarder.Install(caller);
        var environment = new JobEnvironment(context.Descriptors, caller, forwarder);
        var job = new WrappedCommand(name, CommandBytes.Of(command), timeout, grace);
        try
        {
            return Supervise(context, request, job, hostname, environment);
        }
        finally
        {
            GC.KeepAlive(forwarder);
        }
    }

    private static int Supervise(CliContext context, ExecRequest request, WrappedCommand job, string hostname, JobEnvironment environment)
    {
        ScriptSettings settings;
        try
        {
            settings = CliContext.ResolveSettings();
        }
        catch (ConfigurationException e) when (request.Lock)
        {
            // The lock directory is unknown, so the lock cannot be taken: fail closed, as for an unusable lock directory.
            context.Logger.LogLockDirectoryUnknown(job.Name, CliContext.OneLine(e.Message), ExitCodes.OwnFailure);
            return ExitCodes.OwnFailure;
        }
        catch (ConfigurationException e)
        {
            // Monitoring must not stop the job: without a readable configuration it runs unrecorded, and says so.
            context.Logger.LogRunningUnmonitored(job.Name, CliContext.OneLine(e.Message));
            var unrecorded = RunJob(context, job, environment, RunClock.Start(context.Time), recorder: null, scriptLock: null, request);
            Finish(context, job, unrecorded.Started);
            return unrecorded.Outcome.CallerStatus;
        }

        var (enabled, reason) = CronControlFile.Check(settings.CronControlPath, job.Name, context.Logger);
        if (!enabled)
        {
            context.Logger.LogSkippedDisabled(job.Name, reason ?? "disabled");
            return ExitCodes.Ok;
        }

        // The store is opened on the recorder's thread, each of its waits bounded as the recorder's own.
        using var recorder = new RunRecorder(
            () => context.Services.ConnectRecording(RunRecorder.DefaultStoreWaitLimit),
            new RunSpool(settings.SpoolDirectory, context.Time, context.Logger),
            context.Logger,
            context.Time);
        ScriptLock? scriptLock = null;
        string? holder = null;
        if (request.Lock)
        {
            try
            {
                scriptLock = ScriptLock.TryAcquire(settings.LockDirectory, job.Name, context.Time, context.Logger, out holder);
            }
            catch (ScriptLockUnavailableException e)
            {
                // Fail closed, as flock(1) does, but visibly: the job does not start and a failed run says why.
                context.Logger.LogLockUnusable(job.Name, e.Message, ExitCodes.OwnFailure);
                var clock = RunClock.Start(context.Time);
                recorder.Complete(new ScriptRun(
                    ScriptRun.NewId(clock.StartedAt), job.Name, hostname, clock.StartedAt, clock.StartedAt, RunOutcome.Failed, ExitCodes.OwnFailure,
                    $"[scriptmon] not started: lock directory {e.Directory} cannot be used: {e.Reason} (exit status {ExitCodes.OwnFailure})"));
                return ExitCodes.OwnFailure;
            }

            if (scriptLock is null)
            {
                // Not a run, and not a success: a skipped event naming the holder, so a stuck holder is seen.
                recorder.RecordSkip(new ScriptSkip(
                    Guid.NewGuid(), job.Name, hostname, Timestamps.Normalize(context.Time.GetUtcNow()), Bounded(holder ?? "owner unknown", ScriptSkip.MaxHolderLength)));
                return ExitCodes.LockHeld;
            }
        }

        using (scriptLock)
        {
            var clock = RunClock.Start(context.Time);
            var run = new ScriptRun(ScriptRun.NewId(clock.StartedAt), job.Name, hostname, clock.StartedAt, null, RunOutcome.Running, null, null);
            var (outcome, completedAt, tail, started) = RunJob(context, job, environment, clock, recorder, scriptLock, request, run);
            var message = outcome.Describe(job.Timeout, job.Grace);
            var completed = run with
            {
                CompletedAt = completedAt,
                Outcome = outcome.Succeeded ? RunOutcome.Succeeded : RunOutcome.Failed,
                ExitCode = outcome.ExitCode,
                Output = message is null ? null : outcome.Succeeded ? message : WithMessage(tail, message),
            };
            try
            {
                recorder.Complete(completed);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The job has run: whatever fails in recording it is reported, and never replaces the job's status.
                context.Logger.LogRunLost(job.Name, completed.RunId, CliContext.OneLine(e.Message));
            }

            Finish(context, job, started);
            return outcome.CallerStatus;
        }
    }

    /// <summary>Hands late output to a relay and collects the command, once its run is recorded.</summary>
    private static void Finish(CliContext context, WrappedCommand job, JobRun? started)
    {
        try
        {
            if (started?.Finish() is { } problem)
            {
                context.Logger.LogOutputRelayFailed(job.Name, problem);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            context.Logger.LogOutputRelayFailed(job.Name, CliContext.OneLine(e.Message));
        }
    }

    /// <summary>
    /// Starts the command, records its start in the background, waits for it, and lets its output drain. The lock,
    /// when held, is released (by scriptmon) as soon as the command exits: the command holds its own copy.
    /// </summary>
    private static JobResult RunJob(
        CliContext context, WrappedCommand job, JobEnvironment environment, RunClock clock, RunRecorder? recorder, ScriptLock? scriptLock, ExecRequest request, ScriptRun? run = null)
    {
        JobRun started;
        try
        {
            started = JobRun.Start(job.Command, environment, clock, request.ReleaseLockOnExit ? null : scriptLock?.Descriptor);
        }
        catch (Exception e) when (e is SpawnException or IOException)
        {
            var status = NotStartedStatus(e);
            context.Logger.LogCommandNotStarted(job.Name, CliContext.OneLine(e.Message), status);
            environment.Forwarder.Detach();
            return new JobResult(JobOutcome.NotStarted(status, CliContext.OneLine(e.Message)), clock.CompletedAt(clock.Now), string.Empty, null);
        }

        scriptLock?.NoteCommand(started.ProcessId);
        if (run is not null)
        {
            recorder?.BeginStart(run);
        }

        var exit = started.WaitForExit(job.Timeout, job.Grace);
        scriptLock?.Dispose();
        var (tail, warnings) = started.DrainOutput();
        foreach (var warning in warnings)
        {
            context.Logger.LogRunWarning(job.Name, warning);
        }

        var outcome = new JobOutcome(exit.ExitCode, exit.Signal, environment.Forwarder.LastTerminating, started.TimedOut, started.Killed, null, warnings)
        {
            StatusLost = exit.StatusLost,
        };
        return new JobResult(outcome, clock.CompletedAt(exit.Timestamp), tail, started);
    }

    /// <summary>The shell's statuses: 127 not found, 126 found but not executable; 125 when scriptmon could not create a process at all.</summary>
    private static int NotStartedStatus(Exception failure) => failure switch
    {
        SpawnException { ErrorNumber: LibC.NoSuchFile, BeforeExec: false } => ExitCodes.CommandNotFound,
        SpawnException { BeforeExec: true } => ExitCodes.OwnFailure,
        SpawnException { ErrorNumber: LibC.TryAgain or LibC.OutOfMemory or LibC.TooManyOpenFiles or LibC.TooManyOpenFilesInSystem } => ExitCodes.OwnFailure,
        SpawnException => ExitCodes.CommandNotExecutable,
        _ => ExitCodes.OwnFailure,
    };

    private static string Bounded(string text, int length) => text.Length <= length ? text : text[..length];

    /// <summary>The output's tail with scriptmon's verdict last, where the store's bound keeps it.</summary>
    private static string WithMessage(string output, string message)
    {
        var separator = output.Length == 0 || output.EndsWith('\n') ? string.Empty : "\n";
        return $"{output}{separator}{message}";
    }

    /// <summary>The options of one <c>exec</c>, as given.</summary>
    private sealed record ExecRequest(string? Name, bool Lock, bool ReleaseLockOnExit, string? Timeout, string? Grace, string? Host);

    /// <summary>How a started (or not started) command ended, and the job to finish.</summary>
    private sealed record JobResult(JobOutcome Outcome, DateTimeOffset CompletedAt, string Tail, JobRun? Started);

    /// <summary>The command to run and its limits.</summary>
    private sealed record WrappedCommand(string Name, IReadOnlyList<byte[]> Command, TimeSpan? Timeout, TimeSpan Grace);
}

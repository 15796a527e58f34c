using System.CommandLine;
using ScriptMonitor.Cli.Exec;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Input;
using ScriptMonitor.Configuration;
using ScriptMonitor.Runs;
using ScriptMonitor.Scripts.Configuration;
using ScriptMonitor.Scripts.CronControl;
using ScriptMonitor.Scripts.Locking;
using ScriptMonitor.Scripts.Spooling;

namespace ScriptMonitor.Cli.Commands;

/// <summary>
/// <c>scriptmon exec NAME [--lock] [--timeout D] [--host H] -- COMMAND [ARGS…]</c>: the cron wrapper. Records the
/// start, runs the command with its output passed through untouched, records how it ended, and exits with its
/// status. A monitoring problem never changes that status: a run the store cannot take is spooled.
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
            Description = "Skip the run, record nothing and exit 1 when another run of NAME holds its lock (as the base class does).",
        };
        var timeout = new Option<string?>("--timeout")
        {
            Description = "Terminate the command (SIGTERM, then SIGKILL after --kill-after) when it runs longer, and record a timeout failure. E.g. 90s, 15m, 2h.",
            HelpName = "DURATION",
        };
        var grace = new Option<string?>("--kill-after")
        {
            Description = "How long a timed-out command gets between SIGTERM and SIGKILL. Default 10s.",
            HelpName = "DURATION",
        };
        var host = CommonOptions.Host("The host to record the run under. Default: this machine's host name.");
        var command = new Command(Name, "Run a command as a monitored run of NAME: scriptmon exec NAME [options] -- COMMAND [ARGS…]. Exits with the command's own status (128+N when signal N ended it).")
        {
            name, useLock, timeout, grace, host,
        };
        command.SetAction(parse => Run(
            context,
            parse.GetValue(name),
            parse.GetValue(useLock),
            parse.GetValue(timeout),
            parse.GetValue(grace),
            parse.GetValue(host)));
        return command;
    }

    private static int Run(CliContext context, string? nameText, bool useLock, string? timeoutText, string? graceText, string? hostText)
    {
        var name = CommonOptions.ValidName(nameText);
        var hostname = CommonOptions.ValidHost(hostText) ?? RunValidation.ThisHost;
        TimeSpan? timeout = timeoutText is null ? null : DurationParser.ParsePositive(timeoutText, "--timeout");
        var grace = graceText is null ? DefaultGrace : DurationParser.Parse(graceText, "--kill-after");
        var command = context.CommandAfterSeparator;
        if (command is null || command.Count == 0)
        {
            throw new UsageException(command is null
                ? MissingSeparator
                : "exec needs a command after '--': scriptmon exec NAME [options] -- COMMAND [ARGS…]");
        }

        ScriptSettings settings;
        try
        {
            settings = CliContext.ResolveSettings();
        }
        catch (ConfigurationException e)
        {
            // Monitoring must not stop the job: without a readable configuration it runs unrecorded, and says so.
            context.Logger.LogRunningUnmonitored(name, CliContext.OneLine(e.Message));
            return ChildProcess.Run(command, timeout, grace, new OutputTail(ScriptRun.MaxOutputLength), static () => { }).ExitCode;
        }

        var (enabled, reason) = CronControlFile.Check(settings.CronControlPath, name, context.Logger);
        if (!enabled)
        {
            context.Logger.LogSkippedDisabled(name, reason ?? "disabled");
            return ExitCodes.Ok;
        }

        using var scriptLock = useLock ? ScriptLock.TryAcquire(settings.LockDirectory, name, context.Time, context.Logger) : null;
        if (useLock && scriptLock is null)
        {
            return ExitCodes.LockHeld;
        }

        using var recorder = new RunRecorder(context, new RunSpool(settings.SpoolDirectory, context.Time, context.Logger));
        var started = recorder.NewRun(name, hostname);
        var tail = new OutputTail(ScriptRun.MaxOutputLength);
        var outcome = ChildProcess.Run(command, timeout, grace, tail, () => recorder.RecordStart(started));
        var completedAt = context.Time.GetUtcNow();
        var failure = outcome.Describe(timeout, grace);
        var run = started with
        {
            CompletedAt = completedAt < started.StartedAt ? started.StartedAt : completedAt,
            Outcome = outcome.Succeeded ? RunOutcome.Succeeded : RunOutcome.Failed,
            ExitCode = outcome.ExitCode,
            Output = failure is null ? null : WithMessage(tail.Text(), failure),
        };
        recorder.Complete(run);
        return outcome.ExitCode;
    }

    /// <summary>The output's tail with scriptmon's verdict last, where the store's bound keeps it.</summary>
    private static string WithMessage(string output, string message)
    {
        var separator = output.Length == 0 || output.EndsWith('\n') ? string.Empty : "\n";
        return $"{output}{separator}[scriptmon] {message}";
    }
}

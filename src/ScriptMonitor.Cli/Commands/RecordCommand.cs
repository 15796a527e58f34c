using System.CommandLine;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Input;
using ScriptMonitor.Cli.Output;
using ScriptMonitor.Runs;
using ScriptMonitor.Application.Lifecycle;

namespace ScriptMonitor.Cli.Commands;

/// <summary><c>scriptmon record NAME --started T --completed T [--host H] [--failed [--exit-code N]]</c>: a run after the fact.</summary>
internal static class RecordCommand
{
    /// <summary>An exit status is one byte on POSIX (128+N for signal N included).</summary>
    private const int MaxExitStatus = 255;

    internal static Command Create(CliContext context)
    {
        var name = CommonOptions.ScriptName("The script's name.");
        var started = CommonOptions.Time("--started", "When the run started.");
        started.Required = true;
        var completed = CommonOptions.Time("--completed", "When the run completed; not before --started.");
        completed.Required = true;
        var host = CommonOptions.Host("The host it ran on. Default: this machine's host name.");
        var failed = new Option<bool>("--failed") { Description = "Record a failed run instead of a successful one." };
        var exitCode = new Option<int?>("--exit-code")
        {
            Description = "The failed run's exit status, 0 to 255 (with --failed).",
            HelpName = "N",
            CustomParser = result => CommonOptions.WholeNumber(result, "--exit-code", 0, MaxExitStatus),
        };
        var message = new Option<string?>("--message") { Description = "What went wrong (with --failed); the last 10 KB are kept.", HelpName = "TEXT" };
        var json = CommonOptions.Json();
        var command = new Command("record", "Record a run that already happened.")
        {
            name, started, completed, host, failed, exitCode, message, json,
        };
        command.SetAction(parse => Run(
            context,
            new Request(
                parse.GetValue(name),
                parse.GetValue(started)!,
                parse.GetValue(completed)!,
                parse.GetValue(host),
                parse.GetValue(failed),
                parse.GetValue(exitCode),
                parse.GetValue(message)),
            parse.GetValue(json)));
        return command;
    }

    private static int Run(CliContext context, Request request, bool json)
    {
        var now = context.Time.GetUtcNow();
        var name = CommonOptions.ValidName(request.Name);
        var host = CommonOptions.ValidHost(request.Host);
        var started = CommonOptions.ParseRunTime(request.Started, "--started", now);
        var completed = CommonOptions.ParseRunTime(request.Completed, "--completed", now);
        if (completed < started)
        {
            throw new UsageException($"--completed ({Timestamps.FormatIso(completed)}) must not be before --started ({Timestamps.FormatIso(started)}).");
        }

        if (!request.Failed && (request.ExitCode is not null || request.Message is not null))
        {
            throw new UsageException("--exit-code and --message describe a failure: give them with --failed.");
        }

        using var store = context.OpenStore();
        ScriptRun run;
        try
        {
            run = request.Failed
                ? CliContext.Call(store, s => s.RecordFailureAsync(name, started, completed, request.ExitCode, request.Message, host))
                : RecordSuccess(store, name, started, completed, host);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(RenameFields(CommonOptions.StripParameterSuffix(e.Message)), e);
        }

        if (json)
        {
            return Json.Write(context, RunJson.From(run), CliJsonContext.Default.RunJson);
        }

        RunView.WriteDetails(context.Terminal, run);
        return ExitCodes.Ok;
    }

    private static ScriptRun RecordSuccess(IScriptRunStore store, string name, DateTimeOffset started, DateTimeOffset completed, string? host)
    {
        var activity = CliContext.Call(store, s => s.RecordSuccessAsync(name, started, completed, host));
        // The spec's record carries no run id; read back the run just stored to show it whole.
        var runs = CliContext.Call(store, s => s.ListRunsAsync(new RunQuery(name) { Hostname = activity.Hostname, Since = activity.DateStarted, Until = activity.DateStarted.AddTicks(10), Outcome = RunOutcome.Succeeded, Limit = 1 }));
        return runs.Count > 0
            ? runs[0]
            : new ScriptRun(Guid.Empty, activity.Name, activity.Hostname, activity.DateStarted, activity.DateCompleted, RunOutcome.Succeeded, null, null);
    }

    /// <summary>The store names its parameters; the user typed options.</summary>
    private static string RenameFields(string message) => message
        .Replace("dateStarted", "--started", StringComparison.Ordinal)
        .Replace("startedAt", "--started", StringComparison.Ordinal)
        .Replace("dateCompleted", "--completed", StringComparison.Ordinal)
        .Replace("completedAt", "--completed", StringComparison.Ordinal)
        .Replace("hostname", "--host", StringComparison.Ordinal);

    private sealed record Request(string? Name, string Started, string Completed, string? Host, bool Failed, int? ExitCode, string? Message);
}

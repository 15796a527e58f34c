using System.CommandLine;
using ScriptMonitor.Application.History;
using ScriptMonitor.Application.Lifecycle;
using ScriptMonitor.Application.Text;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Input;
using ScriptMonitor.Cli.Output;

namespace ScriptMonitor.Cli.Commands;

/// <summary><c>scriptmon record NAME --started T --completed T [--host H] [--failed [--exit-code N]]</c>: a run after the fact.</summary>
internal static class RecordCommand
{
    /// <summary>An exit status is one byte on POSIX (128+N for signal N included).</summary>
    private const int MaxExitStatus = 255;

    /// <summary>The library's fields, as this command's user typed them.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>
    {
        ["request.Script"] = CommonOptions.NameArgument,
        ["request.Host"] = "--host",
        ["request.StartedAt"] = "--started",
        ["request.CompletedAt"] = "--completed",
        ["request.ExitCode"] = "--exit-code",
        ["request.Message"] = "--message",
        ["name"] = CommonOptions.NameArgument,
        ["hostname"] = "--host",
        ["startedAt"] = "--started",
        ["dateStarted"] = "--started",
        ["completedAt"] = "--completed",
        ["dateCompleted"] = "--completed",
        ["exitCode"] = "--exit-code",
        ["message"] = "--message",
    };

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
        command.SetAction(parse =>
        {
            var now = context.Time.GetUtcNow();
            if (!parse.GetValue(failed) && (parse.GetValue(exitCode) is not null || parse.GetValue(message) is not null))
            {
                throw new UsageException("--exit-code and --message describe a failure: give them with --failed.");
            }

            var request = new RecordRequest(
                parse.GetValue(name)!,
                TimeText.Parse(parse.GetValue(started)!, "--started", now),
                TimeText.Parse(parse.GetValue(completed)!, "--completed", now),
                parse.GetValue(host),
                parse.GetValue(failed),
                parse.GetValue(exitCode),
                parse.GetValue(message));
            return Run(context, request, parse.GetValue(json));
        });
        return command;
    }

    private static int Run(CliContext context, RecordRequest request, bool json)
    {
        var run = CliContext.Await(context.Services.History.RecordAsync(request));
        if (json)
        {
            return Json.Write(context, run, ViewJsonContext.Default.RunView);
        }

        RunText.WriteDetails(context.Terminal, run);
        return ExitCodes.Ok;
    }
}

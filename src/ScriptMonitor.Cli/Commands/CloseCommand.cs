using System.CommandLine;
using ScriptMonitor.Application.Lifecycle;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Input;

namespace ScriptMonitor.Cli.Commands;

/// <summary>
/// <c>scriptmon close RUN_ID [--reason TEXT]</c>: an operator ends a run that is left running and will never complete,
/// as abandoned. A completion that arrives later still replaces it; a run that already ended is left as it is.
/// </summary>
internal static class CloseCommand
{
    internal static Command Create(CliContext context)
    {
        var runId = new Argument<string>("RUN_ID") { Description = "The run's id, as 'scriptmon runs NAME' shows it." };
        var reason = new Option<string?>("--reason") { Description = "Why it is closed; kept with the run.", HelpName = "TEXT" };
        var json = CommonOptions.Json();
        var command = new Command("close", "Close a run left running (its process is gone) as abandoned; exit 1 when it is not running.") { runId, reason, json };
        command.SetAction(parse => Run(context, parse.GetValue(runId)!, parse.GetValue(reason), parse.GetValue(json)));
        return command;
    }

    private static int Run(CliContext context, string runIdText, string? reasonText, bool json)
    {
        if (!Guid.TryParse(runIdText, out var runId))
        {
            throw new UsageException($"RUN_ID must be a run id as 'scriptmon runs NAME' shows it, such as 0f8fad5b-d9cb-469f-a165-70867728950e (got '{runIdText}').");
        }

        if (reasonText is not null && string.IsNullOrWhiteSpace(reasonText))
        {
            throw new UsageException("--reason must not be empty.");
        }

        var reason = $"closed by {Environment.UserName} with 'scriptmon close'" + (reasonText is null ? string.Empty : $": {reasonText.Trim()}");
        var closed = CliContext.Await(context.Services.History.CloseAsync(runId, reason));
        return Json.WriteChange(
            context,
            closed,
            ViewJsonContext.Default.RunClosedView,
            json,
            closed.Closed,
            $"Closed the run {runId} of {closed.Script} on {closed.Host} (started {closed.StartedAt}) as abandoned.",
            $"scriptmon: {closed.Problem}.");
    }
}

using System.CommandLine;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Input;
using ScriptMonitor.Cli.Output;
using ScriptMonitor.Runs;
using ScriptMonitor.Application.Lifecycle;

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

        var now = context.Time.GetUtcNow();
        var location = context.ResolveLocation();
        using var store = context.OpenExistingStore(location);
        var running = store is null ? null : CliContext.Call(store, s => s.ListRunningAsync()).FirstOrDefault(r => r.RunId == runId);
        var reason = $"closed by {Environment.UserName} with 'scriptmon close'" + (reasonText is null ? string.Empty : $": {reasonText.Trim()}");
        var closed = false;
        string? problem = $"no run has the id {runId} in {location}";
        if (store is not null)
        {
            try
            {
                // The store marks only a run still running: one that ended (or ends meanwhile) answers false.
                var at = running is not null && now < running.StartedAt ? running.StartedAt : now;
                closed = CliContext.Call(store, s => Unwrapped(() => s.AbandonRunAsync(runId, at, reason)));
                problem = closed ? null : $"the run {runId} is not running: it has already ended, so nothing changed";
            }
            catch (UnknownRunException)
            {
            }
        }

        if (json)
        {
            return Json.Write(context, new RunClosedJson(runId, running?.ScriptName, closed, problem), CliJsonContext.Default.RunClosedJson, closed ? ExitCodes.Ok : ExitCodes.NotFound);
        }

        if (!closed)
        {
            context.Terminal.Error.WriteLine($"scriptmon: {problem}.");
            return ExitCodes.NotFound;
        }

        context.Terminal.Out.WriteLine($"Closed the run {runId} of {running!.ScriptName} on {running.Hostname} (started {Timestamps.FormatIso(running.StartedAt)}) as abandoned.");
        return ExitCodes.Ok;
    }

    /// <summary>Tells "no such run" apart from a store that cannot be used, which <see cref="CliContext.Call{T}"/> reports.</summary>
    private static async Task<bool> Unwrapped(Func<Task<bool>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (KeyNotFoundException e)
        {
            throw new UnknownRunException(e.Message, e);
        }
    }

    /// <summary>The run id names no run; an <see cref="ArgumentException"/>, so that it is never taken for a store failure.</summary>
    private sealed class UnknownRunException(string message, Exception inner) : ArgumentException(message, inner);
}

using System.CommandLine;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Output;
using ScriptMonitor.Runs;
using ScriptMonitor.Application.Lifecycle;

namespace ScriptMonitor.Cli.Commands;

/// <summary><c>scriptmon last NAME [--host H]</c>: the last successful run; exit 1 when there is none.</summary>
internal static class LastCommand
{
    internal static Command Create(CliContext context)
    {
        var name = CommonOptions.ScriptName("The script's name.");
        var host = CommonOptions.Host("Only runs on this host. Default: any host.");
        var json = CommonOptions.Json();
        var command = new Command("last", "Show the last successful run of a script (exit 1 when it never succeeded).") { name, host, json };
        command.SetAction(parse => Run(context, parse.GetValue(name), parse.GetValue(host), parse.GetValue(json)));
        return command;
    }

    private static int Run(CliContext context, string? nameText, string? hostText, bool json)
    {
        var name = CommonOptions.ValidName(nameText);
        var host = CommonOptions.ValidHost(hostText);
        var location = context.ResolveLocation();
        using var store = context.OpenStoreForReading(location);
        RunView.RequireKnownScript(store, name, location.ToString());
        var runs = CliContext.Call(store!, s => s.ListRunsAsync(new RunQuery(name) { Hostname = host, Outcome = RunOutcome.Succeeded, Limit = 1 }));
        if (runs.Count == 0)
        {
            context.Terminal.Error.WriteLine(host is null
                ? $"scriptmon: {name} has never succeeded."
                : $"scriptmon: {name} has never succeeded on {host}.");
            return ExitCodes.NotFound;
        }

        if (json)
        {
            return Json.Write(context, RunJson.From(runs[0]), CliJsonContext.Default.RunJson);
        }

        RunView.WriteDetails(context.Terminal, runs[0]);
        return ExitCodes.Ok;
    }
}

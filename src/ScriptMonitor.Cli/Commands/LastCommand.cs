using System.CommandLine;
using ScriptMonitor.Application.History;
using ScriptMonitor.Application.Lifecycle;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Output;

namespace ScriptMonitor.Cli.Commands;

/// <summary><c>scriptmon last NAME [--host H]</c>: the last successful run; exit 1 when there is none.</summary>
internal static class LastCommand
{
    /// <summary>The library's fields, as this command's user typed them.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>
    {
        [StoreRunHistory.ScriptPath] = CommonOptions.NameArgument,
        [StoreRunHistory.HostPath] = "--host",
    };

    internal static Command Create(CliContext context)
    {
        var name = CommonOptions.ScriptName("The script's name.");
        var host = CommonOptions.Host("Only runs on this host. Default: any host.");
        var json = CommonOptions.Json();
        var command = new Command("last", "Show the last successful run of a script (exit 1 when it never succeeded).") { name, host, json };
        command.SetAction(parse => Run(context, parse.GetValue(name)!, parse.GetValue(host), parse.GetValue(json)));
        return command;
    }

    private static int Run(CliContext context, string name, string? host, bool json)
    {
        var run = CliContext.Await(context.Services.History.LastSuccessAsync(name, host));
        if (run is null)
        {
            context.Terminal.Error.WriteLine(host is null
                ? $"scriptmon: {name} has never succeeded."
                : $"scriptmon: {name} has never succeeded on {host}.");
            return ExitCodes.NotFound;
        }

        if (json)
        {
            return Json.Write(context, run, ViewJsonContext.Default.RunView);
        }

        RunText.WriteDetails(context.Terminal, run);
        return ExitCodes.Ok;
    }
}

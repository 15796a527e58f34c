using System.CommandLine;
using ScriptMonitor.Application.History;
using ScriptMonitor.Application.Lifecycle;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Output;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Cli.Commands;

/// <summary><c>scriptmon runs NAME [--host H] [--since T] [--until T] [--limit N]</c>: history, newest first.</summary>
internal static class RunsCommand
{
    private const int DefaultLimit = 20;

    /// <summary>The library's fields, as this command's user typed them.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>
    {
        ["request.Script"] = CommonOptions.NameArgument,
        ["request.Host"] = "--host",
        ["request.Since"] = "--since",
        ["request.Until"] = "--until",
        ["request.Limit"] = "--limit",
    };

    internal static Command Create(CliContext context)
    {
        var name = CommonOptions.ScriptName("The script's name.");
        var host = CommonOptions.Host("Only runs on this host. Default: any host.");
        var since = CommonOptions.Time("--since", "Only runs that started at or after this time.");
        var until = CommonOptions.Time("--until", "Only runs that started before this time.");
        var limit = new Option<int>("--limit")
        {
            Description = $"Show at most this many runs (1 to {RunQuery.MaxLimit}). Default {DefaultLimit}.",
            HelpName = "N",
            DefaultValueFactory = _ => DefaultLimit,
            CustomParser = result => CommonOptions.WholeNumber(result, "--limit", 1, RunQuery.MaxLimit) ?? DefaultLimit,
        };
        var json = CommonOptions.Json();
        var command = new Command("runs", "List a script's runs, newest first: successes, failures, abandoned runs and runs in progress.") { name, host, since, until, limit, json };
        command.SetAction(parse =>
        {
            var now = context.Time.GetUtcNow();
            return Run(
                context,
                new RunListRequest(
                    parse.GetValue(name)!,
                    parse.GetValue(host),
                    CommonOptions.ParseTime(parse.GetValue(since), "--since", now),
                    CommonOptions.ParseTime(parse.GetValue(until), "--until", now),
                    parse.GetValue(limit)),
                parse.GetValue(json));
        });
        return command;
    }

    private static int Run(CliContext context, RunListRequest request, bool json)
    {
        var runs = CliContext.Await(context.Services.History.ListAsync(request));
        if (json)
        {
            return Json.Write(context, runs, ViewJsonContext.Default.RunsView);
        }

        if (runs.Runs.Count == 0)
        {
            context.Terminal.Out.WriteLine($"No runs of {runs.Script} match.");
            return ExitCodes.Ok;
        }

        RunText.WriteTable(context.Terminal, runs.Runs);
        return ExitCodes.Ok;
    }
}

using System.CommandLine;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Input;
using ScriptMonitor.Cli.Output;
using ScriptMonitor.Runs;
using ScriptMonitor.Application.Lifecycle;

namespace ScriptMonitor.Cli.Commands;

/// <summary><c>scriptmon runs NAME [--host H] [--since T] [--until T] [--limit N]</c>: history, newest first.</summary>
internal static class RunsCommand
{
    private const int DefaultLimit = 20;

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
        command.SetAction(parse => Run(
            context,
            parse.GetValue(name),
            parse.GetValue(host),
            parse.GetValue(since),
            parse.GetValue(until),
            parse.GetValue(limit),
            parse.GetValue(json)));
        return command;
    }

    private static int Run(CliContext context, string? nameText, string? hostText, string? sinceText, string? untilText, int limit, bool json)
    {
        var now = context.Time.GetUtcNow();
        var name = CommonOptions.ValidName(nameText);
        var host = CommonOptions.ValidHost(hostText);
        var since = CommonOptions.ParseTime(sinceText, "--since", now);
        var until = CommonOptions.ParseTime(untilText, "--until", now);
        if (since is { } from && until is { } to && to < from)
        {
            throw new UsageException($"--until ({Timestamps.FormatIso(to)}) must not be before --since ({Timestamps.FormatIso(from)}).");
        }

        var location = context.ResolveLocation();
        using var store = context.OpenStoreForReading(location);
        RunView.RequireKnownScript(store, name, location.ToString());
        var runs = CliContext.Call(store!, s => s.ListRunsAsync(new RunQuery(name) { Hostname = host, Since = since, Until = until, Limit = limit }));
        if (json)
        {
            return Json.Write(context, new RunsJson(name, runs.Select(RunJson.From).ToList()), CliJsonContext.Default.RunsJson);
        }

        if (runs.Count == 0)
        {
            context.Terminal.Out.WriteLine($"No runs of {name} match.");
            return ExitCodes.Ok;
        }

        RunView.WriteTable(context.Terminal, runs);
        return ExitCodes.Ok;
    }
}

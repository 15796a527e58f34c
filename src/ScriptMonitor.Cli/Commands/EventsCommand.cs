using System.CommandLine;
using ScriptMonitor.Application.History;
using ScriptMonitor.Application.Lifecycle;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Output;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Cli.Commands;

/// <summary><c>scriptmon events NAME [--limit N] [--offset N]</c>: what a script reported that is not a run, newest first.</summary>
internal static class EventsCommand
{
    private const int DefaultLimit = 20;

    /// <summary>The library's fields, as this command's user typed them.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>
    {
        [StoreRunHistory.ScriptPath] = CommonOptions.NameArgument,
        ["limit"] = "--limit",
        ["offset"] = "--offset",
    };

    internal static Command Create(CliContext context)
    {
        var name = CommonOptions.ScriptName("The script's name.");
        var limit = new Option<int>("--limit")
        {
            Description = $"Show at most this many events (1 to {RunQuery.MaxLimit}). Default {DefaultLimit}.",
            HelpName = "N",
            DefaultValueFactory = _ => DefaultLimit,
            CustomParser = result => CommonOptions.WholeNumber(result, "--limit", 1, RunQuery.MaxLimit) ?? DefaultLimit,
        };
        var offset = new Option<int>("--offset")
        {
            Description = "Skip this many newer events (the next page: the previous page's nextOffset). Default 0.",
            HelpName = "N",
            DefaultValueFactory = _ => 0,
            CustomParser = result => CommonOptions.WholeNumber(result, "--offset", 0, int.MaxValue) ?? 0,
        };
        var json = CommonOptions.Json();
        var command = new Command("events", "List a script's events that are not runs (Healthchecks /log pings), newest first.") { name, limit, offset, json };
        command.SetAction(parse => Run(context, parse.GetValue(name)!, parse.GetValue(limit), parse.GetValue(offset), parse.GetValue(json)));
        return command;
    }

    private static int Run(CliContext context, string name, int limit, int offset, bool json)
    {
        var events = CliContext.Await(context.Services.History.EventsAsync(name, limit, offset));
        if (json)
        {
            return Json.Write(context, events, ViewJsonContext.Default.EventsView);
        }

        if (events.Events.Count == 0)
        {
            context.Terminal.Out.WriteLine($"No events of {events.Script}.");
            return ExitCodes.Ok;
        }

        var table = new Table("AT", "KIND", "SOURCE", "BODY");
        foreach (var scriptEvent in events.Events)
        {
            table.Add(
                (scriptEvent.At, Tint.None),
                (scriptEvent.Kind, Tint.None),
                (scriptEvent.Source ?? "-", Tint.None),
                (LastLine(scriptEvent.Body), Tint.None));
        }

        table.Write(context.Terminal);
        if (events.NextOffset is { } next)
        {
            context.Terminal.Out.WriteLine(context.Terminal.Paint($"(older events: --offset {next})", Tint.Dim));
        }

        return ExitCodes.Ok;
    }

    /// <summary>A body in one table cell: its last line (the tail is what the script said last), shortened.</summary>
    private static string LastLine(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "-";
        }

        var line = body.TrimEnd('\n', '\r').Split('\n')[^1].TrimEnd('\r');
        return line.Length > 80 ? line[..77] + "..." : line;
    }
}

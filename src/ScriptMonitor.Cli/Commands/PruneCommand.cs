using System.CommandLine;
using ScriptMonitor.Application.Lifecycle;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Health;

namespace ScriptMonitor.Cli.Commands;

/// <summary><c>scriptmon prune --older-than D [--keep-last N]</c>: retention that never loses a script's last success.</summary>
internal static class PruneCommand
{
    /// <summary>The library's fields, as this command's user typed them.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>
    {
        ["olderThan"] = "--older-than",
        ["keepLast"] = "--keep-last",
    };

    internal static Command Create(CliContext context)
    {
        var olderThan = new Option<string>("--older-than")
        {
            Description = "Delete completed and abandoned runs that started longer ago than this, e.g. 90d.",
            HelpName = "DURATION",
            Required = true,
        };
        var keepLast = new Option<int>("--keep-last")
        {
            Description = "Always keep each script's newest N runs. Default 0. Each script's last success is always kept.",
            HelpName = "N",
            CustomParser = result => CommonOptions.WholeNumber(result, "--keep-last", 0, int.MaxValue) ?? 0,
        };
        var json = CommonOptions.Json();
        var command = new Command("prune", "Delete old runs, keeping each script's last success and its newest --keep-last runs.") { olderThan, keepLast, json };
        command.SetAction(parse => Run(context, parse.GetValue(olderThan)!, parse.GetValue(keepLast), parse.GetValue(json)));
        return command;
    }

    private static int Run(CliContext context, string olderThanText, int keepLast, bool json)
    {
        var cutoff = context.Time.GetUtcNow() - DurationText.Parse(olderThanText, "--older-than");
        var pruned = CliContext.Await(context.Services.History.PruneAsync(cutoff, keepLast));
        if (json)
        {
            return Json.Write(context, pruned, ViewJsonContext.Default.PruneView);
        }

        context.Terminal.Out.WriteLine($"Deleted {CountText.Of(pruned.Deleted, "run")} that started before {pruned.OlderThan} from {pruned.Store}.");
        return ExitCodes.Ok;
    }
}

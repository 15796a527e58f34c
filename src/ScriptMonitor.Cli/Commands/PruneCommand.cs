using System.CommandLine;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Input;
using ScriptMonitor.Cli.Output;
using ScriptMonitor.Runs;
using ScriptMonitor.Health;
using ScriptMonitor.Application.Lifecycle;

namespace ScriptMonitor.Cli.Commands;

/// <summary><c>scriptmon prune --older-than D [--keep-last N]</c>: retention that never loses a script's last success.</summary>
internal static class PruneCommand
{
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
        var age = DurationText.Parse(olderThanText, "--older-than");
        var cutoff = context.Time.GetUtcNow() - age;
        var location = context.ResolveLocation();
        using var store = context.OpenExistingStore(location);
        if (store is not null)
        {
            // Runs left running that will never complete are closed first, so that they are pruned like any other.
            HealthStore.CloseAbandonedRuns(context, store, context.Time.GetUtcNow());
        }

        var deleted = store is null ? 0 : CliContext.Call(store, s => s.PruneAsync(cutoff, keepLast));
        if (json)
        {
            return Json.Write(context, new PruneJson(location.ToString(), Timestamps.FormatIso(cutoff), keepLast, deleted), CliJsonContext.Default.PruneJson);
        }

        context.Terminal.Out.WriteLine($"Deleted {Health.CountText.Of(deleted, "run")} that started before {Timestamps.FormatIso(cutoff)} from {location}.");
        return ExitCodes.Ok;
    }
}

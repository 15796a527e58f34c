using System.CommandLine;
using System.Globalization;
using ScriptMonitor.Application.Lifecycle;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Output;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Cli.Commands;

/// <summary>
/// What the server's alert loop recorded: <c>scriptmon flips NAME</c> (a script's changes of state) and
/// <c>scriptmon notifications list</c> (what was told, to which channel, and how its delivery went).
/// </summary>
internal static class AlertHistoryCommands
{
    private const int DefaultLimit = 20;

    /// <summary>The library's fields, as these commands' users typed them.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>
    {
        ["script"] = "--script",
        ["channel"] = "--channel",
        ["limit"] = "--limit",
    };

    internal static Command CreateFlips(CliContext context)
    {
        var name = CommonOptions.ScriptName("The script's name.");
        var limit = Limit("flips");
        var json = CommonOptions.Json();
        var command = new Command("flips", "List a script's changes of state, newest first, with their reasons and whether they were told.") { name, limit, json };
        command.SetAction(parse => Flips(context, parse.GetValue(name)!, parse.GetValue(limit), parse.GetValue(json)));
        return command;
    }

    internal static Command CreateNotifications(CliContext context)
    {
        var script = new Option<string?>("--script") { Description = "Only notifications about this script.", HelpName = "NAME" };
        var channel = new Option<string?>("--channel") { Description = "Only notifications to this channel.", HelpName = "NAME" };
        var limit = Limit("notifications");
        var json = CommonOptions.Json();
        var list = new Command("list", "List notifications newest first: their kind, channel, status, attempts and last error.") { script, channel, limit, json };
        list.SetAction(parse => Notifications(context, parse.GetValue(script), parse.GetValue(channel), parse.GetValue(limit), parse.GetValue(json)));
        return new Command("notifications", "What the alert loop told, and how its delivery went.") { list };
    }

    private static Option<int> Limit(string what) => new("--limit")
    {
        Description = $"Show at most this many {what} (1 to {RunQuery.MaxLimit}). Default {DefaultLimit}.",
        HelpName = "N",
        DefaultValueFactory = _ => DefaultLimit,
        CustomParser = result => CommonOptions.WholeNumber(result, "--limit", 1, RunQuery.MaxLimit) ?? DefaultLimit,
    };

    private static int Flips(CliContext context, string name, int limit, bool json)
    {
        var view = CliContext.Await(context.Services.AlertHistory.FlipsAsync(name, limit));
        if (json)
        {
            return Json.Write(context, view, ViewJsonContext.Default.FlipsView);
        }

        if (view.Flips.Count == 0)
        {
            context.Terminal.Out.WriteLine($"No change of state of {name} is recorded (the server's alert loop records them).");
            return ExitCodes.Ok;
        }

        var table = new Table("AT", "FROM", "TO", "TOLD", "REASON");
        foreach (var flip in view.Flips)
        {
            table.Add(
                (flip.At, Tint.None),
                (flip.From ?? "-", Tint.Dim),
                (flip.To, flip.To is "Up" or "Learning" ? Tint.Good : flip.To is "Paused" or "Maintenance" or "NeverRan" ? Tint.None : Tint.Bad),
                (flip.Quiet ? "no" : "yes", Tint.None),
                (flip.Reason, Tint.None));
        }

        table.Write(context.Terminal);
        return ExitCodes.Ok;
    }

    private static int Notifications(CliContext context, string? script, string? channel, int limit, bool json)
    {
        var view = CliContext.Await(context.Services.AlertHistory.NotificationsAsync(script, channel, limit));
        if (json)
        {
            return Json.Write(context, view, ViewJsonContext.Default.NotificationsView);
        }

        if (view.Notifications.Count == 0)
        {
            context.Terminal.Out.WriteLine("No notification is recorded.");
            return ExitCodes.Ok;
        }

        var table = new Table("CREATED", "SCRIPT", "KIND", "CHANNEL", "STATUS", "ATTEMPTS", "LAST ERROR", "EVENT ID");
        foreach (var n in view.Notifications)
        {
            table.Add(
                (n.CreatedAt, Tint.None),
                (n.Script, Tint.None),
                (n.Kind, Tint.None),
                (n.Channel, Tint.None),
                (n.Status, n.Status switch { "Delivered" => Tint.Good, "Failed" => Tint.Bad, _ => Tint.Warn }),
                (n.Attempts.ToString(CultureInfo.InvariantCulture), Tint.None),
                (n.LastError ?? "-", Tint.None),
                (n.EventId.ToString(), Tint.Dim));
        }

        table.Write(context.Terminal);
        return ExitCodes.Ok;
    }
}

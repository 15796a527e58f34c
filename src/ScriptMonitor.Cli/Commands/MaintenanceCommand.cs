using System.CommandLine;
using ScriptMonitor.Alerts;
using ScriptMonitor.Application.Lifecycle;
using ScriptMonitor.Application.Maintenance;
using ScriptMonitor.Application.Text;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Input;
using ScriptMonitor.Cli.Output;
using ScriptMonitor.Health;

namespace ScriptMonitor.Cli.Commands;

/// <summary>
/// <c>scriptmon maintenance add|list|remove</c>: times when a script, or every script with a tag, is not expected to
/// behave. While a window is open its scripts are in maintenance (a window without a duration pauses them) and nothing
/// about them is notified; the rules of a window are the core's <see cref="MaintenanceWindowValidation"/>.
/// </summary>
internal static class MaintenanceCommand
{
    internal const string Name = "maintenance";

    private const string NameArgument = "NAME";

    /// <summary>The library's fields, as this command's user typed them.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>
    {
        ["window.Name"] = NameArgument,
        [StoreMaintenanceWindows.NamePath] = NameArgument,
        ["window.ScriptName"] = "--script",
        ["window.Tag"] = "--tag",
        ["window.Cron"] = "--cron",
        ["window.StartsAt"] = "--start",
        ["window.Every"] = "--every",
        ["window.Duration"] = "--duration",
        ["window.TimeZone"] = "--zone",
    };

    internal static Command Create(CliContext context)
    {
        var name = new Argument<string>(NameArgument) { Description = "The window's name, unique among windows." };
        var script = new Option<string?>("--script") { Description = "The script the window is for (or --tag).", HelpName = "SCRIPT" };
        var tag = new Option<string?>("--tag") { Description = "The tag of the scripts the window is for (or --script).", HelpName = "TAG" };
        var cron = new Option<string?>("--cron") { Description = "Open at each instant cron would run this expression (five fields or an @-name), in --zone.", HelpName = "EXPR" };
        var start = CommonOptions.Time("--start", "When the window first opens (not with --cron); default now.");
        var every = new Option<string?>("--every") { Description = "Open again every DURATION of elapsed time after --start (1m or more). E.g. 1d.", HelpName = "DURATION" };
        var duration = new Option<string?>("--duration") { Description = "How long it stays open each time. Without it the window is a pause from --start until removed.", HelpName = "DURATION" };
        var zone = new Option<string?>("--zone") { Description = "The IANA time zone of --cron and of the times reasons show, e.g. Europe/Berlin. Default UTC.", HelpName = "ZONE" };
        var replace = new Option<bool>("--replace") { Description = "Replace a window of the same name instead of refusing." };
        var addJson = CommonOptions.Json();
        var add = new Command("add", "Add a maintenance window or pause for a script or a tag; exit 2, with nothing saved, when a value breaks a rule or the name is taken.")
        {
            name, script, tag, cron, start, every, duration, zone, replace, addJson,
        };
        add.SetAction(parse =>
        {
            var now = context.Time.GetUtcNow();
            var window = new MaintenanceWindow(parse.GetValue(name)!)
            {
                ScriptName = parse.GetValue(script),
                Tag = parse.GetValue(tag),
                Cron = parse.GetValue(cron),

                // Without --cron a window starts now unless told otherwise: a pause or a window for the next hour.
                StartsAt = parse.GetValue(start) is { } text ? TimeText.Parse(text, "--start", now) : parse.GetValue(cron) is null ? now : null,
                Every = Duration(parse.GetValue(every), "--every"),
                Duration = Duration(parse.GetValue(duration), "--duration"),
                TimeZone = parse.GetValue(zone) ?? CronSchedule.DefaultTimeZone,
            };
            return Add(context, window, parse.GetValue(replace), parse.GetValue(addJson));
        });

        var listJson = CommonOptions.Json();
        var list = new Command("list", "List every maintenance window and pause: what it is for, when it opens, and whether it is open now.") { listJson };
        list.SetAction(parse => List(context, parse.GetValue(listJson)));

        var removeName = new Argument<string>(NameArgument) { Description = "The window's name, as 'scriptmon maintenance list' shows it." };
        var removeJson = CommonOptions.Json();
        var remove = new Command("remove", "Remove a window; its scripts are evaluated as usual again. Exit 1 when there is none of that name.") { removeName, removeJson };
        remove.SetAction(parse => Remove(context, parse.GetValue(removeName)!, parse.GetValue(removeJson)));

        return new Command(Name, "Maintenance windows and pauses of scripts and tags: add, list, remove.") { add, list, remove };
    }

    private static TimeSpan? Duration(string? text, string field) => text is null ? null : DurationText.Parse(text, field);

    private static int Add(CliContext context, MaintenanceWindow window, bool replace, bool json)
    {
        var saved = CliContext.Await(context.Services.Maintenance.SaveAsync(window, replace))
            ?? throw new UsageException($"{NameArgument}: a maintenance window named '{window.Name}' exists already; give --replace to replace it, or choose another name.");
        if (json)
        {
            return Json.Write(context, saved, ViewJsonContext.Default.MaintenanceWindowView);
        }

        var output = context.Terminal.Out;
        output.WriteLine($"{"window:",-10}{context.Terminal.Paint(saved.Name, Tint.Bold)}");
        output.WriteLine($"{"for:",-10}{For(saved)}");
        output.WriteLine($"{"opens:",-10}{Opens(saved)}");
        output.WriteLine($"{"lasts:",-10}{Lasts(saved)}");
        output.WriteLine($"{"now:",-10}{Now(saved)}");
        output.WriteLine($"{"change:",-10}{saved.Change}");
        return ExitCodes.Ok;
    }

    private static int List(CliContext context, bool json)
    {
        var list = CliContext.Await(context.Services.Maintenance.ListAsync());
        if (json)
        {
            return Json.Write(context, list, ViewJsonContext.Default.MaintenanceListView);
        }

        if (list.Windows.Count == 0)
        {
            context.Terminal.Out.WriteLine($"No maintenance windows in {list.Store} (add one with 'scriptmon maintenance add NAME --script S --duration 1h').");
            return ExitCodes.Ok;
        }

        var table = new Table("NAME", "FOR", "OPENS", "LASTS", "NOW");
        foreach (var window in list.Windows)
        {
            table.Add(
                (window.Name, Tint.Bold),
                (For(window), Tint.None),
                (Opens(window), Tint.None),
                (Lasts(window), Tint.None),
                (Now(window), window.Open ? Tint.Warn : Tint.None));
        }

        table.Write(context.Terminal);
        return ExitCodes.Ok;
    }

    private static int Remove(CliContext context, string name, bool json)
    {
        var removed = CliContext.Await(context.Services.Maintenance.RemoveAsync(name));
        return Json.WriteChange(
            context,
            removed,
            ViewJsonContext.Default.MaintenanceRemovedView,
            json,
            removed.Removed,
            $"Removed the maintenance window {removed.Name}.",
            $"scriptmon: there is no maintenance window named '{removed.Name}' (see 'scriptmon maintenance list').");
    }

    private static string For(MaintenanceWindowView window) => window.Script is { } script ? $"script {script}" : $"tag {window.Tag}";

    private static string Opens(MaintenanceWindowView window) => window.Kind switch
    {
        "cron" => $"at '{window.Cron}' ({window.TimeZone})",
        "interval" => $"every {Full(window.EverySeconds!.Value)} from {window.StartsAt}",
        "pause" => $"paused from {window.StartsAt}",
        _ => $"once at {window.StartsAt}",
    };

    private static string Lasts(MaintenanceWindowView window) => window.DurationSeconds is { } seconds ? Full(seconds) : "until removed";

    private static string Now(MaintenanceWindowView window) => (window.Open, window.ClosesAt, window.OpensAt) switch
    {
        (true, { } closes, _) => $"open until {closes}",
        (true, null, _) => "open",
        (false, _, { } opens) => $"closed, opens {opens}",
        _ => "closed for good",
    };

    private static string Full(double seconds) => DurationText.Format(Seconds.ToDuration(seconds));
}

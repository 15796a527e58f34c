using System.CommandLine;
using ScriptMonitor.Application.Checks;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Input;
using ScriptMonitor.Configuration;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Cli.Commands;

/// <summary>
/// <c>scriptmon check [NAME…] [--tag T] [--map STATE=STATUS,…]</c> and the original monitor's
/// <c>scriptmon check --window MINUTES HOST:SCRIPT…</c>: a Nagios/Icinga plugin. The answer comes from the application
/// layer's checks; this command only reads the arguments. As a plugin it answers everything, bad arguments and an
/// unusable store included, with a status line on stdout and exit 0 OK, 1 WARNING, 2 CRITICAL or 3 UNKNOWN.
/// </summary>
internal static class CheckCommand
{
    internal const string Name = "check";

    /// <summary>The library's fields, as this command's user typed them.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>
    {
        ["scripts[]"] = CommonOptions.NameArgument,
        ["tag"] = "--tag",
        ["map"] = "--map",
        [StoreHealthCheck.WindowPath] = "--window MINUTES",
    };

    internal static Command Create(CliContext context)
    {
        var targets = new Argument<string[]>("NAME") { Description = "The scripts to check; all by default. With --window: HOST:SCRIPT pairs.", Arity = ArgumentArity.ZeroOrMore };
        var tag = new Option<string?>("--tag") { Description = "Only scripts whose expectation has this tag.", HelpName = "TAG" };
        var map = new Option<string?>("--map") { Description = "Which state is which status, e.g. late=warning,toorare=critical; states not named keep their default.", HelpName = "STATE=STATUS,…" };
        var window = new Option<string?>("--window") { Description = "The original monitor's check: a success must have completed on HOST in the last MINUTES (UTC) for each HOST:SCRIPT.", HelpName = "MINUTES" };
        var command = new Command(Name, "Check scripts as a Nagios/Icinga plugin: one status line, details, performance data; exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.")
        {
            targets, tag, map, window,
        };
        command.SetAction(parse => Run(context, parse.GetValue(targets) ?? [], parse.GetValue(tag), parse.GetValue(map), parse.GetValue(window)));
        return command;
    }

    /// <summary>Answers a problem the plugin way: a status line on stdout, exit 3.</summary>
    internal static int Unknown(CliContext context, string message) => Write(context, StoreHealthCheck.Unknown(message));

    private static int Run(CliContext context, string[] targets, string? tag, string? map, string? window)
    {
        try
        {
            if (window is not null && (tag is not null || map is not null))
            {
                return Unknown(context, "--window checks HOST:SCRIPT pairs only: it takes neither --tag nor --map.");
            }

            var checks = context.Services.Checks;
            return Write(context, CliContext.Await(window is not null
                ? checks.CheckWindowAsync(new WindowCheckRequest(window, targets))
                : checks.CheckHealthAsync(new HealthCheckRequest(targets, tag, map))));
        }
        catch (ArgumentException e)
        {
            return Unknown(context, CliContext.OneLine(FieldNames.Describe(e, Fields)));
        }
        catch (Exception e) when (e is UsageException or StoreUnavailableException or StoreIncompatibleException or ConfigurationException)
        {
            return Unknown(context, CliContext.OneLine(e.Message));
        }
    }

    private static int Write(CliContext context, CheckView report)
    {
        context.Terminal.Out.Write(report.Text.EndsWith('\n') ? report.Text : report.Text + "\n");
        return report.ExitCode;
    }
}

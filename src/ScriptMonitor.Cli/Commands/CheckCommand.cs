using System.CommandLine;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Input;
using ScriptMonitor.Configuration;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Cli.Commands;

/// <summary>
/// <c>scriptmon check [NAME…] [--tag T] [--map STATE=STATUS,…]</c> and the original monitor's
/// <c>scriptmon check --window MINUTES HOST:SCRIPT…</c>: a Nagios/Icinga plugin. The output and status come from the
/// health library; this command only reads the arguments. As a plugin it answers everything, bad arguments and an
/// unusable store included, with a status line on stdout and exit 0 OK, 1 WARNING, 2 CRITICAL or 3 UNKNOWN.
/// </summary>
internal static class CheckCommand
{
    internal const string Name = "check";

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
    internal static int Unknown(CliContext context, string message) => Write(context, CheckReport.Unknown(message));

    private static int Run(CliContext context, string[] targets, string? tag, string? map, string? window)
    {
        try
        {
            return Write(context, window is not null ? Window(context, window, targets, tag, map) : Health(context, targets, tag, map));
        }
        catch (Exception e) when (e is UsageException or Runs.StoreUnavailableException or ConfigurationException or ArgumentException)
        {
            return Unknown(context, CliContext.OneLine(CommonOptions.StripParameterSuffix(e.Message)));
        }
    }

    private static CheckReport Window(CliContext context, string minutes, string[] pairs, string? tag, string? map)
    {
        if (tag is not null || map is not null)
        {
            return CheckReport.Unknown("--window checks HOST:SCRIPT pairs only: it takes neither --tag nor --map.");
        }

        if (!WindowCheck.TryParse(minutes, pairs, out var span, out var parsed, out var error))
        {
            return CheckReport.Unknown(error!.Replace("MINUTES", "--window MINUTES", StringComparison.Ordinal));
        }

        var now = context.Time.GetUtcNow();
        var location = context.ResolveLocation();
        using var store = context.OpenStoreForReading(location);
        return store is null
            ? WindowCheck.Report(parsed.Select(p => (p, (DateTimeOffset?)null)).ToList(), now, span)
            : CliContext.Call(store, s => WindowCheck.RunAsync(s, parsed, span, now));
    }

    private static CheckReport Health(CliContext context, string[] names, string? tag, string? map)
    {
        CheckPolicy policy;
        try
        {
            policy = CheckPolicy.Parse(map);
        }
        catch (FormatException e)
        {
            return CheckReport.Unknown($"--map: {e.Message}");
        }

        foreach (var name in names)
        {
            CommonOptions.ValidName(name);
        }

        var validTag = tag is null ? null : CommonOptions.ValidHost(tag, "--tag");
        var location = context.ResolveLocation();
        using var store = context.OpenStoreForReading(location);
        if (store is null)
        {
            return CheckReport.Unknown($"no runs recorded yet in {location}");
        }

        IExpectationStore expectations = store;
        var gone = HealthStore.GoneRuns(context, store, context.Time.GetUtcNow());
        var monitor = new HealthMonitor(expectations, context.Time);
        var health = CliContext.Call(store, _ => monitor.EvaluateAsync(names.Length == 0 ? null : names.Distinct(StringComparer.Ordinal).ToList(), validTag, gone));
        var unknown = names.Where(n => !health.Any(h => string.Equals(h.ScriptName, n, StringComparison.Ordinal))).ToList();
        if (unknown.Count > 0 && validTag is null)
        {
            return CheckReport.Unknown($"no script named '{unknown[0]}' has runs or an expectation in {location}");
        }

        return NagiosFormat.Format(health, policy, context.Time.GetUtcNow());
    }

    private static int Write(CliContext context, CheckReport report)
    {
        context.Terminal.Out.Write(report.Text.EndsWith('\n') ? report.Text : report.Text + "\n");
        return report.ExitCode;
    }
}

using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Input;
using ScriptMonitor.Cli.Output;
using ScriptMonitor.Runs;
using ScriptMonitor.Health;

namespace ScriptMonitor.Cli.Commands;

/// <summary>How runs look in text: one run as labelled lines, many as a table. Times are ISO 8601 with offset, as in --json.</summary>
internal static class RunView
{
    /// <summary>Durations in tables and details show their two largest units (<c>2h 10m</c>): the rest is noise there.</summary>
    internal const int ColumnUnits = 2;

    internal static void WriteDetails(Terminal terminal, ScriptRun run)
    {
        var lines = new List<(string Label, string Value, Tint Tint)>
        {
            ("script", run.ScriptName, Tint.Bold),
            ("host", run.Hostname, Tint.None),
            ("started", Timestamps.FormatIso(run.StartedAt), Tint.None),
            ("completed", run.CompletedAt is { } c ? Timestamps.FormatIso(c) : "-", Tint.None),
            ("duration", run.Duration is { } d ? DurationText.Format(d, ColumnUnits) : "-", Tint.None),
            ("outcome", RunJson.OutcomeText(run.Outcome), OutcomeTint(run.Outcome)),
        };
        if (run.ExitCode is { } exitCode)
        {
            lines.Add(("exit code", exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture), Tint.None));
        }

        if (run.RunId != Guid.Empty)
        {
            lines.Add(("run id", run.RunId.ToString(), Tint.Dim));
        }

        foreach (var (label, value, tint) in lines)
        {
            terminal.Out.WriteLine($"{label + ":",-11}{terminal.Paint(value, tint)}");
        }

        if (!string.IsNullOrEmpty(run.Output))
        {
            terminal.Out.WriteLine("output:");
            terminal.Out.WriteLine(run.Output.TrimEnd('\n'));
        }
    }

    internal static void WriteTable(Terminal terminal, IReadOnlyList<ScriptRun> runs)
    {
        var table = new Table("STARTED", "DURATION", "OUTCOME", "EXIT", "HOST", "RUN ID");
        foreach (var run in runs)
        {
            table.Add(
                (Timestamps.FormatIso(run.StartedAt), Tint.None),
                (run.Duration is { } d ? DurationText.Format(d, ColumnUnits) : "-", Tint.None),
                (RunJson.OutcomeText(run.Outcome), OutcomeTint(run.Outcome)),
                (run.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-", Tint.None),
                (run.Hostname, Tint.None),
                (run.RunId.ToString(), Tint.Dim));
        }

        table.Write(terminal);
    }

    internal static Tint OutcomeTint(RunOutcome outcome) => outcome switch
    {
        RunOutcome.Succeeded => Tint.Good,
        RunOutcome.Failed => Tint.Bad,
        _ => Tint.Warn,
    };

    /// <summary>
    /// Refuses a script the store has no run of: a typo in a name must not read as "never ran". Looking never
    /// creates a database, so a store that does not exist yet knows no script.
    /// </summary>
    internal static void RequireKnownScript(IScriptRunStore? store, string name, string storeDescription)
    {
        var known = store is not null
            && CliContext.Call(store, s => s.ListRunsAsync(new RunQuery(name) { Limit = 1 })).Count > 0;
        if (!known)
        {
            throw new UsageException($"NAME: no script named '{name}' has runs in {storeDescription} (see 'scriptmon status' for the scripts it knows).");
        }
    }
}

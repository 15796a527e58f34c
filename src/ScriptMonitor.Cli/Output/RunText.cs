using System.Globalization;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Health;

namespace ScriptMonitor.Cli.Output;

/// <summary>How runs look in text: one run as labelled lines, many as a table. Times are ISO 8601 with offset, as in --json.</summary>
internal static class RunText
{
    /// <summary>Durations in tables and details show their two largest units (<c>2h 10m</c>): the rest is noise there.</summary>
    internal const int ColumnUnits = 2;

    /// <summary>A view's duration in seconds, as tables and details print it.</summary>
    internal static string Duration(double seconds) => DurationText.Format(Seconds.ToDuration(seconds), ColumnUnits);

    /// <summary>A run's duration as text: "unknown" for a completed run whose start is not known, "-" while it runs.</summary>
    internal static string DurationOf(RunView run) => run.DurationSeconds is { } d ? Duration(d) : run.DurationUnknown == true ? "unknown" : "-";

    internal static void WriteDetails(Terminal terminal, RunView run)
    {
        var lines = new List<(string Label, string Value, Tint Tint)>
        {
            ("script", run.Script, Tint.Bold),
            ("host", run.Host, Tint.None),
            ("started", run.StartedAt, Tint.None),
            ("completed", run.CompletedAt ?? "-", Tint.None),
            ("duration", DurationOf(run), Tint.None),
            ("outcome", run.Outcome, OutcomeTint(run.Outcome)),
        };
        if (run.ExitCode is { } exitCode)
        {
            lines.Add(("exit code", exitCode.ToString(CultureInfo.InvariantCulture), Tint.None));
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

    internal static void WriteTable(Terminal terminal, IReadOnlyList<RunView> runs)
    {
        var table = new Table("STARTED", "DURATION", "OUTCOME", "EXIT", "HOST", "RUN ID");
        foreach (var run in runs)
        {
            table.Add(
                (run.StartedAt, Tint.None),
                (DurationOf(run), Tint.None),
                (run.Outcome, OutcomeTint(run.Outcome)),
                (run.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "-", Tint.None),
                (run.Host, Tint.None),
                (run.RunId.ToString(), Tint.Dim));
        }

        table.Write(terminal);
    }

    /// <summary>Success green, failure red, anything else (running, abandoned) yellow.</summary>
    internal static Tint OutcomeTint(string outcome) => outcome switch
    {
        "succeeded" => Tint.Good,
        "failed" => Tint.Bad,
        _ => Tint.Warn,
    };
}

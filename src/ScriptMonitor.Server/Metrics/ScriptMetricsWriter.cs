using System.Globalization;
using System.Text;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Health;

namespace ScriptMonitor.Server.Metrics;

/// <summary>
/// The per-script metrics in Prometheus' text format, computed from the status overview when scraped, so that every
/// instance on one store answers the same. Runtimes are not given per script: histograms per script would be
/// hundreds of thousands of series at 10,000 scripts.
/// </summary>
internal static class ScriptMetricsWriter
{
    private static readonly HealthState[] States = Enum.GetValues<HealthState>();

    private static readonly string[] StateLabels = [.. States.Select(LabelOf)];

    public static void Write(StatusView status, TextWriter output)
    {
        Family(output, "scriptmon_script_state", "gauge", "The script's health state: 1 for the state it is in, 0 for the others.");
        foreach (var script in status.Scripts)
        {
            var current = Enum.TryParse<HealthState>(script.Health, out var state) ? state : (HealthState?)null;
            var name = Escape(script.Name);
            for (var i = 0; i < States.Length; i++)
            {
                output.Write("scriptmon_script_state{script=\"");
                output.Write(name);
                output.Write("\",state=\"");
                output.Write(StateLabels[i]);
                output.Write(States[i] == current ? "\"} 1\n" : "\"} 0\n");
            }
        }

        Family(output, "scriptmon_script_last_success_timestamp_seconds", "gauge", "When the script's last successful run completed, as Unix time.");
        foreach (var script in status.Scripts)
        {
            if (script.LastSuccess is { } success)
            {
                Sample(output, "scriptmon_script_last_success_timestamp_seconds", script.Name, UnixSeconds(success.CompletedAt ?? success.StartedAt));
            }
        }

        // The text format wants each family's samples together, after its header: one pass per family.
        Family(output, "scriptmon_script_last_run_timestamp_seconds", "gauge", "When the script's last completed run (success or failure) started, as Unix time.");
        foreach (var script in status.Scripts)
        {
            if (LastRun(script) is { } run)
            {
                Sample(output, "scriptmon_script_last_run_timestamp_seconds", script.Name, UnixSeconds(run.StartedAt));
            }
        }

        Family(output, "scriptmon_script_last_run_duration_seconds", "gauge", "How long the script's last completed run (success or failure) took.");
        foreach (var script in status.Scripts)
        {
            if (LastRun(script)?.DurationSeconds is { } duration)
            {
                Sample(output, "scriptmon_script_last_run_duration_seconds", script.Name, duration);
            }
        }

        Family(output, "scriptmon_script_runs_last_24h", "gauge", "How many runs of the script started in the last 24 hours.");
        foreach (var script in status.Scripts)
        {
            Sample(output, "scriptmon_script_runs_last_24h", script.Name, script.RunsLast24Hours);
        }
    }

    /// <summary>A state as a label value: <c>RunningTooLong</c> → <c>running_too_long</c>.</summary>
    internal static string LabelOf(HealthState state)
    {
        var name = state.ToString();
        var label = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                label.Append('_');
            }

            label.Append(char.ToLowerInvariant(name[i]));
        }

        return label.ToString();
    }

    /// <summary>A label value as the text format needs it: backslash, double quote and line feed escaped.</summary>
    internal static string Escape(string value) =>
        value.AsSpan().IndexOfAny('\\', '"', '\n') < 0 ? value : value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static RunView? LastRun(ScriptStatusView script) => (script.LastSuccess, script.LastFailure) switch
    {
        ({ } success, { } failure) => string.CompareOrdinal(success.StartedAt, failure.StartedAt) >= 0 ? success : failure,
        ({ } success, null) => success,
        (null, { } failure) => failure,
        _ => null,
    };

    private static double UnixSeconds(string isoInstant) =>
        (DateTimeOffset.Parse(isoInstant, CultureInfo.InvariantCulture).UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond;

    private static void Family(TextWriter output, string name, string type, string help)
    {
        output.Write("# HELP ");
        output.Write(name);
        output.Write(' ');
        output.Write(help);
        output.Write("\n# TYPE ");
        output.Write(name);
        output.Write(' ');
        output.Write(type);
        output.Write('\n');
    }

    private static void Sample(TextWriter output, string metric, string script, double value)
    {
        output.Write(metric);
        output.Write("{script=\"");
        output.Write(Escape(script));
        output.Write("\"} ");
        output.Write(value.ToString("R", CultureInfo.InvariantCulture));
        output.Write('\n');
    }
}

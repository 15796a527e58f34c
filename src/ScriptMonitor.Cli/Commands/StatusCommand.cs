using System.CommandLine;
using System.Globalization;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Output;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;
using ScriptMonitor.Application.Lifecycle;

namespace ScriptMonitor.Cli.Commands;

/// <summary>
/// <c>scriptmon status</c>: every script, one line each. A row is built once (<see cref="StatusRow"/>) and both the
/// table and <c>--json</c> are drawn from it; a new column (the health verdict) is one more field on the row, one more
/// entry in <see cref="Columns"/> and one more field in <see cref="ScriptStatusJson"/>.
/// </summary>
internal static class StatusCommand
{
    /// <summary>"Recent" in the runs column: a day covers every daily job and shows an hourly one 24 times.</summary>
    internal static readonly TimeSpan RecentWindow = TimeSpan.FromHours(24);

    /// <summary>The median runtime looks back this far: long enough for weekly jobs, short enough to follow change.</summary>
    internal static readonly TimeSpan RuntimeWindow = TimeSpan.FromDays(30);

    private static readonly (string Header, Func<StatusRow, (string Text, Tint Tint)> Cell)[] Columns =
    [
        ("SCRIPT", row => (row.Name, Tint.Bold)),
        ("LAST SUCCESS", row => (row.LastSuccess is { } s ? Timestamps.FormatIso(s.StartedAt) : "never", row.LastSuccess is null ? Tint.Bad : Tint.None)),
        ("AGE", row => (row.LastSuccessAge is { } age ? DurationText.Format(age, RunView.ColumnUnits) : "-", Tint.None)),
        ("LAST FAILURE", row => (row.LastFailure is { } f ? Timestamps.FormatIso(f.StartedAt) : "-", row.FailedSinceSuccess ? Tint.Bad : Tint.None)),
        ("RUNS 24H", row => (row.RunsLast24Hours.ToString(CultureInfo.InvariantCulture), Tint.None)),
        ("MEDIAN", row => (row.Median is { } m ? DurationText.Format(m, RunView.ColumnUnits) : "-", Tint.None)),
        ("HEALTH", row => (row.Health?.State.ToString() ?? "-", HealthTint(row.Health?.State))),
        ("REASON", row => (row.Health?.Summary ?? "-", Tint.None)),
    ];

    internal static Command Create(CliContext context)
    {
        var json = CommonOptions.Json();
        var command = new Command("status", "Show every script: last success and its age, last failure, runs in the last 24 h, median runtime (30 days), its health and the first reason.") { json };
        command.SetAction(parse => Run(context, parse.GetValue(json)));
        return command;
    }

    private static int Run(CliContext context, bool json)
    {
        var now = context.Time.GetUtcNow();
        var location = context.ResolveLocation();
        using var store = context.OpenStoreForReading(location);
        var rows = store is null ? [] : BuildRows(context, store, now);
        if (json)
        {
            var scripts = rows.Select(row => new ScriptStatusJson(
                row.Name,
                row.LastSuccess is { } s ? RunJson.From(s) : null,
                row.LastSuccessAge is { } age ? Durations.Seconds(age) : null,
                row.LastFailure is { } f ? RunJson.From(f) : null,
                row.RunsLast24Hours,
                row.Median is { } m ? Durations.Seconds(m) : null,
                row.Health?.State.ToString(),
                row.Health?.Summary)).ToList();
            return Json.Write(context, new StatusJson(location.ToString(), Timestamps.FormatIso(now), scripts), CliJsonContext.Default.StatusJson);
        }

        if (rows.Count == 0)
        {
            context.Terminal.Out.WriteLine($"No runs recorded yet in {location}.");
            return ExitCodes.Ok;
        }

        var table = new Table(Columns.Select(c => c.Header).ToArray());
        foreach (var row in rows)
        {
            table.Add(Columns.Select(c => c.Cell(row)).ToArray());
        }

        table.Write(context.Terminal);
        return ExitCodes.Ok;
    }

    private static List<StatusRow> BuildRows(CliContext context, IScriptRunStore store, DateTimeOffset now)
    {
        var rows = new List<StatusRow>();
        var health = Evaluate(store, now, HealthStore.GoneRuns(context, store, now));
        var overview = CliContext.Call(store, s => s.ReadOverviewAsync(new OverviewQuery(now - RecentWindow, now - RuntimeWindow, now.AddTicks(1))));
        foreach (var script in overview)
        {
            rows.Add(new StatusRow(
                script.Name,
                script.LastSuccess,
                script.LastSuccess is { } success ? now - (success.CompletedAt ?? success.StartedAt) : null,
                script.LastFailure,
                script.RecentRuns,
                script.MedianRuntime,
                health.GetValueOrDefault(script.Name)));
        }

        // A script with an expectation but no run yet is shown too: "never ran" is news.
        foreach (var (name, verdict) in health)
        {
            if (!rows.Any(r => string.Equals(r.Name, name, StringComparison.Ordinal)))
            {
                rows.Add(new StatusRow(name, null, null, null, 0, null, verdict));
            }
        }

        rows.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return rows;
    }

    /// <summary>Every script's health by name.</summary>
    private static Dictionary<string, ScriptHealth> Evaluate(IScriptRunStore store, DateTimeOffset now, IReadOnlyList<ScriptRun> gone)
    {
        var monitor = new HealthMonitor(store, new FixedTime(now));
        return CliContext.Call(store, _ => monitor.EvaluateAsync(abandoned: gone)).ToDictionary(h => h.ScriptName, StringComparer.Ordinal);
    }

    private static Tint HealthTint(HealthState? state) => CheckPolicy.Default.StatusOf(state ?? HealthState.Up) switch
    {
        CheckStatus.Ok => state is HealthState.Up ? Tint.Good : Tint.None,
        CheckStatus.Warning => Tint.Warn,
        _ => Tint.Bad,
    };

    /// <summary>The instant the rest of the row was read at, so the health and the ages agree.</summary>
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>What <c>status</c> knows of one script.</summary>
    private sealed record StatusRow(string Name, ScriptRun? LastSuccess, TimeSpan? LastSuccessAge, ScriptRun? LastFailure, int RunsLast24Hours, TimeSpan? Median, ScriptHealth? Health)
    {
        internal bool FailedSinceSuccess => LastFailure is { } failure && (LastSuccess is null || failure.StartedAt > LastSuccess.StartedAt);
    }
}

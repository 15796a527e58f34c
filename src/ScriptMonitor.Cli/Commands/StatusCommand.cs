using System.CommandLine;
using System.Globalization;
using ScriptMonitor.Application.Lifecycle;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Output;
using ScriptMonitor.Health;

namespace ScriptMonitor.Cli.Commands;

/// <summary>
/// <c>scriptmon status</c>: every script, one line each. The rows come from the application layer's status overview,
/// the same rows the server's status endpoint gives; the table and <c>--json</c> are both drawn from them.
/// </summary>
internal static class StatusCommand
{
    private static readonly (string Header, Func<ScriptStatusView, (string Text, Tint Tint)> Cell)[] Columns =
    [
        ("SCRIPT", row => (row.Name, Tint.Bold)),
        ("LAST SUCCESS", row => (row.LastSuccess?.StartedAt ?? "never", row.LastSuccess is null ? Tint.Bad : Tint.None)),
        ("AGE", row => (row.LastSuccessAgeSeconds is { } age ? RunText.Duration(age) : "-", Tint.None)),
        ("LAST FAILURE", row => (row.LastFailure?.StartedAt ?? "-", FailedSinceSuccess(row) ? Tint.Bad : Tint.None)),
        ("RUNS 24H", row => (row.RunsLast24Hours.ToString(CultureInfo.InvariantCulture), Tint.None)),
        ("MEDIAN", row => (row.MedianSeconds is { } m ? RunText.Duration(m) : "-", Tint.None)),
        ("HEALTH", row => (row.Health ?? "-", HealthTint(row.Health))),
        ("REASON", row => (row.Reason ?? "-", Tint.None)),
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
        var status = CliContext.Await(context.Services.Status.ReadAsync());
        if (json)
        {
            return Json.Write(context, status, ViewJsonContext.Default.StatusView);
        }

        if (status.Scripts.Count == 0)
        {
            context.Terminal.Out.WriteLine($"No runs recorded yet in {status.Store}.");
            return ExitCodes.Ok;
        }

        var table = new Table(Columns.Select(c => c.Header).ToArray());
        foreach (var row in status.Scripts)
        {
            table.Add(Columns.Select(c => c.Cell(row)).ToArray());
        }

        table.Write(context.Terminal);
        return ExitCodes.Ok;
    }

    /// <summary>The last failure came after the last success: the script is failing now, not once upon a time.</summary>
    private static bool FailedSinceSuccess(ScriptStatusView row) =>
        row.LastFailure is { } failure && (row.LastSuccess is null || string.CompareOrdinal(failure.StartedAt, row.LastSuccess.StartedAt) > 0);

    private static Tint HealthTint(string? health)
    {
        var state = health is not null && Enum.TryParse<HealthState>(health, out var parsed) ? parsed : HealthState.Up;
        return CheckPolicy.Default.StatusOf(state) switch
        {
            CheckStatus.Ok => health is not null && state is HealthState.Up ? Tint.Good : Tint.None,
            CheckStatus.Warning => Tint.Warn,
            _ => Tint.Bad,
        };
    }
}

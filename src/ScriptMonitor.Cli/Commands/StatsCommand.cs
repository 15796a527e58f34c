using System.CommandLine;
using System.Globalization;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Input;
using ScriptMonitor.Cli.Output;
using ScriptMonitor.Runs;
using ScriptMonitor.Health;
using ScriptMonitor.Application.Lifecycle;

namespace ScriptMonitor.Cli.Commands;

/// <summary><c>scriptmon stats NAME [--since T]</c>: runtime statistics of successful runs, a sparkline and a histogram.</summary>
internal static class StatsCommand
{
    private const int HistogramBuckets = 8;
    private const int BarWidth = 30;

    /// <summary>The sparkline shows the newest runs only, so it fits a terminal line.</summary>
    private const int SparklineRuns = 60;

    private static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(30);

    internal static Command Create(CliContext context)
    {
        var name = CommonOptions.ScriptName("The script's name.");
        var since = CommonOptions.Time("--since", "Only runs that started at or after this time. Default -30d.");
        var until = CommonOptions.Time("--until", "Only runs that started before this time. Default now.");
        var host = CommonOptions.Host("Only runs on this host. Default: any host.");
        var json = CommonOptions.Json();
        var command = new Command("stats", "Show runtime statistics of a script's successful runs, with a sparkline and a histogram of durations.") { name, since, until, host, json };
        command.SetAction(parse => Run(context, parse.GetValue(name), parse.GetValue(since), parse.GetValue(until), parse.GetValue(host), parse.GetValue(json)));
        return command;
    }

    private static int Run(CliContext context, string? nameText, string? sinceText, string? untilText, string? hostText, bool json)
    {
        var now = context.Time.GetUtcNow();
        var name = CommonOptions.ValidName(nameText);
        var host = CommonOptions.ValidHost(hostText);
        var since = CommonOptions.ParseTime(sinceText, "--since", now) ?? now - DefaultWindow;
        var until = CommonOptions.ParseTime(untilText, "--until", now) ?? now.AddTicks(1);
        if (until < since)
        {
            throw new UsageException($"--until ({Timestamps.FormatIso(until)}) must not be before --since ({Timestamps.FormatIso(since)}).");
        }

        var location = context.ResolveLocation();
        using var store = context.OpenStoreForReading(location);
        RunView.RequireKnownScript(store, name, location.ToString());
        var statistics = CliContext.Call(store!, s => s.GetRuntimeStatisticsAsync(name, since, until, host));
        var runs = CliContext.Call(store!, s => s.ListRunsAsync(new RunQuery(name) { Hostname = host, Since = since, Until = until, Outcome = RunOutcome.Succeeded, Limit = RunQuery.MaxLimit }));
        var durations = runs.Reverse().Select(r => r.Duration!.Value).ToList();
        var histogram = DurationChart.Histogram(durations, HistogramBuckets);
        if (json)
        {
            return Json.Write(
                context,
                new StatsJson(
                    name,
                    host,
                    Timestamps.FormatIso(since),
                    Timestamps.FormatIso(until),
                    statistics.Count,
                    Durations.Seconds(statistics.Mean),
                    Durations.Seconds(statistics.Median),
                    Durations.Seconds(statistics.P95),
                    Durations.Seconds(statistics.Min),
                    Durations.Seconds(statistics.Max),
                    durations.Select(Durations.Seconds).ToList(),
                    histogram.Select(b => new HistogramBucketJson(Durations.Seconds(b.From), Durations.Seconds(b.To), b.Count)).ToList()),
                CliJsonContext.Default.StatsJson);
        }

        WriteText(context.Terminal, name, host, since, until, statistics, durations, histogram);
        return ExitCodes.Ok;
    }

    private static void WriteText(
        Terminal terminal,
        string name,
        string? host,
        DateTimeOffset since,
        DateTimeOffset until,
        RuntimeStatistics statistics,
        List<TimeSpan> durations,
        IReadOnlyList<HistogramBucket> histogram)
    {
        var output = terminal.Out;
        output.WriteLine($"script:    {terminal.Paint(name, Tint.Bold)}{(host is null ? string.Empty : $" on {host}")}");
        output.WriteLine($"window:    {Timestamps.FormatIso(since)} to {Timestamps.FormatIso(until)}");
        output.WriteLine($"runs:      {statistics.Count.ToString(CultureInfo.InvariantCulture)} successful");
        if (statistics.Count == 0)
        {
            return;
        }

        output.WriteLine($"mean:      {DurationText.Format(statistics.Mean, RunView.ColumnUnits)}");
        output.WriteLine($"median:    {DurationText.Format(statistics.Median, RunView.ColumnUnits)}");
        output.WriteLine($"p95:       {DurationText.Format(statistics.P95, RunView.ColumnUnits)}");
        output.WriteLine($"min:       {DurationText.Format(statistics.Min, RunView.ColumnUnits)}");
        output.WriteLine($"max:       {DurationText.Format(statistics.Max, RunView.ColumnUnits)}");
        var recent = durations.Count > SparklineRuns ? durations[^SparklineRuns..] : durations;
        output.WriteLine($"trend:     {DurationChart.Sparkline(recent)}  (last {recent.Count.ToString(CultureInfo.InvariantCulture)} runs, oldest first)");
        output.WriteLine("histogram:");
        var fullest = histogram.Max(b => b.Count);
        var labels = histogram.Select(b => $"{DurationText.Format(b.From, RunView.ColumnUnits)} - {DurationText.Format(b.To, RunView.ColumnUnits)}").ToList();
        var labelWidth = labels.Max(l => l.Length);
        for (var i = 0; i < histogram.Count; i++)
        {
            var bar = DurationChart.Bar(histogram[i].Count, fullest, BarWidth, unicode: terminal.Colour);
            output.WriteLine($"  {labels[i].PadRight(labelWidth)}  {histogram[i].Count.ToString(CultureInfo.InvariantCulture),5}  {terminal.Paint(bar, Tint.Good)}");
        }
    }
}

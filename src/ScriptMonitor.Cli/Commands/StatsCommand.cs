using System.CommandLine;
using System.Globalization;
using ScriptMonitor.Application.History;
using ScriptMonitor.Application.Lifecycle;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Output;

namespace ScriptMonitor.Cli.Commands;

/// <summary><c>scriptmon stats NAME [--since T]</c>: runtime statistics of successful runs, a sparkline and a histogram.</summary>
internal static class StatsCommand
{
    private const int BarWidth = 30;

    /// <summary>The sparkline shows the newest runs only, so it fits a terminal line.</summary>
    private const int SparklineRuns = 60;

    private static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(30);

    /// <summary>The library's fields, as this command's user typed them.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Fields = RunsCommand.Fields;

    internal static Command Create(CliContext context)
    {
        var name = CommonOptions.ScriptName("The script's name.");
        var since = CommonOptions.Time("--since", "Only runs that started at or after this time. Default -30d.");
        var until = CommonOptions.Time("--until", "Only runs that started before this time. Default now.");
        var host = CommonOptions.Host("Only runs on this host. Default: any host.");
        var json = CommonOptions.Json();
        var command = new Command("stats", "Show runtime statistics of a script's successful runs, with a sparkline and a histogram of durations.") { name, since, until, host, json };
        command.SetAction(parse =>
        {
            var now = context.Time.GetUtcNow();
            return Run(
                context,
                new StatsRequest(
                    parse.GetValue(name)!,
                    CommonOptions.ParseTime(parse.GetValue(since), "--since", now) ?? now - DefaultWindow,
                    CommonOptions.ParseTime(parse.GetValue(until), "--until", now) ?? now.AddTicks(1),
                    parse.GetValue(host)),
                parse.GetValue(json));
        });
        return command;
    }

    private static int Run(CliContext context, StatsRequest request, bool json)
    {
        var stats = CliContext.Await(context.Services.History.StatisticsAsync(request));
        if (json)
        {
            return Json.Write(context, stats, ViewJsonContext.Default.StatsView);
        }

        WriteText(context.Terminal, stats);
        return ExitCodes.Ok;
    }

    private static void WriteText(Terminal terminal, StatsView stats)
    {
        var output = terminal.Out;
        output.WriteLine($"script:    {terminal.Paint(stats.Script, Tint.Bold)}{(stats.Host is null ? string.Empty : $" on {stats.Host}")}");
        output.WriteLine($"window:    {stats.Since} to {stats.Until}");
        output.WriteLine($"runs:      {stats.Count.ToString(CultureInfo.InvariantCulture)} successful");
        if (stats.Count == 0)
        {
            return;
        }

        output.WriteLine($"mean:      {RunText.Duration(stats.MeanSeconds)}");
        output.WriteLine($"median:    {RunText.Duration(stats.MedianSeconds)}");
        output.WriteLine($"p95:       {RunText.Duration(stats.P95Seconds)}");
        output.WriteLine($"min:       {RunText.Duration(stats.MinSeconds)}");
        output.WriteLine($"max:       {RunText.Duration(stats.MaxSeconds)}");
        var durations = stats.DurationsSeconds.Select(Seconds.ToDuration).ToList();
        var recent = durations.Count > SparklineRuns ? durations[^SparklineRuns..] : durations;
        output.WriteLine($"trend:     {DurationChart.Sparkline(recent)}  (last {recent.Count.ToString(CultureInfo.InvariantCulture)} runs, oldest first)");
        output.WriteLine("histogram:");
        var fullest = stats.Histogram.Max(b => b.Count);
        var labels = stats.Histogram.Select(b => $"{RunText.Duration(b.FromSeconds)} - {RunText.Duration(b.ToSeconds)}").ToList();
        var labelWidth = labels.Max(l => l.Length);
        for (var i = 0; i < stats.Histogram.Count; i++)
        {
            var bar = DurationChart.Bar(stats.Histogram[i].Count, fullest, BarWidth, unicode: terminal.Colour);
            output.WriteLine($"  {labels[i].PadRight(labelWidth)}  {stats.Histogram[i].Count.ToString(CultureInfo.InvariantCulture),5}  {terminal.Paint(bar, Tint.Good)}");
        }
    }
}

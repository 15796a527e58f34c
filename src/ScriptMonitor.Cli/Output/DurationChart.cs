using System.Text;

namespace ScriptMonitor.Cli.Output;

/// <summary>Pictures of runtimes in the terminal: a sparkline of runs in order and a histogram of their spread.</summary>
internal static class DurationChart
{
    private const string Levels = "▁▂▃▄▅▆▇█";
    private const char AsciiBar = '#';
    private const char BlockBar = '█';

    /// <summary>One character per run, oldest first, its height the run's duration between the shortest and longest.</summary>
    internal static string Sparkline(IReadOnlyList<TimeSpan> durations)
    {
        if (durations.Count == 0)
        {
            return string.Empty;
        }

        var min = durations.Min().Ticks;
        var max = durations.Max().Ticks;
        var line = new StringBuilder(durations.Count);
        foreach (var duration in durations)
        {
            var level = max == min ? Levels.Length / 2 : (int)((duration.Ticks - min) * (Levels.Length - 1) / (max - min));
            line.Append(Levels[level]);
        }

        return line.ToString();
    }

    internal static string Bar(int count, int fullest, int width, bool unicode) =>
        fullest == 0 ? string.Empty : new string(unicode ? BlockBar : AsciiBar, (int)Math.Ceiling((double)count * width / fullest));
}


using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using ScriptMonitor.Scripts;

/// <summary>Reports the usage of the file systems named as arguments (or <c>/</c>) and fails when one is too full.</summary>
internal sealed partial class DiskReport() : MonitoredScript("disk-report")
{
    /// <summary>The exit status of "a file system is too full", apart from 1 ("the check itself broke").</summary>
    private const int TooFullExitStatus = 3;

    private const double DefaultMaxUsedPercent = 90;

    private readonly Option<double> _maxUsedPercent = new("--max-used-percent")
    {
        Description = $"Fail when a file system is fuller than this (default {DefaultMaxUsedPercent}).",
        DefaultValueFactory = _ => DefaultMaxUsedPercent,
    };

    protected override string Description => "Reports how full each file system is; fails when one is fuller than allowed.";

    protected override void AddOptions(Command command) => command.Add(_maxUsedPercent);

    protected override void Main()
    {
        var limit = ParseResult.GetValue(_maxUsedPercent);
        var paths = Args.Count > 0 ? Args : ["/"];
        var tooFull = new List<string>();
        foreach (var path in paths)
        {
            var drive = new DriveInfo(path);
            var usedPercent = 100.0 * (drive.TotalSize - drive.AvailableFreeSpace) / drive.TotalSize;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{path,-20} {usedPercent,5:0.0}% used, {drive.AvailableFreeSpace / (1024 * 1024 * 1024.0),8:0.0} GiB free"));
            LogUsage(Logger, path, usedPercent);
            if (usedPercent > limit)
            {
                tooFull.Add(string.Create(CultureInfo.InvariantCulture, $"{path} ({usedPercent:0.0}%)"));
            }
        }

        if (tooFull.Count > 0)
        {
            throw new ScriptFailureException(
                string.Create(CultureInfo.InvariantCulture, $"fuller than {limit}%: {string.Join(", ", tooFull)}"),
                TooFullExitStatus);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Path} is {UsedPercent:0.0}% used.")]
    private static partial void LogUsage(ILogger logger, string path, double usedPercent);
}

using Microsoft.Extensions.Logging;

namespace ScriptMonitor.Scripts.Logging;

/// <summary>The value of <c>--log-file=[LEVEL:]PATH</c>: the file, and the least severe level written to it.</summary>
/// <param name="Path">The log file, absolute.</param>
/// <param name="Level">The least severe level written; null when the option named none.</param>
internal sealed record LogFileTarget(string Path, LogLevel? Level)
{
    private static readonly Dictionary<string, LogLevel> LevelNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["TRACE"] = LogLevel.Trace,
        ["DEBUG"] = LogLevel.Debug,
        ["INFO"] = LogLevel.Information,
        ["INFORMATION"] = LogLevel.Information,
        ["WARN"] = LogLevel.Warning,
        ["WARNING"] = LogLevel.Warning,
        ["ERROR"] = LogLevel.Error,
        ["CRITICAL"] = LogLevel.Critical,
        ["FATAL"] = LogLevel.Critical,
    };

    /// <summary>The level names <c>--log-file</c> accepts, for the usage text.</summary>
    internal static string LevelNamesText => "TRACE, DEBUG, INFO, WARNING, ERROR, CRITICAL";

    /// <summary>
    /// Reads <c>[LEVEL:]PATH</c>. A prefix before the first colon that is not a level name is part of the path, so
    /// a path with a colon in it needs no escaping.
    /// </summary>
    internal static bool TryParse(string? value, out LogFileTarget? target, out string? error)
    {
        target = null;
        error = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "--log-file needs a path: --log-file=[LEVEL:]PATH";
            return false;
        }

        LogLevel? level = null;
        var path = value;
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && LevelNames.TryGetValue(value[..colon], out var named))
        {
            level = named;
            path = value[(colon + 1)..];
        }

        if (string.IsNullOrWhiteSpace(path))
        {
            error = $"--log-file={value} names a level but no path: --log-file=[LEVEL:]PATH";
            return false;
        }

        target = new LogFileTarget(System.IO.Path.GetFullPath(path), level);
        return true;
    }

    /// <summary>
    /// The level written to the file: the one named, else the console's level but never quieter than Information,
    /// so that <c>-q</c> quietens the terminal while the file keeps the record.
    /// </summary>
    internal LogLevel EffectiveLevel(LogLevel consoleLevel) =>
        Level ?? (consoleLevel < LogLevel.Information ? consoleLevel : LogLevel.Information);
}

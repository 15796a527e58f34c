using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace ScriptMonitor.Scripts.Logging;

/// <summary>One log record as a line of text: UTC timestamp, level, category, message, then any exception.</summary>
internal static class LogLine
{
    internal static string Format(DateTimeOffset timestamp, LogLevel level, string category, string message, Exception? exception)
    {
        var line = new StringBuilder(64 + message.Length);
        line.Append(timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture))
            .Append(' ')
            .Append(LevelName(level))
            .Append(' ')
            .Append(category)
            .Append(": ")
            .Append(message)
            .Append('\n');
        if (exception is not null)
        {
            line.Append(exception).Append('\n');
        }

        return line.ToString();
    }

    internal static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARNING",
        LogLevel.Error => "ERROR",
        LogLevel.Critical => "CRITICAL",
        _ => level.ToString().ToUpperInvariant(),
    };
}

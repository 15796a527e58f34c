using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace ScriptMonitor.Application.Logging;

/// <summary>
/// How a log record reads as one line. Two styles: <see cref="Timestamped"/>, for a script's stderr and log file
/// (<c>2026-01-31T02:00:00.123456Z INFO nightly-backup: message</c>, always UTC, then any exception), and
/// <see cref="Prefixed"/>, for a command that stands between cron and a job (<c>scriptmon: warning: message</c>), so
/// that its lines stand apart from the job's own output.
/// </summary>
public abstract class LogLine
{
    private LogLine()
    {
    }

    /// <summary>
    /// <c>2026-01-31T02:00:00.123456Z INFO category: message</c>, then the exception (with its stack trace) on the
    /// following lines, if there is one.
    /// </summary>
    /// <param name="timeProvider">The clock the timestamps come from.</param>
    public static LogLine Timestamped(TimeProvider timeProvider) => new TimestampedLine(timeProvider);

    /// <summary><c>category: error: message</c>, one line whatever the record holds (no exception, no stack trace).</summary>
    public static LogLine Prefixed { get; } = new PrefixedLine();

    /// <summary>The level as <see cref="Timestamped"/> prints it: <c>TRACE</c>, <c>DEBUG</c>, <c>INFO</c>, <c>WARNING</c>, <c>ERROR</c>, <c>CRITICAL</c>.</summary>
    /// <param name="level">The level.</param>
    public static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARNING",
        LogLevel.Error => "ERROR",
        LogLevel.Critical => "CRITICAL",
        _ => level.ToString().ToUpperInvariant(),
    };

    /// <summary>Formats one record, ending with a new line.</summary>
    /// <param name="level">Its level.</param>
    /// <param name="category">Its category: the script's or the program's name.</param>
    /// <param name="message">Its message.</param>
    /// <param name="exception">Its exception, if any.</param>
    public abstract string Format(LogLevel level, string category, string message, Exception? exception);

    private sealed class TimestampedLine(TimeProvider timeProvider) : LogLine
    {
        public override string Format(LogLevel level, string category, string message, Exception? exception)
        {
            var line = new StringBuilder(64 + message.Length);
            line.Append(timeProvider.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture))
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
    }

    private sealed class PrefixedLine : LogLine
    {
        public override string Format(LogLevel level, string category, string message, Exception? exception)
        {
            var word = level switch
            {
                LogLevel.Critical or LogLevel.Error => "error",
                LogLevel.Warning => "warning",
                _ => "info",
            };
            return $"{category}: {word}: {message}\n";
        }
    }
}

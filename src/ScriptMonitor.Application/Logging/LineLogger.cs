using Microsoft.Extensions.Logging;

namespace ScriptMonitor.Application.Logging;

/// <summary>
/// A logger that formats every record at or above its level as a <see cref="LogLine"/> and hands the line to a sink
/// (standard error, a log file): written as it is logged, with nothing queued that a killed process would lose.
/// </summary>
/// <param name="category">The category every line names: the script's or the program's name.</param>
/// <param name="minimumLevel">The least severe level written.</param>
/// <param name="format">How a record reads.</param>
/// <param name="write">Where each line goes.</param>
public sealed class LineLogger(string category, LogLevel minimumLevel, LogLine format, Action<string> write) : ILogger
{
    /// <inheritdoc/>
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    /// <inheritdoc/>
    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= minimumLevel;

    /// <inheritdoc/>
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (IsEnabled(logLevel))
        {
            write(format.Format(logLevel, category, formatter(state, exception), exception));
        }
    }
}

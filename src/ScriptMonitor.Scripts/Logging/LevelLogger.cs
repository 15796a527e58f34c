using Microsoft.Extensions.Logging;

namespace ScriptMonitor.Scripts.Logging;

/// <summary>A logger that formats records at or above its level as <see cref="LogLine"/>s and hands them to a sink.</summary>
internal sealed class LevelLogger(string category, LogLevel minimumLevel, TimeProvider timeProvider, Action<string> write) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= minimumLevel;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (IsEnabled(logLevel))
        {
            write(LogLine.Format(timeProvider.GetUtcNow(), logLevel, category, formatter(state, exception), exception));
        }
    }
}

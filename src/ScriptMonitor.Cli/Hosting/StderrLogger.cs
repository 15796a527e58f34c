using Microsoft.Extensions.Logging;

namespace ScriptMonitor.Cli.Hosting;

/// <summary>
/// scriptmon's diagnostics: one line each on standard error, prefixed so they stand apart from a wrapped
/// command's own output. Cheap to create, so the cold path of <c>exec</c> pays nothing for logging.
/// </summary>
internal sealed class StderrLogger(TextWriter error, LogLevel minimumLevel) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimumLevel && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var level = logLevel switch
        {
            LogLevel.Critical or LogLevel.Error => "error",
            LogLevel.Warning => "warning",
            _ => "info",
        };
        error.WriteLine($"scriptmon: {level}: {formatter(state, exception)}");
    }
}

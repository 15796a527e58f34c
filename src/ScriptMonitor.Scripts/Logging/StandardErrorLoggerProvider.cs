using Microsoft.Extensions.Logging;

namespace ScriptMonitor.Scripts.Logging;

/// <summary>
/// Log lines on stderr, written as they are logged. A script is short-lived and may be killed at any moment, so
/// nothing waits in a queue to be lost, and no writer thread has to be started and stopped on every run.
/// </summary>
internal sealed class StandardErrorLoggerProvider(LogLevel minimumLevel, TimeProvider timeProvider) : ILoggerProvider
{
    private static readonly Lock Gate = new();

    public ILogger CreateLogger(string categoryName) => new LevelLogger(categoryName, minimumLevel, timeProvider, Write);

    public void Dispose()
    {
    }

    private static void Write(string line)
    {
        lock (Gate)
        {
            Console.Error.Write(line);
            Console.Error.Flush();
        }
    }
}

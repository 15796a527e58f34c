using Microsoft.Extensions.Logging;

namespace ScriptMonitor.Application.Logging;

/// <summary>
/// Log lines on standard error, the one stderr logger of every ScriptMonitor program, written and flushed as they are
/// logged: a script or a wrapper is short-lived and may be killed at any moment, so nothing waits in a queue to be lost,
/// and no writer thread has to be started and stopped on every run.
/// </summary>
/// <param name="error">Standard error, or what stands for it (a writer that never throws).</param>
/// <param name="minimumLevel">The least severe level written.</param>
/// <param name="format">How a record reads: <see cref="LogLine.Timestamped"/> or <see cref="LogLine.Prefixed"/>.</param>
public sealed class StandardErrorLoggerProvider(TextWriter error, LogLevel minimumLevel, LogLine format) : ILoggerProvider
{
    private readonly Lock _gate = new();

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new LineLogger(categoryName, minimumLevel, format, Write);

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private void Write(string line)
    {
        lock (_gate)
        {
            error.Write(line);
            error.Flush();
        }
    }
}

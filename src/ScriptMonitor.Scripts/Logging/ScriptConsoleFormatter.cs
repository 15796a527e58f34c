using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace ScriptMonitor.Scripts.Logging;

/// <summary>
/// Console lines in the same shape as the log file's: <c>2026-01-01T00:00:00.000000Z INFO name: message</c>, UTC,
/// one line per record and the exception with its stack trace on the lines after it.
/// </summary>
internal sealed class ScriptConsoleFormatter(TimeProvider timeProvider) : ConsoleFormatter(FormatterName)
{
    internal const string FormatterName = "scriptmon";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        textWriter.Write(LogLine.Format(timeProvider.GetUtcNow(), logEntry.LogLevel, logEntry.Category, message ?? string.Empty, logEntry.Exception));
    }
}

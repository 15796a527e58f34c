using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace ScriptMonitor.Scripts.Logging;

/// <summary>
/// The loggers of one run: the console logger on stderr at the verbosity <c>-v</c>/<c>-q</c> chose, with UTC
/// timestamps, and the <c>--log-file</c> as well when one is named.
/// </summary>
internal static class ScriptLogging
{
    /// <summary>Where verbosity starts before any <c>-v</c> or <c>-q</c>.</summary>
    internal const LogLevel DefaultLevel = LogLevel.Information;

    /// <summary>
    /// The console level after <paramref name="verbose"/> <c>-v</c> and <paramref name="quiet"/> <c>-q</c>: each
    /// <c>-v</c> one step more detail (Debug, Trace), each <c>-q</c> one step less (Warning, Error, Critical, None).
    /// </summary>
    internal static LogLevel ConsoleLevel(int verbose, int quiet) =>
        (LogLevel)Math.Clamp((int)DefaultLevel - verbose + quiet, (int)LogLevel.Trace, (int)LogLevel.None);

    internal static ILoggerFactory Create(LogLevel consoleLevel, LogFileTarget? logFile, TimeProvider timeProvider)
    {
        var fileLevel = logFile?.EffectiveLevel(consoleLevel) ?? LogLevel.None;
        return LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(consoleLevel < fileLevel ? consoleLevel : fileLevel);
            builder.AddFilter<ConsoleLoggerProvider>(null, consoleLevel);
            builder.Services.AddSingleton<ConsoleFormatter>(new ScriptConsoleFormatter(timeProvider));
            builder.AddConsole(console =>
            {
                console.FormatterName = ScriptConsoleFormatter.FormatterName;

                // Everything to stderr: a script's stdout is its own output.
                console.LogToStandardErrorThreshold = LogLevel.Trace;
            });
            if (logFile is not null)
            {
                builder.AddProvider(new RotationSafeFileLoggerProvider(logFile.Path, timeProvider));
                builder.AddFilter<RotationSafeFileLoggerProvider>(null, fileLevel);
            }
        });
    }
}

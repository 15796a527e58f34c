using Microsoft.Extensions.Logging;
using ScriptMonitor.Application.Logging;

namespace ScriptMonitor.Scripts.Logging;

/// <summary>
/// The loggers of one run: stderr at the verbosity <c>-v</c>/<c>-q</c> chose, and the <c>--log-file</c> as well when
/// one is named; every line in UTC.
/// </summary>
/// <remarks>
/// Built by hand rather than with <c>LoggerFactory.Create</c> and the console logger: a dependency-injection container
/// and the console logger's writer thread cost 1.5 to 4.5 ms per run, most of what a script may spend on monitoring.
/// </remarks>
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
        var providers = new List<ILoggerProvider> { new StandardErrorLoggerProvider(Console.Error, consoleLevel, LogLine.Timestamped(timeProvider)) };
        var minimum = consoleLevel;
        if (logFile is not null)
        {
            var fileLevel = logFile.EffectiveLevel(consoleLevel);
            providers.Add(new RotationSafeFileLoggerProvider(logFile.Path, fileLevel, timeProvider));
            minimum = fileLevel < minimum ? fileLevel : minimum;
        }

        return new LoggerFactory(providers, new LoggerFilterOptions { MinLevel = minimum });
    }
}

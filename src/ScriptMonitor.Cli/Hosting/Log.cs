using Microsoft.Extensions.Logging;

namespace ScriptMonitor.Cli.Hosting;

/// <summary>Every diagnostic scriptmon writes, in one place, through the logging source generator.</summary>
internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Not running {ScriptName}: {Reason}.")]
    internal static partial void LogSkippedDisabled(this ILogger logger, string scriptName, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The run {RunId} of {ScriptName} could be neither stored nor spooled: {Problem}")]
    internal static partial void LogRunLost(this ILogger logger, string scriptName, Guid runId, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Running {ScriptName} without recording it: {Problem}")]
    internal static partial void LogRunningUnmonitored(this ILogger logger, string scriptName, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot run the command of {ScriptName}: {Reason} (exit status {Status}).")]
    internal static partial void LogCommandNotStarted(this ILogger logger, string scriptName, string reason, int status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Not starting {ScriptName}: {Reason} Its lock cannot be taken, so a failed run is recorded (exit status {Status}).")]
    internal static partial void LogLockUnusable(this ILogger logger, string scriptName, string reason, int status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Not starting {ScriptName}: its lock cannot be taken because the configuration cannot be read ({Problem}); nothing is recorded (exit status {Status}).")]
    internal static partial void LogLockDirectoryUnknown(this ILogger logger, string scriptName, string problem, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Output that background processes of {ScriptName} still write is no longer passed on: {Problem}")]
    internal static partial void LogOutputRelayFailed(this ILogger logger, string scriptName, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The run of {ScriptName}: {Warning}.")]
    internal static partial void LogRunWarning(this ILogger logger, string scriptName, string warning);
}

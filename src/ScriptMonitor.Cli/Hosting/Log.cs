using Microsoft.Extensions.Logging;

namespace ScriptMonitor.Cli.Hosting;

/// <summary>Every diagnostic scriptmon writes, in one place, through the logging source generator.</summary>
internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Not running {ScriptName}: {Reason}.")]
    internal static partial void LogSkippedDisabled(this ILogger logger, string scriptName, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The start of {ScriptName} was not recorded ({Problem}); the whole run is recorded when it ends.")]
    internal static partial void LogStartNotRecorded(this ILogger logger, string scriptName, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The run of {ScriptName} was spooled to {Entry} because the store cannot be written ({Problem}); 'scriptmon spool flush' delivers it.")]
    internal static partial void LogSpooled(this ILogger logger, string scriptName, string entry, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "The run {RunId} of {ScriptName} could be neither stored nor spooled: {Problem}")]
    internal static partial void LogRunLost(this ILogger logger, string scriptName, Guid runId, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "The store refused the run {RunId} of {ScriptName}: {Problem}")]
    internal static partial void LogRunRefused(this ILogger logger, string scriptName, Guid runId, string problem);

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The skipped run of {ScriptName} was spooled to {Entry} because the store cannot be written ({Problem}); 'scriptmon spool flush' delivers it.")]
    internal static partial void LogSkipSpooled(this ILogger logger, string scriptName, string entry, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "The skipped run of {ScriptName} could be neither stored nor spooled: {Problem}")]
    internal static partial void LogSkipLost(this ILogger logger, string scriptName, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "The store refused the skipped run of {ScriptName}: {Problem}")]
    internal static partial void LogSkipRefused(this ILogger logger, string scriptName, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spooled runs were not delivered: {Problem}")]
    internal static partial void LogSpoolNotDelivered(this ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed the run {RunId} of {ScriptName} as abandoned: {Reason}.")]
    internal static partial void LogRunAbandoned(this ILogger logger, string scriptName, Guid runId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Runs left running were not checked for abandonment: {Problem}")]
    internal static partial void LogAbandonedNotChecked(this ILogger logger, string problem);
}

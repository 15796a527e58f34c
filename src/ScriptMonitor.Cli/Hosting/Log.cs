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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spooled runs were not delivered: {Problem}")]
    internal static partial void LogSpoolNotDelivered(this ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed the run {RunId} of {ScriptName} as abandoned: {Reason}.")]
    internal static partial void LogRunAbandoned(this ILogger logger, string scriptName, Guid runId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Runs left running were not checked for abandonment: {Problem}")]
    internal static partial void LogAbandonedNotChecked(this ILogger logger, string problem);
}

using Microsoft.Extensions.Logging;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Recording;

/// <summary>What the recorder says: one message per way a record can go.</summary>
public sealed partial class RunRecorder
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Recorded the {Outcome} run of {ScriptName} in {Store}.")]
    private static partial void LogRecorded(ILogger logger, RunOutcome outcome, string scriptName, string store);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The start of {ScriptName} was not recorded ({Problem}); the whole run is recorded when it ends.")]
    private static partial void LogStartNotRecorded(ILogger logger, string scriptName, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot record the run of {ScriptName} in {Store} ({Problem}); spooled it to {Entry}, which the next run that reaches the store, or 'scriptmon spool flush', delivers.")]
    private static partial void LogSpooled(ILogger logger, string scriptName, string store, string problem, string entry);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The {Outcome} run {RunId} of {ScriptName} is lost: the store failed ({Problem}) and the spool {SpoolDirectory} cannot be written ({SpoolError}).")]
    private static partial void LogRunLost(ILogger logger, RunOutcome outcome, string scriptName, Guid runId, string problem, string spoolDirectory, string spoolError);

    [LoggerMessage(Level = LogLevel.Error, Message = "The store refused the run {RunId} of {ScriptName}: {Problem}")]
    private static partial void LogRunRefused(ILogger logger, string scriptName, Guid runId, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The skipped run of {ScriptName} was spooled to {Entry} because the store cannot be written ({Problem}); 'scriptmon spool flush' delivers it.")]
    private static partial void LogSkipSpooled(ILogger logger, string scriptName, string entry, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "The skipped run of {ScriptName} could be neither stored nor spooled: {Problem}")]
    private static partial void LogSkipLost(ILogger logger, string scriptName, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "The store refused the skipped run of {ScriptName}: {Problem}")]
    private static partial void LogSkipRefused(ILogger logger, string scriptName, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Runs spooled in {SpoolDirectory} were not delivered: {Problem}")]
    private static partial void LogSpoolNotDelivered(ILogger logger, string spoolDirectory, string problem);
}

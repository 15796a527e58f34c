using Microsoft.Extensions.Logging;

namespace ScriptMonitor.Application.Logging;

/// <summary>What every use case that closes runs left running says: one wording, whichever closed them.</summary>
internal static partial class AbandonmentLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Closed the run {RunId} of {ScriptName} as abandoned: {Reason}.")]
    internal static partial void LogRunAbandoned(this ILogger logger, string scriptName, Guid runId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Runs left running were not checked for abandonment: {Problem}")]
    internal static partial void LogAbandonedNotChecked(this ILogger logger, string problem);
}

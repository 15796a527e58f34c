using System.CommandLine;
using Microsoft.Extensions.Logging;
using ScriptMonitor.Scripts.Logging;

namespace ScriptMonitor.Scripts.Lifecycle;

/// <summary>A parsed command line: errors, or what the run needs.</summary>
internal sealed record ParsedCommandLine(
    ParseResult Result,
    IReadOnlyList<string> Errors,
    bool IsHelp,
    LogLevel ConsoleLevel,
    LogFileTarget? LogFile,
    IReadOnlyList<string> Arguments);

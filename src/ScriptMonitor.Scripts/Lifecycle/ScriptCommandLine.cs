using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using Microsoft.Extensions.Logging;
using ScriptMonitor.Scripts.Logging;

namespace ScriptMonitor.Scripts.Lifecycle;

/// <summary>
/// The options every monitored script takes (<c>-v</c>, <c>-q</c>, <c>--log-file</c>, <c>--help</c>) and its
/// positional arguments, plus whatever options the script adds.
/// </summary>
internal sealed class ScriptCommandLine
{
    private const string EndOfOptions = "--";

    private readonly Option<bool> _verbose = new("--verbose", "-v")
    {
        Description = "Log more detail; repeat for more (-vv).",
        Arity = ArgumentArity.Zero,
    };

    private readonly Option<bool> _quiet = new("--quiet", "-q")
    {
        Description = "Log less; repeat for less (-qq).",
        Arity = ArgumentArity.Zero,
    };

    private readonly Option<string> _logFile = new("--log-file")
    {
        Description = $"Also log to this file, at LEVEL ({LogFileTarget.LevelNamesText}; default INFO or the -v level) and above. Safe under logrotate.",
        HelpName = "[LEVEL:]PATH",
    };

    private readonly Argument<string[]> _arguments = new("args")
    {
        Description = "Arguments for the script.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    internal ScriptCommandLine(string scriptName, string description)
    {
        // A command named after the script rather than a RootCommand, which is named after the executable: help and
        // errors name the script, not the host process (which may be "dotnet").
        Root = new Command(scriptName, description) { new HelpOption(), _verbose, _quiet, _logFile, _arguments };
    }

    /// <summary>The command a script adds its own options to.</summary>
    internal Command Root { get; }

    internal ParsedCommandLine Parse(IReadOnlyList<string> args)
    {
        var result = Root.Parse(args);
        var errors = result.Errors.Select(e => e.Message).ToList();
        errors.AddRange(UnknownOptions(result).Select(token => $"Unrecognized option '{token}' (put arguments that start with '-' after '--')."));

        LogFileTarget? logFile = null;
        if (errors.Count == 0 && result.GetResult(_logFile) is { Implicit: false } && !LogFileTarget.TryParse(result.GetValue(_logFile), out logFile, out var logFileError))
        {
            errors.Add(logFileError!);
        }

        return new ParsedCommandLine(
            result,
            errors,
            IsHelp: errors.Count == 0 && result.Action is HelpAction,
            ScriptLogging.ConsoleLevel(Count(result, _verbose), Count(result, _quiet)),
            logFile,
            errors.Count == 0 ? result.GetValue(_arguments) ?? [] : []);
    }

    /// <summary>Writes the usage text, as <c>--help</c> prints it, to <paramref name="writer"/>.</summary>
    internal void WriteUsage(TextWriter writer) =>
        Root.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = writer, Error = writer });

    private static int Count(ParseResult result, Option option) => result.GetResult(option)?.IdentifierTokenCount ?? 0;

    // The positional arguments take any token, so an unknown option would silently become an argument; refuse a
    // token that looks like an option unless it comes after "--".
    private static IEnumerable<string> UnknownOptions(ParseResult result)
    {
        foreach (var token in result.Tokens)
        {
            if (token.Type == TokenType.DoubleDash || token.Value == EndOfOptions)
            {
                yield break;
            }

            if (token.Type == TokenType.Argument && token.Value.Length > 1 && token.Value[0] == '-' && !IsNumber(token.Value))
            {
                yield return token.Value;
            }
        }
    }

    private static bool IsNumber(string value) =>
        double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);
}

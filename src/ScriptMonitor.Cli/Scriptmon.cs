using System.CommandLine;
using System.CommandLine.Invocation;
using ScriptMonitor.Cli.Commands;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Input;
using ScriptMonitor.Configuration;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Cli;

/// <summary>
/// The <c>scriptmon</c> command tree. Each command lives in its own file under <c>Commands/</c> and is added here;
/// errors of every command are turned into one line on stderr and an exit status here, in one place.
/// </summary>
internal static class Scriptmon
{
    private const string Separator = "--";

    internal static int Run(string[] args, CliContext context)
    {
        var database = new Option<string?>("--database")
        {
            Description = "The store to use: a SQLite file path or a PostgreSQL connection string. Overrides SCRIPTMON_DATABASE and the configuration file.",
            HelpName = "PATH|CONNECTION",
            Recursive = true,
        };
        var root = new RootCommand("scriptmon: records the runs of scheduled scripts and says when they stopped, failed or ran too long or too short.")
        {
            database,
            ExecCommand.Create(context),
            RecordCommand.Create(context),
            LastCommand.Create(context),
            RunsCommand.Create(context),
            CloseCommand.Create(context),
            StatusCommand.Create(context),
            StatsCommand.Create(context),
            ExpectCommand.Create(context),
            CheckCommand.Create(context),
            SpoolCommand.Create(context),
            PruneCommand.Create(context),
            DbCommand.Create(context),
        };

        var parse = Parse(root, args, context);
        if (IsExecWithoutSeparator(parse, context))
        {
            return Fail(context, ExitCodes.Usage, ExecCommand.MissingSeparator);
        }

        if (parse.Action is ParseErrorAction && parse.CommandResult.Command.Name == CheckCommand.Name)
        {
            // A plugin answers bad arguments with UNKNOWN, so the monitoring system shows them instead of a crash.
            return CheckCommand.Unknown(context, $"{string.Join("; ", parse.Errors.Select(Describe).Distinct())} (see 'scriptmon check --help')");
        }

        if (parse.Action is ParseErrorAction)
        {
            return Fail(context, ExitCodes.Usage, $"{string.Join("; ", parse.Errors.Select(Describe).Distinct())} (see 'scriptmon {CommandPath(parse)}--help')");
        }

        context.DatabaseSetting = parse.GetValue(database);
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (UsageException e)
        {
            return Fail(context, ExitCodes.Usage, e.Message);
        }
        catch (ConfigurationException e)
        {
            return Fail(context, ExitCodes.Unavailable, OneLine(e.Message));
        }
        catch (StoreUnavailableException e)
        {
            return Fail(context, ExitCodes.Unavailable, e.Message);
        }
        catch (ArgumentException e)
        {
            return Fail(context, ExitCodes.Usage, CommonOptions.StripParameterSuffix(e.Message));
        }
    }

    /// <summary>
    /// Splits <c>exec</c>'s own arguments from the command it runs at the first <c>--</c>, so nothing after it
    /// (not even <c>--help</c>) is read as scriptmon's. For every other command <c>--</c> keeps its usual meaning.
    /// </summary>
    private static ParseResult Parse(RootCommand root, string[] args, CliContext context)
    {
        var configuration = new ParserConfiguration { ResponseFileTokenReplacer = null };
        var separator = Array.IndexOf(args, Separator);
        var prefix = root.Parse(separator < 0 ? args : args[..separator], configuration);
        if (prefix.CommandResult.Command.Name != ExecCommand.Name)
        {
            return separator < 0 ? prefix : root.Parse(args, configuration);
        }

        context.CommandAfterSeparator = separator < 0 ? null : args[(separator + 1)..];
        return prefix;
    }

    /// <summary><c>exec NAME COMMAND</c> without <c>--</c>: its own message says what is missing better than the parser's.</summary>
    private static bool IsExecWithoutSeparator(ParseResult parse, CliContext context) =>
        parse.CommandResult.Command.Name == ExecCommand.Name && context.CommandAfterSeparator is null && parse.Action is not System.CommandLine.Help.HelpAction;

    /// <summary>The parser's message, naming the missing argument where the parser names only its command.</summary>
    private static string Describe(System.CommandLine.Parsing.ParseError error)
    {
        if (!error.Message.StartsWith("Required argument missing", StringComparison.Ordinal))
        {
            return OneLine(error.Message);
        }

        var (command, arguments) = error.SymbolResult switch
        {
            System.CommandLine.Parsing.ArgumentResult a => (a.Parent is System.CommandLine.Parsing.CommandResult c ? c.Command.Name : "scriptmon", a.Argument.Name),
            System.CommandLine.Parsing.CommandResult c => (c.Command.Name, string.Join(' ', c.Command.Arguments.Select(a => a.Name))),
            _ => (string.Empty, string.Empty),
        };
        return arguments.Length == 0 ? OneLine(error.Message) : $"{arguments} is required: scriptmon {command} {arguments}";
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null && result.Parent is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(result.Command.Name);
        }

        names.Reverse();
        return names.Count == 0 ? string.Empty : string.Join(' ', names) + " ";
    }

    private static int Fail(CliContext context, int status, string message)
    {
        context.Terminal.Error.WriteLine($"scriptmon: error: {message}");
        return status;
    }

    private static string OneLine(string text) => CliContext.OneLine(text);
}

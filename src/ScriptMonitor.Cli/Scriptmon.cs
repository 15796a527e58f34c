using System.CommandLine;
using System.CommandLine.Invocation;
using ScriptMonitor.Cli.Commands;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Input;
using ScriptMonitor.Configuration;
using ScriptMonitor.Runs;
using ScriptMonitor.Application.Lifecycle;
using ScriptMonitor.Application.Spooling;

namespace ScriptMonitor.Cli;

/// <summary>
/// The <c>scriptmon</c> command tree. Each command lives in its own file under <c>Commands/</c> and is added here;
/// errors of every command are turned into one line on stderr and an exit status here, in one place.
/// </summary>
internal static class Scriptmon
{
    private const string Separator = "--";

    private static readonly IReadOnlyDictionary<string, string> NoFields = new Dictionary<string, string>();

    internal static int Run(string[] args, CliContext context)
    {
        if (args is [Exec.OutputRelay.Argument, .. var routes])
        {
            // Not a command: exec starts scriptmon this way to keep passing on a finished job's late output.
            return Exec.OutputRelay.Run(routes);
        }

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
            EventsCommand.Create(context),
            CloseCommand.Create(context),
            StatusCommand.Create(context),
            StatsCommand.Create(context),
            ExpectCommand.Create(context),
            CheckCommand.Create(context),
            SpoolCommand.Create(context),
            PruneCommand.Create(context),
            DbCommand.Create(context),
            KeyCommand.Create(context),
            PingIdentityCommands.CreateKey(context),
            PingIdentityCommands.CreateId(context),
            ImportCommand.Create(context),
            ChannelCommand.Create(context),
            CrontabCommand.Create(context),
            MaintenanceCommand.Create(context),
            AlertHistoryCommands.CreateFlips(context),
            AlertHistoryCommands.CreateNotifications(context),
        };

        // Every command keeps its files off closed descriptors 0, 1 and 2; exec's job gets them closed again.
        var closed = context.Terminal.ReserveClosedDescriptors();
        var parse = Parse(root, args, context);
        if (parse.CommandResult.Command.Name == ExecCommand.Name)
        {
            context.Descriptors = Exec.CallerDescriptors.From(closed);
        }

        var status = Invoke(parse, database, context);
        return context.Terminal.Finish(status, ExitCodes.OutputFailed, ExitCodes.BrokenPipe);
    }

    private static int Invoke(ParseResult parse, Option<string?> database, CliContext context)
    {
        var isCheck = parse.CommandResult.Command.Name == CheckCommand.Name;
        if (IsExecWithoutSeparator(parse, context))
        {
            return Fail(context, ExitCodes.Usage, ExecCommand.MissingSeparator);
        }

        var errors = parse.Errors.Select(Describe).Concat(UnknownOptions(parse)).Distinct().ToList();
        if (errors.Count > 0 && isCheck)
        {
            // A plugin answers bad arguments with UNKNOWN, so the monitoring system shows them instead of a crash.
            return CheckCommand.Unknown(context, $"{string.Join("; ", errors)} (see 'scriptmon check --help')");
        }

        if (errors.Count > 0)
        {
            return Fail(context, ExitCodes.Usage, $"{string.Join("; ", errors)} (see 'scriptmon {CommandPath(parse)}--help')");
        }

        try
        {
            context.DatabaseSetting = DatabaseSetting(parse, database);
            return parse.Invoke(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
                Output = context.Terminal.Out,
                Error = context.Terminal.Error,
            });
        }
        catch (Exception e) when (isCheck && e is not OutOfMemoryException)
        {
            return CheckCommand.Unknown(context, Problem(e, CheckCommand.Fields).Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var (status, message) = Problem(e, FieldsOf(parse.CommandResult.Command));
            return Fail(context, status, message);
        }
    }

    /// <summary>
    /// The exit status and the one line for a failure of a command: bad input (2), its fields named as the command's
    /// user typed them; a store, configuration or file that cannot be used (3); and anything else, which is a fault of
    /// scriptmon's own (70), said in one sentence rather than a stack trace.
    /// </summary>
    private static (int Status, string Message) Problem(Exception e, IReadOnlyDictionary<string, string> fields) => e switch
    {
        UsageException => (ExitCodes.Usage, OneLine(e.Message)),
        ArgumentException refusal => (ExitCodes.Usage, OneLine(FieldNames.Describe(refusal, fields))),
        ConfigurationException or StoreIncompatibleException or StoreUnavailableException or SpoolUnavailableException => (ExitCodes.Unavailable, OneLine(e.Message)),
        _ => (ExitCodes.Internal, $"an unexpected {e.GetType().Name} stopped scriptmon: {OneLine(e.Message)} (please report this)"),
    };

    /// <summary>The table of a command that names the library's fields as its options; none for a command whose refusals name its options already.</summary>
    private static IReadOnlyDictionary<string, string> FieldsOf(Command command) => command.Name switch
    {
        "last" => LastCommand.Fields,
        "runs" => RunsCommand.Fields,
        "events" => EventsCommand.Fields,
        "stats" => StatsCommand.Fields,
        "record" => RecordCommand.Fields,
        "expect" => ExpectCommand.Fields,
        "prune" => PruneCommand.Fields,
        "import" when command.Parents.OfType<Command>().Any(parent => parent.Name == CrontabCommand.Name) => CrontabCommand.Fields,
        "create" or "revoke" when command.Parents.OfType<Command>().Any(parent => parent.Name == KeyCommand.Name) => KeyCommand.Fields,
        "add" or "remove" or "test" when command.Parents.OfType<Command>().Any(parent => parent.Name == ChannelCommand.Name) => ChannelCommand.Fields,
        "add" or "remove" when command.Parents.OfType<Command>().Any(parent => parent.Name == MaintenanceCommand.Name) => MaintenanceCommand.Fields,
        "flips" => AlertHistoryCommands.Fields,
        PingIdentityCommands.IdName or PingIdentityCommands.KeyName or "set" => PingIdentityCommands.Fields,
        "list" when command.Parents.OfType<Command>().Any(parent => parent.Name == "notifications") => AlertHistoryCommands.Fields,
        CheckCommand.Name => CheckCommand.Fields,
        _ => NoFields,
    };

    /// <summary>
    /// The global <c>--database</c>: given empty, it is an error rather than a silent fall back to the environment
    /// or the configuration file.
    /// </summary>
    private static string? DatabaseSetting(ParseResult parse, Option<string?> database)
    {
        if (parse.GetResult(database) is null)
        {
            return null;
        }

        var value = parse.GetValue(database);
        return string.IsNullOrWhiteSpace(value)
            ? throw new UsageException("--database must name a SQLite file or a PostgreSQL connection string; it is empty.")
            : value;
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

    /// <summary>
    /// Words that look like options but were taken as a command's arguments (<c>check --bogus</c> would check a
    /// script named "--bogus"): the parser fills an argument with any word it does not know. A name that starts with
    /// '-' is still possible after <c>--</c>.
    /// </summary>
    private static IEnumerable<string> UnknownOptions(ParseResult parse)
    {
        var afterSeparator = new HashSet<System.CommandLine.Parsing.Token>(ReferenceEqualityComparer.Instance);
        var separatorSeen = false;
        foreach (var token in parse.Tokens)
        {
            if (separatorSeen)
            {
                afterSeparator.Add(token);
            }

            separatorSeen |= token.Type == System.CommandLine.Parsing.TokenType.DoubleDash;
        }

        for (var command = parse.CommandResult; command is not null; command = command.Parent as System.CommandLine.Parsing.CommandResult)
        {
            foreach (var argument in command.Children.OfType<System.CommandLine.Parsing.ArgumentResult>())
            {
                foreach (var token in argument.Tokens)
                {
                    if (token.Value.Length > 1 && token.Value[0] == '-' && !afterSeparator.Contains(token))
                    {
                        yield return $"unknown option '{token.Value}' (a NAME that starts with '-' goes after '--')";
                    }
                }
            }
        }
    }

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

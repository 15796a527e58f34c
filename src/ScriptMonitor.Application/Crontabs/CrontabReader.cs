using System.Text;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Crontabs;

/// <summary>
/// Reads a crontab the way Debian's cron does (crontab(5)): blank lines and lines whose first non-blank character is
/// <c>#</c> are comments; <c>NAME = VALUE</c> lines set variables (the value may be quoted) for the lines after them;
/// every other line is a job: five schedule fields or an @-name, the user in a system crontab, then the command to
/// the end of the line, in which the first unescaped <c>%</c> starts the command's standard input.
/// </summary>
public static class CrontabReader
{
    /// <summary>The shell cron runs commands with when the crontab sets no <c>SHELL=</c>.</summary>
    public const string DefaultShell = "/bin/sh";

    /// <summary>The @-names cron knows, @reboot included, in lower case only as cron compares them.</summary>
    private static readonly HashSet<string> AtNames = new(StringComparer.Ordinal)
    {
        "@reboot", "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly",
    };

    /// <summary>Reads one crontab. Never throws for its content: a line cron would not read is a <see cref="CrontabProblem"/>.</summary>
    /// <param name="path">The crontab as shown to people (a path, or <c>crontab -l</c>).</param>
    /// <param name="text">Its text.</param>
    /// <param name="format">Whether its lines have a user field.</param>
    public static CrontabFile Read(string path, string text, CrontabFormat format)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<CrontabEntry>();
        var problems = new List<CrontabProblem>();
        var shell = DefaultShell;
        string? cronTimeZone = null;
        IReadOnlyDictionary<string, string> variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        var count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        for (var index = 0; index < count; index++)
        {
            var line = lines[index];
            var number = index + 1;
            var body = line.TrimStart(' ', '\t');
            if (body.TrimEnd('\r').Length == 0 || body[0] == '#')
            {
                continue;
            }

            if (Variable(body) is { } variable)
            {
                // Variables apply to the lines after them; cron reads SHELL (and cronie CRON_TZ) from the job's environment.
                // A copy for each change: the jobs before it keep the variables they were given.
                variables = new Dictionary<string, string>((IDictionary<string, string>)variables, StringComparer.Ordinal) { [variable.Name] = variable.Value };
                if (variable.Name == "SHELL")
                {
                    shell = variable.Value;
                }
                else if (variable.Name == "CRON_TZ")
                {
                    cronTimeZone = variable.Value.Length == 0 ? null : variable.Value;
                }

                continue;
            }

            var read = Entry(body, format);
            if (read.Problem is { } problem)
            {
                problems.Add(new CrontabProblem(path, number, line.TrimEnd('\r'), problem));
                continue;
            }

            var (command, input) = SplitInput(read.Command!);
            entries.Add(new CrontabEntry(path, number, read.Schedule!, read.User, command, input, shell, cronTimeZone) { Variables = variables });
        }

        return new CrontabFile(path, entries, problems);
    }

    /// <summary>
    /// Splits a command where cron does: up to the first <c>%</c> not preceded by a backslash is the command (with
    /// <c>\%</c> read as <c>%</c>); the rest is its standard input, each further unescaped <c>%</c> a line break.
    /// </summary>
    /// <param name="raw">The command field as written.</param>
    public static (string Command, string? Input) SplitInput(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var command = new StringBuilder(raw.Length);
        var at = 0;
        for (; at < raw.Length; at++)
        {
            if (raw[at] == '\\' && at + 1 < raw.Length && raw[at + 1] == '%')
            {
                command.Append('%');
                at++;
                continue;
            }

            if (raw[at] == '%')
            {
                break;
            }

            command.Append(raw[at]);
        }

        if (at >= raw.Length)
        {
            return (command.ToString(), null);
        }

        var input = new StringBuilder();
        for (var i = at + 1; i < raw.Length; i++)
        {
            if (raw[i] == '\\' && i + 1 < raw.Length && raw[i + 1] == '%')
            {
                input.Append('%');
                i++;
            }
            else
            {
                input.Append(raw[i] == '%' ? '\n' : raw[i]);
            }
        }

        return (command.ToString(), input.ToString());
    }

    /// <summary>cron's load_env: a name (quoted or up to a blank or '='), blanks, '=', blanks, and a value whose matching quotes are dropped.</summary>
    private static (string Name, string Value)? Variable(string line)
    {
        var at = 0;
        string name;
        if (line[0] is '"' or '\'')
        {
            var close = line.IndexOf(line[0], 1);
            if (close < 0)
            {
                return null;
            }

            name = line[1..close];
            at = close + 1;
        }
        else
        {
            while (at < line.Length && line[at] is not (' ' or '\t' or '='))
            {
                at++;
            }

            name = line[..at];
        }

        at = SkipBlanks(line, at);
        if (name.Length == 0 || at >= line.Length || line[at] != '=')
        {
            return null;
        }

        var value = line[SkipBlanks(line, at + 1)..].TrimEnd(' ', '\t', '\r');
        if (value.Length >= 2 && value[0] is '"' or '\'' && value[^1] == value[0])
        {
            value = value[1..^1];
        }

        return (name, value);
    }

    private static (string? Schedule, string? User, string? Command, string? Problem) Entry(string line, CrontabFormat format)
    {
        var at = 0;
        string schedule;
        if (line[0] == '@')
        {
            var word = Word(line, ref at)!;
            if (!AtNames.Contains(word))
            {
                return (null, null, null, $"'{word}' is not one of cron's @-names ({string.Join(", ", AtNames)}, in lower case).");
            }

            schedule = word;
        }
        else
        {
            var fields = new List<string>(5);
            while (fields.Count < 5 && Word(line, ref at) is { } field)
            {
                fields.Add(field);
            }

            if (fields.Count < 5)
            {
                return (null, null, null, $"it is neither a variable (NAME=VALUE) nor a job: a job has five schedule fields (minute, hour, day-of-month, month, day-of-week) then {(format == CrontabFormat.System ? "the user and " : string.Empty)}the command, and this line has {fields.Count} word{(fields.Count == 1 ? string.Empty : "s")}.");
            }

            schedule = string.Join(' ', fields);
            try
            {
                _ = new CronSchedule(schedule);
            }
            catch (ValidationException e)
            {
                var message = e.Message.Replace($" (Parameter '{e.ParamName}')", string.Empty, StringComparison.Ordinal);
                return (null, null, null, message.StartsWith("expression ", StringComparison.Ordinal) ? "the schedule " + message["expression ".Length..] : message);
            }
        }

        string? user = null;
        if (format == CrontabFormat.System && (user = Word(line, ref at)) is null)
        {
            return (null, null, null, "it has no user field: a line of /etc/crontab or /etc/cron.d names the user the job runs as between the schedule and the command.");
        }

        var command = line[SkipBlanks(line, at)..].TrimEnd('\r');
        return command.Trim().Length == 0
            ? (null, null, null, "it has a schedule but no command.")
            : (schedule, user, command, null);
    }

    private static string? Word(string line, ref int at)
    {
        at = SkipBlanks(line, at);
        var start = at;
        while (at < line.Length && line[at] is not (' ' or '\t'))
        {
            at++;
        }

        return at > start ? line[start..at] : null;
    }

    private static int SkipBlanks(string line, int at)
    {
        while (at < line.Length && line[at] is ' ' or '\t')
        {
            at++;
        }

        return at;
    }
}

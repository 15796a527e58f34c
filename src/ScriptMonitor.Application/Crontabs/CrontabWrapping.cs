using System.Text.RegularExpressions;

namespace ScriptMonitor.Application.Crontabs;

/// <summary>
/// Rewrites job lines of a crontab so that each runs under <c>scriptmon exec NAME</c> without changing what it does,
/// and back. Only the command part of a line changes: the schedule, the user field, the spacing before the command,
/// comments, variables and every other line keep their bytes, so <see cref="Unwrap"/> gives back the original text.
/// </summary>
/// <remarks>
/// A job <c>SCHEDULE [USER] COMMAND%INPUT</c> becomes <c>SCHEDULE [USER] SCRIPTMON exec NAME -- SHELL -c 'COMMAND'%INPUT</c>:
/// cron hands the whole command to its shell, so the original command, up to its first unescaped <c>%</c> and kept as
/// written (cron still reads its <c>\%</c>), is given to SHELL (the crontab's <c>SHELL=</c>) as one single-quoted word
/// and runs exactly as before, <c>cd / &amp;&amp; run-parts …</c> included; the <c>%</c> part stays outside the quotes
/// and remains the job's standard input.
/// </remarks>
public static partial class CrontabWrapping
{
    /// <summary>Wraps the job lines named in <paramref name="names"/>; a line already under <c>scriptmon exec</c> is left as it is.</summary>
    /// <param name="text">The crontab's text, as read.</param>
    /// <param name="format">Whether its lines have a user field.</param>
    /// <param name="names">The script name of each line to wrap, by line number (from 1).</param>
    /// <param name="scriptmon">The absolute path of scriptmon, as cron will run it.</param>
    /// <returns>The new text, and the line numbers that changed.</returns>
    /// <exception cref="ArgumentException"><paramref name="scriptmon"/> is not an absolute path of a program named scriptmon.</exception>
    public static (string Text, IReadOnlyList<int> Changed) Wrap(string text, CrontabFormat format, IReadOnlyDictionary<int, string> names, string scriptmon)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(scriptmon);
        if (!scriptmon.StartsWith('/') || Path.GetFileName(scriptmon) != "scriptmon" || !IsPlain(scriptmon))
        {
            throw new ArgumentException($"scriptmon must be the absolute path of the scriptmon program, without blanks or quotes (got '{scriptmon}').", nameof(scriptmon));
        }

        var file = CrontabReader.Read(string.Empty, text, format);
        var lines = text.Split('\n');
        var changed = new List<int>();
        foreach (var entry in file.Entries)
        {
            if (!names.TryGetValue(entry.Line, out var name) || CrontabImport.WrapperName(entry.Command) is not null || !IsPlain(name) || !IsPlain(entry.Shell))
            {
                continue;
            }

            var (line, ending) = WithoutReturn(lines[entry.Line - 1]);
            var start = CommandStart(line, format);
            var (command, input) = SplitRaw(line[start..]);
            lines[entry.Line - 1] = $"{line[..start]}{scriptmon} exec {name} -- {entry.Shell} -c {Quote(command)}{input}{ending}";
            changed.Add(entry.Line);
        }

        return (string.Join('\n', lines), changed);
    }

    /// <summary>Gives back every line <see cref="Wrap"/> wrapped, byte for byte; other lines stay as they are.</summary>
    /// <param name="text">The crontab's text.</param>
    /// <returns>The original text, and the line numbers that changed.</returns>
    public static (string Text, IReadOnlyList<int> Changed) Unwrap(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        var changed = new List<int>();
        for (var i = 0; i < lines.Length; i++)
        {
            var (line, ending) = WithoutReturn(lines[i]);
            var match = Wrapped().Match(line);
            if (match.Success)
            {
                lines[i] = match.Groups["prefix"].Value + match.Groups["command"].Value.Replace("'\\''", "'", StringComparison.Ordinal) + match.Groups["input"].Value + ending;
                changed.Add(i + 1);
            }
        }

        return (string.Join('\n', lines), changed);
    }

    /// <summary>A word the shell reads as itself: no blanks, quotes or characters it treats specially.</summary>
    private static bool IsPlain(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '+' or ':' or '@' or ',');

    private static string Quote(string command) => "'" + command.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static (string Line, string Ending) WithoutReturn(string line) =>
        line.EndsWith('\r') ? (line[..^1], "\r") : (line, string.Empty);

    /// <summary>Where the command starts: after the schedule (five fields or an @-name), the user field and the blanks after them.</summary>
    private static int CommandStart(string line, CrontabFormat format)
    {
        var at = 0;
        var words = (line.TrimStart(' ', '\t').StartsWith('@') ? 1 : 5) + (format == CrontabFormat.System ? 1 : 0);
        for (var word = 0; word < words; word++)
        {
            at = SkipBlanks(line, at);
            while (at < line.Length && line[at] is not (' ' or '\t'))
            {
                at++;
            }
        }

        return SkipBlanks(line, at);
    }

    /// <summary>The command as written up to its first unescaped <c>%</c>, and the rest from that <c>%</c> on.</summary>
    private static (string Command, string Input) SplitRaw(string raw)
    {
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\\' && i + 1 < raw.Length && raw[i + 1] == '%')
            {
                i++;
            }
            else if (raw[i] == '%')
            {
                return (raw[..i], raw[i..]);
            }
        }

        return (raw, string.Empty);
    }

    private static int SkipBlanks(string line, int at)
    {
        while (at < line.Length && line[at] is ' ' or '\t')
        {
            at++;
        }

        return at;
    }

    [GeneratedRegex(@"^(?<prefix>.*?)/(?:[^ \t']*/)?scriptmon exec [A-Za-z0-9/._+:@,-]+ -- [A-Za-z0-9/._+:@,-]+ -c '(?<command>(?:[^']|'\\'')*)'(?<input>%.*)?$")]
    private static partial Regex Wrapped();
}

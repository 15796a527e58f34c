using System.Text;
using System.Text.RegularExpressions;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Crontabs;

/// <summary>How an import reads the zone and the guards of the jobs.</summary>
/// <param name="HostTimeZone">The zone of the host's clock, which Debian's cron runs every job in (<see cref="CrontabImport.HostTimeZone"/>).</param>
/// <param name="Zone">A zone that overrides every other (<c>--zone</c>); null to follow the cron daemon.</param>
/// <param name="Daemon">The cron daemon whose reading is followed.</param>
/// <param name="AnacronInstalled">Whether anacron is installed, which makes the <c>test -x /usr/sbin/anacron || …</c> lines of <c>/etc/crontab</c> do nothing.</param>
public sealed record CrontabImportOptions(string HostTimeZone, string? Zone = null, CronDaemon Daemon = CronDaemon.Debian, bool AnacronInstalled = false)
{
    /// <summary>
    /// Script names chosen for lines, by <c>FILE:LINE</c> as the import shows them, in place of the names made up from
    /// the commands; a line already run as <c>scriptmon exec NAME</c> keeps NAME.
    /// </summary>
    public IReadOnlyDictionary<string, string> Names { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>
/// Turns the jobs of crontabs into expectations: a script name, the schedule and the zone cron runs it in, and the
/// next two times it is due. A job that cannot be expected to run at a known time is reported instead (see
/// <see cref="Guard"/>).
/// </summary>
public static partial class CrontabImport
{
    /// <summary>The most characters a made-up script name has.</summary>
    private const int MaxNameLength = 64;

    /// <summary>Words that start a step before the job's own program (a guard, a change of directory) and never name it.</summary>
    private static readonly HashSet<string> Preliminaries = new(StringComparer.Ordinal)
    {
        "cd", "test", "[", "[[", "true", ":", "sleep", "exit", "if", "then", "else", "elif", "fi", "export", "umask", "command", "which", "!", "do", "done", "while", "for", "case", "esac", "set", "source", ".",
    };

    /// <summary>Programs that run the program named after their options.</summary>
    private static readonly HashSet<string> Launchers = new(StringComparer.Ordinal)
    {
        "nice", "ionice", "nohup", "env", "chronic", "timeout", "flock", "sudo", "setsid", "stdbuf", "exec", "time", "run-one", "cronic",
    };

    /// <summary>Interpreters, named by the script they run instead.</summary>
    private static readonly HashSet<string> Interpreters = new(StringComparer.Ordinal)
    {
        "sh", "bash", "dash", "zsh", "php", "python", "python3", "perl", "ruby", "node",
    };

    private static readonly string[] ScriptExtensions = [".sh", ".bash", ".py", ".php", ".pl", ".rb", ".js"];

    /// <summary>
    /// Plans an import: what each job becomes. Nothing is written.
    /// </summary>
    /// <param name="files">The crontabs, read by <see cref="CrontabReader"/>.</param>
    /// <param name="options">The zones and the host's facts.</param>
    /// <param name="now">The instant the next due times are counted from.</param>
    /// <param name="store">Where the expectations would go, as shown to people.</param>
    /// <exception cref="ValidationException"><see cref="CrontabImportOptions.Zone"/> is not a zone (path <c>timeZone</c>).</exception>
    public static CrontabImportView Plan(IReadOnlyList<CrontabFile> files, CrontabImportOptions options, DateTimeOffset now, string store)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Zone is { } zone)
        {
            _ = new CronSchedule("@daily", zone);
        }

        var jobs = new List<CrontabImportJob>();
        var skipped = new List<CrontabSkippedJob>();
        var problems = files.SelectMany(f => f.Problems).ToList();
        var wrapped = new Dictionary<string, CrontabEntry>(StringComparer.Ordinal);
        var candidates = new List<(CrontabEntry Entry, string? Wrapper)>();
        foreach (var entry in files.SelectMany(f => f.Entries))
        {
            if (Guard(entry, options.AnacronInstalled) is { } reason)
            {
                skipped.Add(new CrontabSkippedJob(entry.File, entry.Line, entry.Schedule, entry.Command, reason));
                continue;
            }

            var wrapper = WrapperName(entry.Command);
            if (wrapper is not null && !wrapped.TryAdd(wrapper, entry))
            {
                var first = wrapped[wrapper];
                skipped.Add(new CrontabSkippedJob(entry.File, entry.Line, entry.Schedule, entry.Command, $"{first.File}:{first.Line} records under '{wrapper}' too, and one expectation holds one schedule; give the lines different names."));
                continue;
            }

            candidates.Add((entry, wrapper));
        }

        var taken = new HashSet<string>(wrapped.Keys.Concat(options.Names.Values), StringComparer.Ordinal);
        foreach (var (entry, wrapper) in candidates)
        {
            var name = wrapper
                ?? (options.Names.TryGetValue(LineKey(entry.File, entry.Line), out var chosen) ? chosen : null)
                ?? Unique(MadeUpName(entry.Command), taken);
            var jobZone = options.Zone ?? (options.Daemon == CronDaemon.Cronie ? entry.CronTimeZone : null) ?? options.HostTimeZone;
            CronSchedule schedule;
            try
            {
                schedule = new CronSchedule(entry.Schedule, jobZone);
            }
            catch (ValidationException e)
            {
                problems.Add(new CrontabProblem(entry.File, entry.Line, entry.Schedule + " " + entry.Command, $"CRON_TZ '{jobZone}' is not a time zone cron can use: {e.Message.Replace($" (Parameter '{e.ParamName}')", string.Empty, StringComparison.Ordinal)}"));
                continue;
            }

            var info = TimeZoneInfo.FindSystemTimeZoneById(jobZone);
            var next = schedule.Next(now);
            var following = next is { } n ? schedule.Next(n) : null;
            jobs.Add(new CrontabImportJob(entry.File, entry.Line, name, entry.Schedule, jobZone, InZone(next, info), InZone(following, info), entry.User, entry.Command));
        }

        problems.Sort((a, b) => (a.File, a.Line).CompareTo((b.File, b.Line)));
        return new CrontabImportView(store, false, jobs, skipped, problems);
    }

    /// <summary>A line as the import shows it and <see cref="CrontabImportOptions.Names"/> names it: <c>FILE:LINE</c>.</summary>
    /// <param name="file">The crontab, as shown.</param>
    /// <param name="line">The line number, from 1.</param>
    public static string LineKey(string file, int line) => $"{file}:{line.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Why a job is reported rather than expected, or null for a job that runs when cron runs it. A job is left out
    /// when, on most hosts, it does nothing at its time or its time cannot be known:
    /// <list type="bullet">
    /// <item><c>@reboot</c>: it runs once when the cron daemon starts;</item>
    /// <item>it tests <c>/run/systemd/system</c> (<c>-d</c> or <c>-e</c>): it is the fallback of a systemd timer and does nothing where systemd runs (certbot, e2scrub, php's session cleanup);</item>
    /// <item>it sleeps a random time first (<c>rand</c>, <c>$RANDOM</c>, <c>shuf</c> in a <c>sleep</c>): when it runs cannot be told;</item>
    /// <item>it starts with <c>test -x /usr/sbin/anacron ||</c> and anacron is installed: anacron runs those jobs instead.</item>
    /// </list>
    /// </summary>
    /// <param name="entry">The job.</param>
    /// <param name="anacronInstalled">Whether anacron is installed.</param>
    public static string? Guard(CrontabEntry entry, bool anacronInstalled)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Schedule == "@reboot")
        {
            return "cron runs an @reboot job once when the daemon starts, so there is no time at which to expect it.";
        }

        if (SystemdTest().IsMatch(entry.Command))
        {
            return "it tests /run/systemd/system: it stands in for a systemd timer and does nothing where systemd runs.";
        }

        if (RandomSleep().IsMatch(entry.Command))
        {
            return "it first sleeps a random time, so when it runs cannot be told.";
        }

        if (anacronInstalled && AnacronTest().IsMatch(entry.Command))
        {
            return "anacron is installed, so this line does nothing: anacron runs these jobs.";
        }

        return null;
    }

    /// <summary>
    /// The zone Debian's cron runs jobs in: the host's, from <c>/etc/timezone</c>, else the <c>TZ</c> of this
    /// process, else the zone .NET finds for the local clock (<c>/etc/localtime</c>); UTC when none names a zone.
    /// </summary>
    /// <param name="timezoneFile">The file that names the host's zone.</param>
    public static string HostTimeZone(string timezoneFile = "/etc/timezone")
    {
        string? fromFile = null;
        try
        {
            fromFile = File.Exists(timezoneFile) ? File.ReadLines(timezoneFile).FirstOrDefault()?.Trim() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An unreadable file names no zone; the next source does.
        }

        var tz = Environment.GetEnvironmentVariable("TZ")?.TrimStart(':');
        if (tz is not null && tz.Contains("zoneinfo/", StringComparison.Ordinal))
        {
            tz = tz[(tz.IndexOf("zoneinfo/", StringComparison.Ordinal) + "zoneinfo/".Length)..];
        }

        foreach (var candidate in new[] { fromFile, tz, TimeZoneInfo.Local.Id })
        {
            if (!string.IsNullOrWhiteSpace(candidate) && TimeZoneInfo.TryFindSystemTimeZoneById(candidate, out var found) && found.HasIanaId)
            {
                return candidate;
            }
        }

        return CronSchedule.DefaultTimeZone;
    }

    /// <summary>The NAME of a <c>scriptmon exec [options] NAME</c> on the line, or null.</summary>
    /// <param name="command">The command.</param>
    public static string? WrapperName(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var words = Words(command).ToList();
        for (var i = 0; i < words.Count; i++)
        {
            if (words[i].Separator || Path.GetFileName(words[i].Text) != "scriptmon")
            {
                continue;
            }

            var at = i + 1;
            while (at < words.Count && words[at].Text == "--database")
            {
                at += 2;
            }

            if (at >= words.Count || words[at].Text != "exec")
            {
                continue;
            }

            for (at++; at < words.Count && !words[at].Separator; at++)
            {
                var word = words[at].Text;
                if (word is "--timeout" or "--kill-after" or "--host" or "--database")
                {
                    at++;
                }
                else if (!word.StartsWith('-'))
                {
                    return word;
                }
            }
        }

        return null;
    }

    /// <summary>A readable name for a job: the program it runs (the script, for an interpreter; the directory, for run-parts), without its extension.</summary>
    /// <param name="command">The command.</param>
    public static string MadeUpName(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var simple = new List<string>();
        foreach (var word in Words(command).Append(new ShellWord(";", Separator: true)))
        {
            if (!word.Separator)
            {
                simple.Add(word.Text);
                continue;
            }

            if (Program(simple) is { } name)
            {
                return name;
            }

            simple.Clear();
        }

        return "cron-job";
    }

    private static string? Program(List<string> words)
    {
        var at = 0;
        while (at < words.Count && IsAssignment(words[at]))
        {
            at++;
        }

        if (at >= words.Count || Preliminaries.Contains(words[at]))
        {
            return null;
        }

        var program = Path.GetFileName(words[at]);
        while (Launchers.Contains(program))
        {
            // flock's first word after its options is the lock file; timeout's and nice's numbers are no program.
            var lockFile = program == "flock";
            at = SkipLauncherOptions(words, at + 1);
            if (lockFile && at < words.Count)
            {
                at = SkipLauncherOptions(words, at + 1);
            }

            if (at >= words.Count)
            {
                return null;
            }

            program = Path.GetFileName(words[at]);
        }

        var arguments = words.Skip(at + 1).Where(w => !w.StartsWith('-')).ToList();
        if (program == "run-parts" && arguments.Count > 0)
        {
            program = Path.GetFileName(arguments[^1].TrimEnd('/'));
        }
        else if (Interpreters.Contains(program) && arguments.Count > 0 && !words.Skip(at + 1).Contains("-c"))
        {
            program = Path.GetFileName(arguments[0]);
        }

        foreach (var extension in ScriptExtensions)
        {
            if (program.EndsWith(extension, StringComparison.Ordinal) && program.Length > extension.Length)
            {
                program = program[..^extension.Length];
                break;
            }
        }

        var name = Sanitize(program);
        return name.Length == 0 ? null : name;
    }

    private static int SkipLauncherOptions(List<string> words, int at)
    {
        while (at < words.Count && (words[at].StartsWith('-') || IsAssignment(words[at]) || char.IsAsciiDigit(words[at][0])))
        {
            at++;
        }

        return at;
    }

    private static string Sanitize(string text)
    {
        var name = new StringBuilder();
        foreach (var c in text)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-');
        }

        var result = name.ToString().Trim('-', '.');
        return result.Length > MaxNameLength ? result[..MaxNameLength] : result;
    }

    private static bool IsAssignment(string word)
    {
        var equals = word.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 && word[..equals].All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !char.IsAsciiDigit(word[0]);
    }

    private static string Unique(string name, HashSet<string> taken)
    {
        var candidate = name;
        for (var n = 2; !taken.Add(candidate); n++)
        {
            candidate = $"{name}-{n}";
        }

        return candidate;
    }

    private static DateTimeOffset? InZone(DateTimeOffset? instant, TimeZoneInfo zone) =>
        instant is { } value ? TimeZoneInfo.ConvertTime(value, zone) : null;

    /// <summary>The words of a shell command, quotes removed, with the operators that end a simple command as separators.</summary>
    private static IEnumerable<ShellWord> Words(string command)
    {
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < command.Length; i++)
        {
            var c = command[i];
            switch (c)
            {
                case '\'':
                    var close = command.IndexOf('\'', i + 1);
                    close = close < 0 ? command.Length : close;
                    word.Append(command.AsSpan(i + 1, close - i - 1));
                    (i, inWord) = (close, true);
                    break;
                case '"':
                    for (i++; i < command.Length && command[i] != '"'; i++)
                    {
                        if (command[i] == '\\' && i + 1 < command.Length)
                        {
                            i++;
                        }

                        word.Append(command[i]);
                    }

                    inWord = true;
                    break;
                case '\\' when i + 1 < command.Length:
                    word.Append(command[++i]);
                    inWord = true;
                    break;
                case ' ' or '\t' or '\n':
                    if (inWord)
                    {
                        yield return new ShellWord(word.ToString(), false);
                        (word, inWord) = (new StringBuilder(), false);
                    }

                    break;
                case ';' or '&' or '|' or '(' or ')' or '{' or '}' or '>' or '<':
                    if (inWord)
                    {
                        yield return new ShellWord(word.ToString(), false);
                        (word, inWord) = (new StringBuilder(), false);
                    }

                    if (c is '>' or '<')
                    {
                        // A redirection's target is no word of the command.
                        while (i + 1 < command.Length && command[i + 1] is '>' or '&' or ' ' or '\t')
                        {
                            i++;
                        }

                        while (i + 1 < command.Length && command[i + 1] is not (' ' or '\t' or ';' or '&' or '|'))
                        {
                            i++;
                        }
                    }
                    else
                    {
                        yield return new ShellWord(c.ToString(), true);
                    }

                    break;
                default:
                    word.Append(c);
                    inWord = true;
                    break;
            }
        }

        if (inWord)
        {
            yield return new ShellWord(word.ToString(), false);
        }
    }

    [GeneratedRegex(@"-[de]\s+['""]?/run/systemd/system/?['""]?(?=[\s\];)]|$)")]
    private static partial Regex SystemdTest();

    [GeneratedRegex(@"\bsleep\b[^;&|]*(\brand\b|\bRANDOM\b|\bshuf\b)")]
    private static partial Regex RandomSleep();

    [GeneratedRegex(@"^\s*(test|\[)\s+-x\s+/usr/sbin/anacron\s*\]?\s*\|\|")]
    private static partial Regex AnacronTest();

    private readonly record struct ShellWord(string Text, bool Separator);
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ScriptMonitor.Application.Configuration;
using ScriptMonitor.Application.Crontabs;
using ScriptMonitor.Application.Expectations;
using ScriptMonitor.Application.Lifecycle;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Cli.Crontabs;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Input;
using ScriptMonitor.Cli.Output;
using ScriptMonitor.Configuration;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Cli.Commands;

/// <summary>
/// <c>scriptmon crontab import</c>: reads crontabs as the host's cron does and shows, or with <c>--apply</c> sets,
/// an expectation for each job. Reading and planning are the application layer's <see cref="CrontabReader"/> and
/// <see cref="CrontabImport"/>; this command finds the crontabs, shows the plan and writes it.
/// </summary>
internal static partial class CrontabCommand
{
    internal const string Name = "crontab";

    private const string SystemCrontab = "/etc/crontab";
    private const string SystemDirectory = "/etc/cron.d";
    private const string Anacron = "/usr/sbin/anacron";

    /// <summary>The library's fields, as this command's user typed them.</summary>
    internal static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>
    {
        ["timeZone"] = "--zone",
    };

    internal static Command Create(CliContext context)
    {
        var user = new Option<string?>("--user") { Description = "Read USER's crontab (crontab -u USER -l; needs root).", HelpName = "USER" };
        var file = new Option<string?>("--file") { Description = "Read a crontab file ('-' for standard input) instead of 'crontab -l'.", HelpName = "PATH" };
        var system = new Option<bool>("--system") { Description = $"Read {SystemCrontab} and the files of {SystemDirectory}, whose lines name the user a job runs as." };
        var systemFormat = new Option<bool>("--system-format") { Description = $"With --file: its lines have a user field, as {SystemCrontab} (implied for {SystemCrontab} and files in {SystemDirectory})." };
        var zone = new Option<string?>("--zone") { Description = "The IANA time zone of every job, overriding the host's zone and CRON_TZ.", HelpName = "ZONE" };
        var cron = new Option<string?>("--cron") { Description = "The cron daemon whose reading is followed: debian (every job in the host's zone) or cronie (CRON_TZ= sets the zone). Default: cronie where only crond is installed, else debian.", HelpName = "debian|cronie" };
        var apply = new Option<bool>("--apply") { Description = "Set the expectations (without it, only show what would be set)." };
        var skipInvalid = new Option<bool>("--skip-invalid") { Description = "Import the understood lines even when some are not; without it nothing is set while any line is not understood." };
        var wrap = new Option<bool>("--wrap") { Description = "Also rewrite each imported job to run under 'scriptmon exec NAME' (with --apply; without it, show the new lines). The original is kept in --backup-dir." };
        var unwrap = new Option<bool>("--unwrap") { Description = "Give back the lines --wrap rewrote, byte for byte (with --apply; without it, show them). Sets no expectations." };
        var scriptmon = new Option<string?>("--scriptmon") { Description = "With --wrap: the absolute path cron runs scriptmon from. Default: this scriptmon's own path.", HelpName = "PATH" };
        var backupDir = new Option<string?>("--backup-dir") { Description = $"With --wrap or --unwrap: where the original of each rewritten crontab is kept; never in {CrontabFiles.SystemDirectory}. Default: {CrontabFiles.SystemBackupDirectory} for root, else ~/.local/state/scriptmon/backups.", HelpName = "DIR" };
        var names = new Option<string[]>("--name") { Description = "Name the script of a line yourself, as FILE:LINE=NAME with FILE:LINE as the LINE column shows it (repeatable).", HelpName = "FILE:LINE=NAME", Arity = ArgumentArity.ZeroOrMore };
        var json = CommonOptions.Json();
        var import = new Command("import", "Show, or with --apply set, an expectation for each job of a crontab: its schedule, the zone cron runs it in and a script name. Reads 'crontab -l' unless told otherwise.")
        {
            user, file, system, systemFormat, zone, cron, apply, skipInvalid, wrap, unwrap, scriptmon, backupDir, names, json,
        };
        import.SetAction(parse => Import(
            context,
            new Request(
                parse.GetValue(user),
                parse.GetValue(file),
                parse.GetValue(system),
                parse.GetValue(systemFormat),
                parse.GetValue(zone),
                parse.GetValue(cron),
                parse.GetValue(apply),
                parse.GetValue(skipInvalid),
                parse.GetValue(wrap),
                parse.GetValue(unwrap),
                parse.GetValue(scriptmon),
                parse.GetValue(backupDir),
                parse.GetValue(names) ?? [],
                parse.GetValue(json))));
        return new Command(Name, "Bring the jobs of crontabs under monitoring.") { import };
    }

    private static int Import(CliContext context, Request request)
    {
        if (new[] { request.User is not null, request.File is not null, request.System }.Count(s => s) > 1)
        {
            throw new UsageException("--user, --file and --system name different crontabs: give one.");
        }

        if (request.SystemFormat && request.File is null)
        {
            throw new UsageException("--system-format describes a file: give it with --file.");
        }

        if (request.Wrap && request.Unwrap)
        {
            throw new UsageException("--wrap and --unwrap exclude one another: give one.");
        }

        var rewrite = request.Wrap || request.Unwrap;
        if (rewrite && request.Json)
        {
            throw new UsageException("--json shows the import; it does not go with --wrap or --unwrap.");
        }

        if (rewrite && request.File == "-")
        {
            throw new UsageException("--file -: standard input cannot be rewritten; give the crontab's path, --user or --system.");
        }

        if (!request.Wrap && request.Scriptmon is not null)
        {
            throw new UsageException("--scriptmon is the path --wrap writes: give it with --wrap.");
        }

        if (!rewrite && request.BackupDir is not null)
        {
            throw new UsageException("--backup-dir keeps what --wrap and --unwrap rewrite: give it with one of them.");
        }

        var daemon = request.Cron switch
        {
            null => File.Exists("/usr/sbin/crond") && !File.Exists("/usr/sbin/cron") ? CronDaemon.Cronie : CronDaemon.Debian,
            "debian" => CronDaemon.Debian,
            "cronie" => CronDaemon.Cronie,
            _ => throw new UsageException($"--cron must be debian or cronie (got '{request.Cron}')."),
        };
        var scriptmon = request.Wrap ? ScriptmonPath(request.Scriptmon) : null;
        var backups = rewrite ? CrontabFiles.CheckBackupDirectory(request.BackupDir ?? CrontabFiles.DefaultBackupDirectory()) : null;
        var chosen = ChosenNames(request.Names);
        if (request.Unwrap && chosen.Count > 0)
        {
            throw new UsageException("--name names the scripts of an import; it does not go with --unwrap.");
        }

        var options = new CrontabImportOptions(CrontabImport.HostTimeZone(), request.Zone, daemon, File.Exists(Anacron)) { Names = chosen };
        var sources = Read(request);
        if (request.Unwrap)
        {
            return Rewrite(context, sources, null, null, request.Apply, backups!);
        }

        var services = context.Services;
        var plan = CrontabImport.Plan([.. sources.Select(s => s.File)], options, context.Time.GetUtcNow(), services.Location.ToString());
        CheckChosenNames(chosen, plan);
        plan = plan with { Jobs = CheckRecording(plan.Jobs, sources, request, services.Location) };
        var blocked = plan.Problems.Count > 0 && !request.SkipInvalid;
        if (request.Apply && !blocked)
        {
            var expectations = services.Expectations;
            var applied = plan.Jobs
                .Select(job => job with { Change = CliContext.Await(expectations.SetAsync(job.Name, new ExpectationPatch(Cron: job.Schedule, TimeZone: job.TimeZone))).Change })
                .ToList();
            plan = plan with { Applied = true, Jobs = applied };
        }

        var status = blocked ? ExitCodes.Usage : ExitCodes.Ok;
        if (request.Json)
        {
            WriteProblems(context, plan, blocked, request.Apply, rewrite);
            return Json.Write(context, plan, ViewJsonContext.Default.CrontabImportView, status);
        }

        Write(context, plan);
        WriteProblems(context, plan, blocked, request.Apply, rewrite);
        if (request.Wrap && !blocked)
        {
            return Rewrite(context, sources, plan, scriptmon, request.Apply, backups!);
        }

        return status;
    }

    /// <summary>The names of <c>--name FILE:LINE=NAME</c>, by FILE:LINE, each checked by the rules of a script's name.</summary>
    private static Dictionary<string, string> ChosenNames(string[] given)
    {
        var chosen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var text in given)
        {
            var match = NameOption().Match(text);
            if (!match.Success)
            {
                throw new UsageException($"--name must be FILE:LINE=NAME, with FILE:LINE as the LINE column shows it (got '{text}').");
            }

            var line = match.Groups["line"].Value;
            string name;
            try
            {
                name = RunValidation.ScriptName(match.Groups["name"].Value, "--name");
            }
            catch (ValidationException e)
            {
                throw new UsageException($"{e.Message.Split(" (Parameter", 2)[0]} (in '{text}')");
            }

            if (!chosen.TryAdd(line, name))
            {
                throw new UsageException($"--name names {line} twice; give one name for each line.");
            }
        }

        if (chosen.GroupBy(c => c.Value, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new UsageException($"--name gives '{twice.Key}' to {string.Join(" and ", twice.Select(c => c.Key))}; one expectation holds one schedule, so give the lines different names.");
        }

        return chosen;
    }

    /// <summary>Every <c>--name</c> names a line the import turns into an expectation, and no name another line has.</summary>
    private static void CheckChosenNames(Dictionary<string, string> chosen, CrontabImportView plan)
    {
        foreach (var (line, name) in chosen)
        {
            var job = plan.Jobs.FirstOrDefault(j => CrontabImport.LineKey(j.File, j.Line) == line);
            if (job is null)
            {
                var skipped = plan.Skipped.FirstOrDefault(j => CrontabImport.LineKey(j.File, j.Line) == line);
                throw new UsageException(skipped is not null
                    ? $"--name {line}={name}: that line is skipped ({skipped.Reason.TrimEnd('.')}), so it gets no name."
                    : $"--name {line}={name}: {line} is no job of this import; name a line as the LINE column shows it ({string.Join(", ", plan.Jobs.Take(3).Select(j => CrontabImport.LineKey(j.File, j.Line)))}{(plan.Jobs.Count > 3 ? ", …" : string.Empty)}).");
            }

            if (job.Name != name)
            {
                throw new UsageException($"--name {line}={name}: that line already runs under 'scriptmon exec {job.Name}', and its runs are recorded under that name; change the name on the line itself.");
            }

            if (plan.Jobs.FirstOrDefault(j => j.Name == name && j != job) is { } other)
            {
                throw new UsageException($"--name {line}={name}: {CrontabImport.LineKey(other.File, other.Line)} records under '{name}' already; one expectation holds one schedule, so choose another name.");
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<line>.+:[0-9]+)=(?<name>.*)$", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex NameOption();

    /// <summary>
    /// For each job whose user is known (a system crontab's user field, <c>--user</c>, or this user's own crontab):
    /// the store that user records into, read from their configuration and the crontab's variables as the job would
    /// read them, and why the job's runs would not meet the expectation when that store is another one or one they
    /// may not write.
    /// </summary>
    private static List<CrontabImportJob> CheckRecording(IReadOnlyList<CrontabImportJob> jobs, List<Source> sources, Request request, MonitorLocation expectations)
    {
        var entries = sources.SelectMany(s => s.File.Entries).ToDictionary(e => CrontabImport.LineKey(e.File, e.Line));
        var defaultUser = request.User ?? (request.File is null && !request.System ? Environment.UserName : null);
        var accounts = new Dictionary<string, UserAccount?>(StringComparer.Ordinal);
        var checkedJobs = new List<CrontabImportJob>(jobs.Count);
        foreach (var job in jobs)
        {
            var entry = entries[CrontabImport.LineKey(job.File, job.Line)];
            if ((entry.User ?? defaultUser) is not { } name)
            {
                checkedJobs.Add(job);
                continue;
            }

            if (!accounts.TryGetValue(name, out var user))
            {
                accounts[name] = user = UserStores.Find(name);
            }

            if (user is null)
            {
                checkedJobs.Add(job with { RecordingProblem = $"there is no user '{name}' on this host, so cron will not run this job." });
                continue;
            }

            MonitorLocation records;
            try
            {
                records = MonitorLocator.ResolveFor(UserStores.Environment(user, entry.Variables));
            }
            catch (ConfigurationException e)
            {
                checkedJobs.Add(job with { RecordingProblem = $"where {name} records cannot be told: {e.Message}" });
                continue;
            }

            var problem = records.ToString() != expectations.ToString()
                ? $"{name} records into {records} ({DbCommand.SourceText(records.Source)}), not into {expectations} where the expectation goes, so this job's runs would never meet it; name one store for every user in the system configuration file {StoreLocator.SystemConfigFilePathFrom(Environment.GetEnvironmentVariable)} (install.sh --system writes it), or set SCRIPTMON_DATABASE= at the top of the crontab."
                : UserStores.WriteProblem(user, records);
            checkedJobs.Add(job with { RecordsTo = records.ToString(), RecordingProblem = problem });
        }

        return checkedJobs;
    }

    /// <summary>
    /// Wraps (with a plan) or unwraps each crontab: shows the lines that would change, or with <paramref name="apply"/>
    /// saves the original and writes the new text.
    /// </summary>
    private static int Rewrite(CliContext context, List<Source> sources, CrontabImportView? plan, string? scriptmon, bool apply, string backups)
    {
        var output = context.Terminal.Out;
        var verb = plan is null ? "unwrap" : "wrap";
        foreach (var source in sources)
        {
            var (text, changed) = plan is null
                ? CrontabWrapping.Unwrap(source.Text)
                : CrontabWrapping.Wrap(
                    source.Text,
                    source.Format,
                    plan.Jobs.Where(j => j.File == source.File.Path).ToDictionary(j => j.Line, j => j.Name),
                    scriptmon!);
            if (changed.Count == 0)
            {
                output.WriteLine($"{source.File.Path}: nothing to {verb}.");
                continue;
            }

            var lines = string.Join(", ", changed.Select(n => n.ToString(CultureInfo.InvariantCulture)));
            if (!apply)
            {
                output.WriteLine($"{source.File.Path}: would {verb} line{(changed.Count == 1 ? string.Empty : "s")} {lines}:");
                var newLines = text.Split('\n');
                foreach (var number in changed)
                {
                    output.WriteLine($"  {number.ToString(CultureInfo.InvariantCulture)}: {newLines[number - 1].TrimEnd('\r')}");
                }

                continue;
            }

            var replacement = CrontabFiles.Encode(text, source.Encoding);
            var backup = CrontabFiles.Backup(backups, source.File.Path, source.Bytes, context.Time.GetUtcNow());
            if (source.UserArguments is { } user)
            {
                CrontabFiles.InstallUserCrontab(user, source.Bytes, replacement);
            }
            else
            {
                CrontabFiles.Replace(source.Path!, source.Bytes, replacement);
            }

            output.WriteLine($"{source.File.Path}: {verb}ped line{(changed.Count == 1 ? string.Empty : "s")} {lines} (the original is kept in {backup}).");
        }

        if (!apply)
        {
            context.Terminal.Error.WriteLine($"scriptmon: no crontab was changed; give --apply to {verb} these lines.");
        }

        return ExitCodes.Ok;
    }

    /// <summary>The absolute path cron runs scriptmon from: given, or this program's own when it is scriptmon itself.</summary>
    private static string ScriptmonPath(string? given)
    {
        if (given is not null)
        {
            return Path.IsPathFullyQualified(given) && Path.GetFileName(given) == "scriptmon"
                ? given
                : throw new UsageException($"--scriptmon must be the absolute path of the scriptmon program, such as /usr/local/bin/scriptmon (got '{given}').");
        }

        var own = Environment.ProcessPath;
        return own is not null && Path.GetFileName(own) == "scriptmon"
            ? own
            : throw new UsageException($"--wrap needs the path cron runs scriptmon from: this scriptmon runs as '{own}', so give --scriptmon PATH.");
    }

    private static List<Source> Read(Request request)
    {
        if (request.System)
        {
            if (!File.Exists(SystemCrontab) && !Directory.Exists(SystemDirectory))
            {
                throw new ConfigurationException($"there is neither {SystemCrontab} nor {SystemDirectory} on this host; give a crontab with --file.");
            }

            var files = File.Exists(SystemCrontab) ? [ReadFile(SystemCrontab, CrontabFormat.System)] : new List<Source>();
            if (Directory.Exists(SystemDirectory))
            {
                // cron reads only the files whose names run-parts would run: letters, digits, '_' and '-'.
                files.AddRange(Directory.EnumerateFiles(SystemDirectory)
                    .Where(path => Path.GetFileName(path).All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                    .Order(StringComparer.Ordinal)
                    .Select(path => ReadFile(path, CrontabFormat.System)));
            }

            return files;
        }

        if (request.File is { } path)
        {
            var format = request.SystemFormat || path == SystemCrontab || Path.GetDirectoryName(Path.GetFullPath(path)) == SystemDirectory
                ? CrontabFormat.System
                : CrontabFormat.User;
            return [path == "-" ? Parse("(stdin)", ReadStandardInput(), format, null, null) : ReadFile(path, format)];
        }

        var arguments = request.User is { } user ? new[] { "-u", user } : [];
        var label = "crontab " + string.Join(' ', arguments.Append("-l"));
        return [Parse(label, CrontabFiles.ListUserCrontab(arguments), CrontabFormat.User, null, arguments)];
    }

    private static Source ReadFile(string path, CrontabFormat format)
    {
        try
        {
            return Parse(path, File.ReadAllBytes(path), format, path, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"the crontab {path} cannot be read: {e.Message}");
        }
    }

    private static Source Parse(string label, byte[] bytes, CrontabFormat format, string? path, string[]? userArguments)
    {
        var (text, encoding) = CrontabFiles.Decode(bytes);
        return new Source(CrontabReader.Read(label, text, format), bytes, text, encoding, format, path, userArguments);
    }

    private static byte[] ReadStandardInput()
    {
        using var input = Console.OpenStandardInput();
        using var bytes = new MemoryStream();
        input.CopyTo(bytes);
        return bytes.ToArray();
    }

    private static void Write(CliContext context, CrontabImportView plan)
    {
        var output = context.Terminal.Out;
        if (plan.Jobs.Count == 0)
        {
            output.WriteLine("No jobs to import.");
        }
        else
        {
            var headers = new List<string> { "LINE", "NAME", "SCHEDULE", "ZONE", "NEXT", "THEN", "USER", "STORE", "RECORDS" };
            if (plan.Applied)
            {
                headers.Add("CHANGE");
            }

            var table = new Table([.. headers]);
            foreach (var job in plan.Jobs)
            {
                var cells = new List<(string, Tint)>
                {
                    ($"{job.File}:{job.Line.ToString(CultureInfo.InvariantCulture)}", Tint.None),
                    (job.Name, Tint.Bold),
                    (job.Schedule, Tint.None),
                    (job.TimeZone, Tint.None),
                    (Time(job.NextDue), Tint.None),
                    (Time(job.FollowingDue), Tint.None),
                    (job.User ?? "-", Tint.None),
                    (plan.Store, Tint.None),
                    Recording(job, plan.Store),
                };
                if (plan.Applied)
                {
                    cells.Add((job.Change ?? "-", job.Change == "unchanged" ? Tint.Dim : Tint.Good));
                }

                table.Add([.. cells]);
            }

            table.Write(context.Terminal);
        }

        foreach (var skip in plan.Skipped)
        {
            output.WriteLine($"skipped {skip.File}:{skip.Line.ToString(CultureInfo.InvariantCulture)} ({skip.Schedule}): {skip.Reason}");
        }

        foreach (var job in plan.Jobs.Where(j => j.RecordingProblem is not null))
        {
            output.WriteLine($"warning {job.File}:{job.Line.ToString(CultureInfo.InvariantCulture)} ({job.Name}): {job.RecordingProblem}");
        }
    }

    /// <summary>
    /// Whether the job's runs reach the expectation's store: <c>here</c>; <c>elsewhere</c> (its user records into another
    /// store); <c>denied</c> (its user may not write this one); <c>unknown</c> (where cannot be told); <c>-</c> (its
    /// user is not known).
    /// </summary>
    private static (string, Tint) Recording(CrontabImportJob job, string store) => job switch
    {
        { RecordsTo: null, RecordingProblem: null } => ("-", Tint.Dim),
        { RecordingProblem: null } => ("here", Tint.Good),
        { RecordsTo: null } => ("unknown", Tint.Bad),
        { RecordsTo: { } to } when to == store => ("denied", Tint.Bad),
        _ => ("elsewhere", Tint.Bad),
    };

    private static void WriteProblems(CliContext context, CrontabImportView plan, bool blocked, bool apply, bool rewrite)
    {
        foreach (var problem in plan.Problems)
        {
            context.Terminal.Error.WriteLine($"scriptmon: {problem.File}:{problem.Line.ToString(CultureInfo.InvariantCulture)}: not understood: {problem.Reason}");
        }

        if (blocked)
        {
            context.Terminal.Error.WriteLine($"scriptmon: {(apply ? "nothing was set" : "nothing would be set")}{(rewrite ? " or rewritten" : string.Empty)}: {CountText(plan.Problems.Count)} not understood; fix {(plan.Problems.Count == 1 ? "it" : "them")} or give --skip-invalid to import the rest.");
        }
        else if (!apply && !rewrite && plan.Jobs.Count > 0)
        {
            context.Terminal.Error.WriteLine("scriptmon: nothing was set; give --apply to set these expectations.");
        }
    }

    private static string CountText(int count) => count == 1 ? "1 line is" : $"{count.ToString(CultureInfo.InvariantCulture)} lines are";

    private static string Time(DateTimeOffset? time) => time?.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) ?? "-";

    private sealed record Request(
        string? User,
        string? File,
        bool System,
        bool SystemFormat,
        string? Zone,
        string? Cron,
        bool Apply,
        bool SkipInvalid,
        bool Wrap,
        bool Unwrap,
        string? Scriptmon,
        string? BackupDir,
        string[] Names,
        bool Json);

    /// <summary>A crontab as read: its bytes and text, and how to write it back (a file, or a user's crontab through crontab(1)).</summary>
    private sealed record Source(CrontabFile File, byte[] Bytes, string Text, Encoding Encoding, CrontabFormat Format, string? Path, string[]? UserArguments);
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ScriptMonitor.Application.Crontabs;
using ScriptMonitor.Application.Expectations;
using ScriptMonitor.Application.Lifecycle;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Cli.Crontabs;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Input;
using ScriptMonitor.Cli.Output;
using ScriptMonitor.Configuration;

namespace ScriptMonitor.Cli.Commands;

/// <summary>
/// <c>scriptmon crontab import</c>: reads crontabs as the host's cron does and shows, or with <c>--apply</c> sets,
/// an expectation for each job. Reading and planning are the application layer's <see cref="CrontabReader"/> and
/// <see cref="CrontabImport"/>; this command finds the crontabs, shows the plan and writes it.
/// </summary>
internal static class CrontabCommand
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
        var json = CommonOptions.Json();
        var import = new Command("import", "Show, or with --apply set, an expectation for each job of a crontab: its schedule, the zone cron runs it in and a script name. Reads 'crontab -l' unless told otherwise.")
        {
            user, file, system, systemFormat, zone, cron, apply, skipInvalid, wrap, unwrap, scriptmon, backupDir, json,
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
        var options = new CrontabImportOptions(CrontabImport.HostTimeZone(), request.Zone, daemon, File.Exists(Anacron));
        var sources = Read(request);
        if (request.Unwrap)
        {
            return Rewrite(context, sources, null, null, request.Apply, backups!);
        }

        var services = context.Services;
        var plan = CrontabImport.Plan([.. sources.Select(s => s.File)], options, context.Time.GetUtcNow(), services.Location.ToString());
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
            var headers = new List<string> { "LINE", "NAME", "SCHEDULE", "ZONE", "NEXT", "THEN", "USER", "STORE" };
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
    }

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
        bool Json);

    /// <summary>A crontab as read: its bytes and text, and how to write it back (a file, or a user's crontab through crontab(1)).</summary>
    private sealed record Source(CrontabFile File, byte[] Bytes, string Text, Encoding Encoding, CrontabFormat Format, string? Path, string[]? UserArguments);
}

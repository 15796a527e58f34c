using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ScriptMonitor.Application.Crontabs;
using ScriptMonitor.Application.Expectations;
using ScriptMonitor.Application.Lifecycle;
using ScriptMonitor.Application.Views;
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
        var user = new Option<string?>("--user") { Description = "Read USER's crontab (crontab -l -u USER; needs root).", HelpName = "USER" };
        var file = new Option<string?>("--file") { Description = "Read a crontab file ('-' for standard input) instead of 'crontab -l'.", HelpName = "PATH" };
        var system = new Option<bool>("--system") { Description = $"Read {SystemCrontab} and the files of {SystemDirectory}, whose lines name the user a job runs as." };
        var systemFormat = new Option<bool>("--system-format") { Description = $"With --file: its lines have a user field, as {SystemCrontab} (implied for {SystemCrontab} and files in {SystemDirectory})." };
        var zone = new Option<string?>("--zone") { Description = "The IANA time zone of every job, overriding the host's zone and CRON_TZ.", HelpName = "ZONE" };
        var cron = new Option<string?>("--cron") { Description = "The cron daemon whose reading is followed: debian (every job in the host's zone) or cronie (CRON_TZ= sets the zone). Default: cronie where only crond is installed, else debian.", HelpName = "debian|cronie" };
        var apply = new Option<bool>("--apply") { Description = "Set the expectations (without it, only show what would be set)." };
        var skipInvalid = new Option<bool>("--skip-invalid") { Description = "Import the understood lines even when some are not; without it nothing is set while any line is not understood." };
        var json = CommonOptions.Json();
        var import = new Command("import", "Show, or with --apply set, an expectation for each job of a crontab: its schedule, the zone cron runs it in and a script name. Reads 'crontab -l' unless told otherwise.")
        {
            user, file, system, systemFormat, zone, cron, apply, skipInvalid, json,
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

        var daemon = request.Cron switch
        {
            null => File.Exists("/usr/sbin/crond") && !File.Exists("/usr/sbin/cron") ? CronDaemon.Cronie : CronDaemon.Debian,
            "debian" => CronDaemon.Debian,
            "cronie" => CronDaemon.Cronie,
            _ => throw new UsageException($"--cron must be debian or cronie (got '{request.Cron}')."),
        };
        var options = new CrontabImportOptions(CrontabImport.HostTimeZone(), request.Zone, daemon, File.Exists(Anacron));
        var files = Read(request);
        var services = context.Services;
        var plan = CrontabImport.Plan(files, options, context.Time.GetUtcNow(), services.Location.ToString());
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
            WriteProblems(context, plan, blocked, request.Apply);
            return Json.Write(context, plan, ViewJsonContext.Default.CrontabImportView, status);
        }

        Write(context, plan);
        WriteProblems(context, plan, blocked, request.Apply);
        return status;
    }

    private static List<CrontabFile> Read(Request request)
    {
        if (request.System)
        {
            if (!File.Exists(SystemCrontab) && !Directory.Exists(SystemDirectory))
            {
                throw new ConfigurationException($"there is neither {SystemCrontab} nor {SystemDirectory} on this host; give a crontab with --file.");
            }

            var files = File.Exists(SystemCrontab) ? [ReadFile(SystemCrontab, CrontabFormat.System)] : new List<CrontabFile>();
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
            return [path == "-" ? CrontabReader.Read("(stdin)", ReadStandardInput(), format) : ReadFile(path, format)];
        }

        var arguments = request.User is { } user ? new[] { "-l", "-u", user } : ["-l"];
        var label = "crontab " + string.Join(' ', arguments);
        return [CrontabReader.Read(label, Crontab(arguments, label), CrontabFormat.User)];
    }

    private static CrontabFile ReadFile(string path, CrontabFormat format)
    {
        try
        {
            return CrontabReader.Read(path, File.ReadAllText(path), format);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"the crontab {path} cannot be read: {e.Message}");
        }
    }

    private static string ReadStandardInput()
    {
        using var input = Console.OpenStandardInput();
        using var reader = new StreamReader(input, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>The text <c>crontab -l</c> prints; a user without a crontab has an empty one.</summary>
    private static string Crontab(string[] arguments, string label)
    {
        var start = new ProcessStartInfo("crontab") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ConfigurationException($"'{label}' did not start.");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new ConfigurationException($"'{label}' cannot be run: there is no crontab program on the PATH (is cron installed?); give the crontab with --file instead.");
        }

        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            var problem = error.GetAwaiter().GetResult().Trim();
            if (process.ExitCode == 0)
            {
                return text;
            }

            return problem.StartsWith("no crontab for ", StringComparison.Ordinal)
                ? string.Empty
                : throw new ConfigurationException($"'{label}' failed (exit {process.ExitCode.ToString(CultureInfo.InvariantCulture)}): {CliContext.OneLine(problem)}");
        }
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

    private static void WriteProblems(CliContext context, CrontabImportView plan, bool blocked, bool apply)
    {
        foreach (var problem in plan.Problems)
        {
            context.Terminal.Error.WriteLine($"scriptmon: {problem.File}:{problem.Line.ToString(CultureInfo.InvariantCulture)}: not understood: {problem.Reason}");
        }

        if (blocked)
        {
            context.Terminal.Error.WriteLine($"scriptmon: {(apply ? "nothing was set" : "nothing would be set")}: {CountText(plan.Problems.Count)} not understood; fix {(plan.Problems.Count == 1 ? "it" : "them")} or give --skip-invalid to import the rest.");
        }
        else if (!apply && plan.Jobs.Count > 0)
        {
            context.Terminal.Error.WriteLine("scriptmon: nothing was set; give --apply to set these expectations.");
        }
    }

    private static string CountText(int count) => count == 1 ? "1 line is" : $"{count.ToString(CultureInfo.InvariantCulture)} lines are";

    private static string Time(DateTimeOffset? time) => time?.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) ?? "-";

    private sealed record Request(string? User, string? File, bool System, bool SystemFormat, string? Zone, string? Cron, bool Apply, bool SkipInvalid, bool Json);
}

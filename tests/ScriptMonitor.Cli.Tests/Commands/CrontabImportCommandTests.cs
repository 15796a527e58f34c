using System.Globalization;
using System.Text.RegularExpressions;
using ScriptMonitor.Cli.Tests.Support;

namespace ScriptMonitor.Cli.Tests.Commands;

/// <summary>
/// scriptmon crontab import as an operator runs it: a dry run that shows each job, --apply that sets the
/// expectations, and a crontab with a line cron would not read, which sets nothing.
/// </summary>
public sealed partial class CrontabImportCommandTests : IDisposable
{
    private const string Crontab = """
        # m h dom mon dow command
        MAILTO=ops@example.com
        SHELL=/bin/bash
        30 2 * * *  /usr/local/bin/scriptmon exec --lock nightly-backup -- /opt/backup.sh
        */15 * * * * cd /srv/app && php artisan queue:prune%now
        @reboot /usr/local/bin/warm-cache

        """;

    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void A_dry_run_shows_each_job_with_its_next_two_due_times_and_writes_nothing()
    {
        var crontab = Write("jobs", Crontab);

        var result = _sandbox.Run("crontab", "import", "--file", crontab, "--zone", "Europe/Berlin");

        Assert.True(result.ExitCode == 0, result.ToString());
        var rows = Rows(result.Stdout);
        Assert.Equal(["LINE", "NAME", "SCHEDULE", "ZONE", "NEXT", "THEN", "USER", "STORE", "RECORDS"], Header(result.Stdout));
        Assert.Equal([$"{crontab}:4", $"{crontab}:5"], rows.Select(r => r["LINE"]));
        Assert.Equal(["nightly-backup", "artisan"], rows.Select(r => r["NAME"]));
        Assert.All(rows, r => Assert.Equal("Europe/Berlin", r["ZONE"]));
        Assert.All(rows, r => Assert.True(DateTimeOffset.Parse(r["NEXT"], CultureInfo.InvariantCulture) < DateTimeOffset.Parse(r["THEN"], CultureInfo.InvariantCulture), r["NEXT"]));
        Assert.All(rows, r => Assert.Matches(IsoWithOffset(), r["NEXT"]));
        Assert.Contains($"skipped {crontab}:6 (@reboot)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("give --apply", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_sandbox.Database), "a dry run created the store");
    }

    [Fact]
    public void Apply_sets_each_expectation_with_its_schedule_and_zone_and_a_second_import_changes_nothing()
    {
        var crontab = Write("jobs", Crontab);

        var first = _sandbox.Run("crontab", "import", "--file", crontab, "--zone", "America/Chicago", "--apply");
        var again = _sandbox.Run("crontab", "import", "--file", crontab, "--zone", "America/Chicago", "--apply", "--json");
        var backup = _sandbox.Run("expect", "nightly-backup", "--show");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(["set", "set"], Rows(first.Stdout).Select(r => r["CHANGE"]));
        Assert.Equal("at '30 2 * * *' (America/Chicago)", backup.Field("schedule"));
        Assert.True(again.ExitCode == 0, again.ToString());
        var json = again.Json();
        Assert.True(json.GetProperty("applied").GetBoolean());
        Assert.All(json.GetProperty("jobs").EnumerateArray(), job => Assert.Equal("unchanged", job.GetProperty("change").GetString()));
        var artisan = json.GetProperty("jobs")[1];
        Assert.Equal("cd /srv/app && php artisan queue:prune", artisan.GetProperty("command").GetString());
        Assert.Matches(IsoWithOffset(), artisan.GetProperty("nextDue").GetString());
        Assert.Equal("cron runs an @reboot job once when the daemon starts, so there is no time at which to expect it.", json.GetProperty("skipped")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public void A_line_cron_would_not_read_is_named_by_file_and_line_and_nothing_is_set_unless_skip_invalid_is_given()
    {
        var crontab = Write("broken", "0 1 * * * /bin/first\n0 25 * * * /bin/late\n0 2 * * * /bin/second\n");

        var refused = _sandbox.Run("crontab", "import", "--file", crontab, "--apply");
        var nothing = File.Exists(_sandbox.Database);
        var skipped = _sandbox.Run("crontab", "import", "--file", crontab, "--apply", "--skip-invalid");

        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains($"scriptmon: {crontab}:2: not understood: the schedule '0 25 * * *' is not a cron schedule: the hour field '25' has 25, but hours go from 0 to 23.", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was set: 1 line is not understood", refused.Stderr, StringComparison.Ordinal);
        Assert.False(nothing, "a refused import created the store");
        Assert.True(skipped.ExitCode == 0, skipped.ToString());
        Assert.Equal(["first", "second"], Rows(skipped.Stdout).Select(r => r["NAME"]));
        Assert.Equal("0 1 * * * /bin/first\n0 25 * * * /bin/late\n0 2 * * * /bin/second\n", File.ReadAllText(crontab));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_system_crontab_on_standard_input_and_a_users_crontab_from_the_crontab_program_are_read()
    {
        // A stand-in for crontab(1) that answers 'crontab -u www-data -l' and knows no other user's crontab.
        var bin = Directory.CreateDirectory(_sandbox.File("bin")).FullName;
        var fake = Path.Combine(bin, "crontab");
        File.WriteAllText(fake, "#!/bin/sh\nif [ \"$*\" = '-u www-data -l' ]; then printf '*/5 * * * * php /srv/www/cron.php\\n'; exit 0; fi\necho \"no crontab for $2\" >&2\nexit 1\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var stdin = await _sandbox.RunThroughShellAsync("printf '17 * * * * root cd / && run-parts --report /etc/cron.hourly\\n' | \"$@\"", "crontab", "import", "--file", "-", "--system-format", "--zone", "UTC");
        var user = await _sandbox.RunThroughShellAsync($"PATH='{bin}':$PATH \"$@\"", "crontab", "import", "--user", "www-data", "--zone", "UTC");
        var none = await _sandbox.RunThroughShellAsync($"PATH='{bin}':$PATH \"$@\"", "crontab", "import", "--user", "nobody", "--zone", "UTC");

        Assert.True(stdin.ExitCode == 0, stdin.ToString());
        var hourly = Assert.Single(Rows(stdin.Stdout));
        Assert.Equal(("(stdin):1", "cron.hourly", "root"), (hourly["LINE"], hourly["NAME"], hourly["USER"]));
        Assert.True(user.ExitCode == 0, user.ToString());
        var cron = Assert.Single(Rows(user.Stdout));
        Assert.Equal(("crontab -u www-data -l:1", "cron", "*/5 * * * *"), (cron["LINE"], cron["NAME"], cron["SCHEDULE"]));
        Assert.True(none.ExitCode == 0, none.ToString());
        Assert.Equal("No jobs to import.", none.Stdout.Trim());
    }

    [Fact]
    public void An_unknown_zone_is_refused_naming_zone()
    {
        var crontab = Write("jobs", Crontab);

        var result = _sandbox.Run("crontab", "import", "--file", crontab, "--zone", "Mars/Olympus");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("scriptmon: error: --zone must be an IANA time zone such as Europe/Berlin ('Mars/Olympus' is not known).", result.Stderr.Trim());
    }

    private string Write(string name, string text)
    {
        var path = _sandbox.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    internal static string[] Header(string stdout) => Columns(stdout.Split('\n')[0]);

    /// <summary>The table's rows by column; cells hold no two spaces in a row, so two spaces separate them.</summary>
    internal static List<Dictionary<string, string>> Rows(string stdout)
    {
        var lines = stdout.Split('\n');
        var header = Columns(lines[0]);
        return lines.Skip(1)
            .TakeWhile(line => line.Length > 0 && !line.StartsWith("skipped ", StringComparison.Ordinal) && !line.StartsWith("warning ", StringComparison.Ordinal))
            .Select(line => header.Zip(Columns(line)).ToDictionary(pair => pair.First, pair => pair.Second))
            .ToList();
    }

    private static string[] Columns(string line) => Gap().Split(line.Trim());

    [GeneratedRegex("  +")]
    private static partial Regex Gap();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")]
    private static partial Regex IsoWithOffset();
}

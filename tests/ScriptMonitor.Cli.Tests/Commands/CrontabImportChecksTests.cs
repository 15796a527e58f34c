using ScriptMonitor.Cli.Tests.Support;

namespace ScriptMonitor.Cli.Tests.Commands;

/// <summary>
/// What crontab import checks for each job besides its schedule: whether the job's user records into the store the
/// expectation goes to (<c>RECORDS</c>, <c>recordsTo</c>, <c>recordingProblem</c>), and the names an operator
/// chooses with <c>--name FILE:LINE=NAME</c>.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Collection(InstallScript.Collection)]
public sealed class CrontabImportChecksTests : IDisposable
{
    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void A_job_whose_user_records_elsewhere_is_flagged_with_the_fix_and_one_whose_crontab_names_the_store_is_not()
    {
        var user = Environment.UserName;
        var crontab = Write("jobs", $"0 1 * * * {user} /opt/nightly.sh\nSCRIPTMON_DATABASE={_sandbox.Database}\n0 2 * * * {user} /opt/hourly.sh\n");

        var table = _sandbox.Run("crontab", "import", "--file", crontab, "--system-format", "--zone", "UTC");
        var json = _sandbox.Run("crontab", "import", "--file", crontab, "--system-format", "--zone", "UTC", "--json").Json();

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Equal(["elsewhere", "here"], CrontabImportCommandTests.Rows(table.Stdout).Select(r => r["RECORDS"]));
        var warning = Assert.Single(table.Stdout.Split('\n'), l => l.StartsWith("warning ", StringComparison.Ordinal));
        Assert.StartsWith($"warning {crontab}:1 (nightly): {user} records into sqlite:", warning, StringComparison.Ordinal);
        Assert.Contains($"(the default), not into sqlite:{_sandbox.Database} where the expectation goes", warning, StringComparison.Ordinal);
        Assert.Contains("install.sh --system", warning, StringComparison.Ordinal);
        var jobs = json.GetProperty("jobs");
        Assert.Contains("/.local/share/scriptmon/scriptmon.db", jobs[0].GetProperty("recordsTo").GetString(), StringComparison.Ordinal);
        Assert.Contains("would never meet it", jobs[0].GetProperty("recordingProblem").GetString(), StringComparison.Ordinal);
        Assert.Equal($"sqlite:{_sandbox.Database}", jobs[1].GetProperty("recordsTo").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, jobs[1].GetProperty("recordingProblem").ValueKind);
    }

    [Fact]
    public void A_user_crontab_read_from_a_file_has_no_known_user_and_is_not_checked()
    {
        var crontab = Write("mine", "0 1 * * * /opt/nightly.sh\n");

        var result = _sandbox.Run("crontab", "import", "--file", crontab, "--zone", "UTC");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("-", Assert.Single(CrontabImportCommandTests.Rows(result.Stdout))["RECORDS"]);
        Assert.DoesNotContain("warning ", result.Stdout, StringComparison.Ordinal);
    }

    [RootFact]
    public void A_user_outside_the_shared_stores_group_is_denied_with_the_usermod_fix_until_install_adds_them()
    {
        using var install = new InstallScript();
        var programs = install.Programs();
        Assert.True(install.Run("--system", "--from", programs).ExitCode == 0);
        _sandbox.Database = string.Empty;
        _sandbox.Variables["SCRIPTMON_SYSTEM_CONFIG"] = install.ConfigFile;
        var crontab = Write("jobs", "*/5 * * * * nobody /opt/sync.sh\n");

        var before = _sandbox.Run("crontab", "import", "--file", crontab, "--system-format", "--zone", "UTC");
        var infoBefore = _sandbox.Run("db", "info", "--user", "nobody");
        Assert.True(install.Run("--system", "--from", programs, "--member", "nobody").ExitCode == 0);
        var after = _sandbox.Run("crontab", "import", "--file", crontab, "--system-format", "--zone", "UTC");
        var infoAfter = _sandbox.Run("db", "info", "--user", "nobody", "--json");

        Assert.True(before.ExitCode == 0, before.ToString());
        Assert.Equal("denied", Assert.Single(CrontabImportCommandTests.Rows(before.Stdout))["RECORDS"]);
        Assert.Contains($"nobody may not enter {install.StoreDirectory} (mode 2770, root:{install.Group}, and nobody is not in the group {install.Group})", before.Stdout, StringComparison.Ordinal);
        Assert.Contains($"usermod -aG {install.Group} nobody", before.Stdout, StringComparison.Ordinal);
        Assert.True(infoBefore.ExitCode == 0, infoBefore.ToString());
        Assert.Equal($"sqlite:{install.StoreDirectory}/scriptmon.db", infoBefore.Field("store"));
        Assert.Equal("the system configuration file", infoBefore.Field("chosen by"));
        Assert.Equal("no", infoBefore.Field("may write"));
        Assert.Contains("taken as unset", infoBefore.Field("assumed"), StringComparison.Ordinal);
        Assert.Equal("here", Assert.Single(CrontabImportCommandTests.Rows(after.Stdout))["RECORDS"]);
        Assert.True(infoAfter.Json().GetProperty("mayWrite").GetBoolean(), infoAfter.ToString());
        Assert.Equal("nobody", infoAfter.Json().GetProperty("user").GetString());
    }

    [Fact]
    public void Db_info_for_a_user_the_host_does_not_know_is_refused_naming_user()
    {
        var result = _sandbox.Run("db", "info", "--user", "no-such-user-here");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("scriptmon: error: --user: there is no user 'no-such-user-here' on this host.", result.Stderr.Trim());
    }

    [Fact]
    public void Names_chosen_with_name_are_the_expectations_names_and_a_made_up_name_steps_aside()
    {
        var crontab = Write("jobs", "0 1 * * * /opt/backup.sh\n0 2 * * * /opt/report.sh\n");

        var result = _sandbox.Run("crontab", "import", "--file", crontab, "--zone", "UTC", "--apply", "--name", $"{crontab}:1=report", "--name", $"{crontab}:2=weekly-report");
        var list = _sandbox.Run("expect", "--list", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["report", "weekly-report"], CrontabImportCommandTests.Rows(result.Stdout).Select(r => r["NAME"]));
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("weekly-report", list.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\"backup\"", list.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_for_a_line_that_is_no_job_or_runs_under_its_own_name_or_twice_is_refused_and_nothing_is_set()
    {
        var crontab = Write("jobs", "0 1 * * * /opt/backup.sh\n@reboot /opt/warm.sh\n0 3 * * * /usr/local/bin/scriptmon exec cleanup -- /opt/clean.sh\n");

        var noLine = _sandbox.Run("crontab", "import", "--file", crontab, "--apply", "--name", $"{crontab}:9=x");
        var skipped = _sandbox.Run("crontab", "import", "--file", crontab, "--apply", "--name", $"{crontab}:2=warm");
        var wrapped = _sandbox.Run("crontab", "import", "--file", crontab, "--apply", "--name", $"{crontab}:3=tidy");
        var taken = _sandbox.Run("crontab", "import", "--file", crontab, "--apply", "--name", $"{crontab}:1=cleanup");
        var malformed = _sandbox.Run("crontab", "import", "--file", crontab, "--apply", "--name", "backup");

        Assert.Equal(2, noLine.ExitCode);
        Assert.StartsWith($"scriptmon: error: --name {crontab}:9=x: {crontab}:9 is no job of this import", noLine.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, skipped.ExitCode);
        Assert.Contains("that line is skipped (cron runs an @reboot job once", skipped.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, wrapped.ExitCode);
        Assert.Contains("already runs under 'scriptmon exec cleanup'", wrapped.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, taken.ExitCode);
        Assert.Contains($"{crontab}:3 records under 'cleanup' already", taken.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, malformed.ExitCode);
        Assert.Equal("scriptmon: error: --name must be FILE:LINE=NAME, with FILE:LINE as the LINE column shows it (got 'backup').", malformed.Stderr.Trim());
        Assert.False(File.Exists(_sandbox.Database), "a refused import created the store");
    }

    private string Write(string name, string text)
    {
        var path = _sandbox.File(name);
        File.WriteAllText(path, text);
        return path;
    }
}

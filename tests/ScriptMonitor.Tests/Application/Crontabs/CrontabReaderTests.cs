using ScriptMonitor.Application.Crontabs;

namespace ScriptMonitor.Tests.Application.Crontabs;

/// <summary>A crontab read line by line as Debian's cron reads it (crontab(5)).</summary>
public sealed class CrontabReaderTests
{
    [Fact]
    public void Percent_ends_the_command_and_the_rest_is_standard_input_with_escaped_percents_kept()
    {
        var file = CrontabReader.Read("t", "0 5 * * * mailer --date \"$(date +\\%F)\" --subject '50\\% off'%line one%line two\n", CrontabFormat.User);

        var entry = Assert.Single(file.Entries);
        Assert.Equal("mailer --date \"$(date +%F)\" --subject '50% off'", entry.Command);
        Assert.Equal("line one\nline two", entry.Input);
    }

    [Fact]
    public void Variables_apply_to_the_lines_after_them_quotes_and_blanks_around_the_equals_sign_included()
    {
        var file = CrontabReader.Read("t", "0 1 * * * a\nSHELL = \"/bin/bash\"\n  CRON_TZ='Europe/Paris'\n0 2 * * * b\n", CrontabFormat.User);

        Assert.Equal([("/bin/sh", null), ("/bin/bash", "Europe/Paris")], file.Entries.Select(e => (e.Shell, e.CronTimeZone)));
    }

    [Fact]
    public void Each_job_has_the_variables_set_before_it_with_the_last_value_of_each()
    {
        var file = CrontabReader.Read("t", "0 1 * * * a\nSCRIPTMON_DATABASE=/one.db\nMAILTO=ops\n0 2 * * * b\nSCRIPTMON_DATABASE = \"/two.db\"\n0 3 * * * c\n", CrontabFormat.User);

        Assert.Equal(
            ["", "MAILTO=ops SCRIPTMON_DATABASE=/one.db", "MAILTO=ops SCRIPTMON_DATABASE=/two.db"],
            file.Entries.Select(e => string.Join(' ', e.Variables.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value}"))));
    }

    [Fact]
    public void The_user_field_of_a_system_crontab_is_read_and_its_absence_is_a_problem()
    {
        var file = CrontabReader.Read("/etc/cron.d/x", "@daily www-data /usr/bin/php /srv/cron.php\n@hourly\tpostgres\n", CrontabFormat.System);

        var entry = Assert.Single(file.Entries);
        Assert.Equal(("@daily", "www-data", "/usr/bin/php /srv/cron.php"), (entry.Schedule, entry.User, entry.Command));
        var problem = Assert.Single(file.Problems);
        Assert.Equal(2, problem.Line);
        Assert.Equal("it has a schedule but no command.", problem.Reason);
    }

    [Theory]
    [InlineData("61 * * * * /bin/true", "the schedule '61 * * * *' is not a cron schedule: the minute field '61' has 61, but minutes go from 0 to 59.")]
    [InlineData("* * * * /bin/true", "the day-of-week field '/bin/true'")]
    [InlineData("* * *", "this line has 3 words")]
    [InlineData("@every_minute /bin/true", "'@every_minute' is not one of cron's @-names")]
    [InlineData("@DAILY /bin/true", "'@DAILY' is not one of cron's @-names")]
    [InlineData("0 0 30 2 * /bin/true", "never fires")]
    [InlineData("0 0 * * mon-sun /bin/true", "runs backwards")]
    public void A_line_cron_would_not_read_is_a_problem_with_its_file_and_line_number(string line, string reason)
    {
        var file = CrontabReader.Read("/home/ops/jobs", $"# jobs\n\n{line}\n0 1 * * * /bin/fine\n", CrontabFormat.User);

        var problem = Assert.Single(file.Problems);
        Assert.Equal(("/home/ops/jobs", 3, line), (problem.File, problem.Line, problem.Text));
        Assert.Contains(reason, problem.Reason, StringComparison.Ordinal);
        Assert.Equal("/bin/fine", Assert.Single(file.Entries).Command);
    }

    [Fact]
    public void Comments_blank_lines_and_a_missing_final_newline_are_fine()
    {
        var file = CrontabReader.Read("t", "  # indented comment\n\t\n\n*/5 * * * * /bin/true", CrontabFormat.User);

        Assert.Equal(4, Assert.Single(file.Entries).Line);
        Assert.Empty(file.Problems);
    }
}

using ScriptMonitor.Application.Crontabs;

namespace ScriptMonitor.Tests.Application.Crontabs;

/// <summary>Wrapping the jobs of real crontabs under scriptmon exec, and unwrapping them again.</summary>
public sealed class CrontabWrappingTests
{
    private const string Scriptmon = "/usr/local/bin/scriptmon";

    private static readonly DateTimeOffset Now = new(2026, 3, 27, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, CrontabFormat> Fixtures => new()
    {
        { "debian-crontab", CrontabFormat.System },
        { "sysstat", CrontabFormat.System },
        { "certbot", CrontabFormat.System },
        { "php", CrontabFormat.System },
        { "e2scrub_all", CrontabFormat.System },
        { "hard-cases", CrontabFormat.User },
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Wrap_then_unwrap_gives_back_the_original_bytes_and_wrapping_twice_is_wrapping_once(string fixture, CrontabFormat format)
    {
        var text = Read(fixture);

        var wrapped = Wrap(fixture, text, format);
        var again = Wrap(fixture, wrapped, format);
        var (unwrapped, _) = CrontabWrapping.Unwrap(wrapped);

        Assert.Equal(wrapped, again);
        Assert.Equal(text, unwrapped);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Importing_a_wrapped_crontab_gives_the_same_jobs_as_the_original(string fixture, CrontabFormat format)
    {
        var text = Read(fixture);
        var options = new CrontabImportOptions("Europe/Berlin");

        var before = CrontabImport.Plan([CrontabReader.Read(fixture, text, format)], options, Now, "store");
        var after = CrontabImport.Plan([CrontabReader.Read(fixture, Wrap(fixture, text, format), format)], options, Now, "store");

        Assert.Equal(
            before.Jobs.Select(j => (j.Line, j.Name, j.Schedule, j.TimeZone, j.NextDue, j.FollowingDue, j.User)),
            after.Jobs.Select(j => (j.Line, j.Name, j.Schedule, j.TimeZone, j.NextDue, j.FollowingDue, j.User)));
        Assert.Equal(before.Skipped.Select(s => (s.Line, s.Reason)), after.Skipped.Select(s => (s.Line, s.Reason)));
    }

    [Fact]
    public void The_whole_command_runs_under_the_crontabs_shell_and_the_percent_input_stays_outside_the_quotes()
    {
        const string Text = "SHELL=/bin/bash\n17 *\t* * *\troot\tcd / && run-parts --report /etc/cron.hourly\n0 5 * * * root mailer --date \"$(date +\\%F)\" --subject 'it''s 50\\% off'%line one%line two\r\n";

        var (wrapped, changed) = CrontabWrapping.Wrap(Text, CrontabFormat.System, new Dictionary<int, string> { [2] = "cron.hourly", [3] = "mailer" }, Scriptmon);

        Assert.Equal([2, 3], changed);
        Assert.Equal(
            "SHELL=/bin/bash\n"
            + "17 *\t* * *\troot\t/usr/local/bin/scriptmon exec cron.hourly -- /bin/bash -c 'cd / && run-parts --report /etc/cron.hourly'\n"
            + "0 5 * * * root /usr/local/bin/scriptmon exec mailer -- /bin/bash -c 'mailer --date \"$(date +\\%F)\" --subject '\\''it'\\'''\\''s 50\\% off'\\'''%line one%line two\r\n",
            wrapped);
        Assert.Equal(Text, CrontabWrapping.Unwrap(wrapped).Text);
    }

    [Fact]
    public void Unwrap_leaves_a_wrapper_the_operator_wrote_as_it_is()
    {
        const string Text = "0 3 * * * /usr/local/bin/scriptmon exec --lock nightly -- /opt/backup.sh\n";

        Assert.Equal((Text, 0), (CrontabWrapping.Unwrap(Text).Text, CrontabWrapping.Unwrap(Text).Changed.Count));
    }

    [Theory]
    [InlineData("scriptmon")]
    [InlineData("/usr/bin/dotnet")]
    [InlineData("/opt/my tools/scriptmon")]
    public void Scriptmon_must_be_an_absolute_path_cron_can_run(string path) =>
        Assert.Throws<ArgumentException>(() => CrontabWrapping.Wrap("@daily x\n", CrontabFormat.User, new Dictionary<int, string> { [1] = "x" }, path));

    private static string Wrap(string fixture, string text, CrontabFormat format)
    {
        var plan = CrontabImport.Plan([CrontabReader.Read(fixture, text, format)], new CrontabImportOptions("UTC"), Now, "store");
        return CrontabWrapping.Wrap(text, format, plan.Jobs.ToDictionary(j => j.Line, j => j.Name), Scriptmon).Text;
    }

    private static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Application", "Crontabs", "Fixtures", name));
}

using System.Globalization;
using ScriptMonitor.Application.Crontabs;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Tests.Application.Crontabs;

/// <summary>
/// Crontabs as Debian's packages install them and hand-written hard cases, imported at a fixed instant. Every due
/// time below was worked out by hand from crontab(5) and cron(8), not by the library that computes them.
/// </summary>
public sealed class CrontabImportTests
{
    /// <summary>A Friday, 12:00 UTC (13:00 in Berlin, two days before it changes to summer time).</summary>
    private static readonly DateTimeOffset Now = new(2026, 3, 27, 12, 0, 0, TimeSpan.Zero);

    private const string Store = "/var/lib/scriptmon/scriptmon.db";

    [Fact]
    public void Debians_etc_crontab_without_anacron_is_four_jobs_in_the_hosts_zone_named_after_their_directories()
    {
        var plan = Plan([Fixture("debian-crontab", CrontabFormat.System)], new CrontabImportOptions("Europe/Berlin"));

        // 13:00 CET now; summer time (CEST, +02:00) starts on Sunday the 29th at 02:00.
        AssertJobs(
            plan,
            ("debian-crontab:18", "cron.hourly", "17 * * * *", "2026-03-27T13:17:00+01:00", "2026-03-27T14:17:00+01:00"),
            ("debian-crontab:19", "cron.daily", "25 6 * * *", "2026-03-28T06:25:00+01:00", "2026-03-29T06:25:00+02:00"),
            ("debian-crontab:20", "cron.weekly", "47 6 * * 7", "2026-03-29T06:47:00+02:00", "2026-04-05T06:47:00+02:00"),
            ("debian-crontab:21", "cron.monthly", "52 6 1 * *", "2026-04-01T06:52:00+02:00", "2026-05-01T06:52:00+02:00"));
        Assert.All(plan.Jobs, job => Assert.Equal("root", job.User));
        Assert.All(plan.Jobs, job => Assert.Equal("Europe/Berlin", job.TimeZone));
        Assert.Equal("cd / && run-parts --report /etc/cron.hourly", plan.Jobs[0].Command);
        Assert.Empty(plan.Skipped);
        Assert.Empty(plan.Problems);
    }

    [Fact]
    public void Where_anacron_is_installed_the_daily_weekly_and_monthly_lines_of_etc_crontab_are_reported_not_expected()
    {
        var plan = Plan([Fixture("debian-crontab", CrontabFormat.System)], new CrontabImportOptions("UTC", AnacronInstalled: true));

        AssertJobs(plan, ("debian-crontab:18", "cron.hourly", "17 * * * *", "2026-03-27T12:17:00+00:00", "2026-03-27T13:17:00+00:00"));
        Assert.Equal([19, 20, 21], plan.Skipped.Select(s => s.Line));
        Assert.All(plan.Skipped, s => Assert.Contains("anacron is installed", s.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void The_cron_d_files_of_certbot_php_and_e2scrub_stand_in_for_systemd_timers_and_are_reported_sysstat_is_expected()
    {
        var plan = Plan(
            [
                Fixture("certbot", CrontabFormat.System),
                Fixture("e2scrub_all", CrontabFormat.System),
                Fixture("php", CrontabFormat.System),
                Fixture("sysstat", CrontabFormat.System),
            ],
            new CrontabImportOptions("UTC"));

        // sysstat: minutes 5, 15, …, 55 of every hour; and 23:59 every day. Both run debian-sa1, so the second is -2.
        AssertJobs(
            plan,
            ("sysstat:6", "debian-sa1", "5-55/10 * * * *", "2026-03-27T12:05:00+00:00", "2026-03-27T12:15:00+00:00"),
            ("sysstat:9", "debian-sa1-2", "59 23 * * *", "2026-03-27T23:59:00+00:00", "2026-03-28T23:59:00+00:00"));
        Assert.Equal(["certbot:17", "e2scrub_all:1", "e2scrub_all:2", "php:14"], plan.Skipped.Select(s => $"{s.File}:{s.Line}"));
        Assert.All(plan.Skipped, s => Assert.Contains("/run/systemd/system", s.Reason, StringComparison.Ordinal));
        Assert.Empty(plan.Problems);
    }

    [Fact]
    public void A_random_sleep_before_the_work_is_reported_even_without_a_systemd_test()
    {
        var file = CrontabReader.Read("renew", "0 */12 * * * perl -e 'sleep int(rand(43200))' && certbot -q renew\n17 3 * * * sleep $((RANDOM \\% 600)); /usr/local/bin/sync\n", CrontabFormat.User);

        var plan = Plan([file], new CrontabImportOptions("UTC"));

        Assert.Empty(plan.Jobs);
        Assert.All(plan.Skipped, s => Assert.Equal("it first sleeps a random time, so when it runs cannot be told.", s.Reason));
        Assert.Equal(2, plan.Skipped.Count);
    }

    [Fact]
    public void Hard_cases_follow_crontab_5_steps_ranges_names_both_day_fields_percent_and_existing_wrappers()
    {
        var plan = Plan([Fixture("hard-cases", CrontabFormat.User)], new CrontabImportOptions("UTC"));

        AssertJobs(
            plan,
            // Hours 9, 13 and 17 on weekdays, minutes 0, 20, 40: Friday 13:00 and 13:20.
            ("hard-cases:4", "poll-queue", "*/20 9-17/4 * * mon-fri", "2026-03-27T13:00:00+00:00", "2026-03-27T13:20:00+00:00"),
            // Both day fields restricted: the 1st, the 15th or any Friday. Wednesday April 1st, then Friday April 3rd.
            ("hard-cases:5", "report", "30 4 1,15 * 5", "2026-04-01T04:30:00+00:00", "2026-04-03T04:30:00+00:00"),
            // 7 is Sunday: the 29th and April 5th.
            ("hard-cases:6", "weekly-rotate", "0 0 * * 7", "2026-03-29T00:00:00+00:00", "2026-04-05T00:00:00+00:00"),
            // Day-of-month starts with '*', so both fields must match: odd days that are Mondays (April 13th and 27th).
            ("hard-cases:7", "odd-mondays", "0 0 */2 * 1", "2026-04-13T00:00:00+00:00", "2026-04-27T00:00:00+00:00"),
            ("hard-cases:9", "mailer", "0 5 * * *", "2026-03-28T05:00:00+00:00", "2026-03-29T05:00:00+00:00"),
            ("hard-cases:11", "invoices", "@monthly", "2026-04-01T00:00:00+00:00", "2026-05-01T00:00:00+00:00"),
            // Saturdays of March and April at 10:15, names in any case.
            ("hard-cases:12", "sync_users", "15 10 * MAR-apr SAT", "2026-03-28T10:15:00+00:00", "2026-04-04T10:15:00+00:00"),
            ("hard-cases:13", "backup", "0 3 * * *", "2026-03-28T03:00:00+00:00", "2026-03-29T03:00:00+00:00"),
            ("hard-cases:14", "backup-2", "0 4 * * *", "2026-03-28T04:00:00+00:00", "2026-03-29T04:00:00+00:00"));
        var reboot = Assert.Single(plan.Skipped);
        Assert.Equal(10, reboot.Line);
        Assert.Contains("@reboot", reboot.Reason, StringComparison.Ordinal);
        Assert.Empty(plan.Problems);
    }

    [Fact]
    public void Debians_cron_ignores_CRON_TZ_cronie_honours_it_and_zone_overrides_both()
    {
        var file = Fixture("hard-cases", CrontabFormat.User);

        var debian = Plan([file], new CrontabImportOptions("UTC"));
        var cronie = Plan([file], new CrontabImportOptions("UTC", Daemon: CronDaemon.Cronie));
        var zone = Plan([file], new CrontabImportOptions("UTC", Zone: "Asia/Tokyo", Daemon: CronDaemon.Cronie));

        Assert.Equal("UTC", debian.Jobs[0].TimeZone);
        // 08:00 in New York (EDT, -04:00 since March 8th): the 9 o'clock run is next.
        Assert.Equal("America/New_York", cronie.Jobs[0].TimeZone);
        Assert.Equal(("2026-03-27T09:00:00-04:00", "2026-03-27T09:20:00-04:00"), (Text(cronie.Jobs[0].NextDue), Text(cronie.Jobs[0].FollowingDue)));
        // 21:00 in Tokyo on Friday: the next weekday 9 o'clock is Monday's.
        Assert.Equal("Asia/Tokyo", zone.Jobs[0].TimeZone);
        Assert.Equal("2026-03-30T09:00:00+09:00", Text(zone.Jobs[0].NextDue));
    }

    [Fact]
    public void A_fixed_time_job_in_the_hour_skipped_by_the_change_to_summer_time_runs_right_after_it()
    {
        var file = CrontabReader.Read("night", "30 2 * * * /usr/local/bin/nightly\n", CrontabFormat.User);

        var plan = CrontabImport.Plan([file], new CrontabImportOptions("Europe/Berlin"), new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.Zero), Store);

        // 02:30 does not exist on March 29th in Berlin; cron(8) runs a fixed-time job skipped by a change of less
        // than 3 hours as soon as the clock reads 03:00 CEST.
        var job = Assert.Single(plan.Jobs);
        Assert.Equal(("2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"), (Text(job.NextDue), Text(job.FollowingDue)));
    }

    [Fact]
    public void An_unknown_zone_is_refused_naming_the_zone_and_nothing_is_planned()
    {
        var e = Assert.Throws<ValidationException>(() => Plan([Fixture("sysstat", CrontabFormat.System)], new CrontabImportOptions("UTC", Zone: "Mars/Olympus")));

        Assert.Equal("timeZone", e.ParamName);
        Assert.Contains("'Mars/Olympus' is not known", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_CRON_TZ_cronie_cannot_use_makes_that_line_a_problem()
    {
        var file = CrontabReader.Read("tz", "CRON_TZ=Nowhere/City\n0 1 * * * /bin/true\n", CrontabFormat.User);

        var plan = Plan([file], new CrontabImportOptions("UTC", Daemon: CronDaemon.Cronie));

        Assert.Empty(plan.Jobs);
        var problem = Assert.Single(plan.Problems);
        Assert.Equal(2, problem.Line);
        Assert.Contains("CRON_TZ 'Nowhere/City'", problem.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/usr/local/bin/scriptmon exec nightly -- /opt/backup.sh", "nightly")]
    [InlineData("scriptmon --database /var/lib/s.db exec --timeout 2h --host db1 --lock nightly -- sh -c 'x'", "nightly")]
    [InlineData("/opt/backup.sh", null)]
    [InlineData("echo scriptmon", null)]
    public void The_name_of_an_existing_wrapper_is_kept(string command, string? name) =>
        Assert.Equal(name, CrontabImport.WrapperName(command));

    [Theory]
    [InlineData("cd / && run-parts --report /etc/cron.hourly", "cron.hourly")]
    [InlineData("test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }", "cron.daily")]
    [InlineData("PATH=/opt/bin:$PATH LANG=C /opt/bin/rotate-logs.sh --all", "rotate-logs")]
    [InlineData("php /var/www/app/artisan schedule:run >> /dev/null 2>&1", "artisan")]
    [InlineData("timeout 5m sh /opt/jobs/purge.sh", "purge")]
    [InlineData("bash -c 'do-things'", "bash")]
    [InlineData("[ -x /usr/lib/php/sessionclean ] && /usr/lib/php/sessionclean", "sessionclean")]
    [InlineData("\"/opt/My Jobs/nightly export.sh\"", "nightly-export")]
    [InlineData("cd /srv", "cron-job")]
    public void A_job_without_a_wrapper_is_named_after_what_it_runs(string command, string name) =>
        Assert.Equal(name, CrontabImport.MadeUpName(command));

    [Fact]
    public void A_chosen_name_replaces_the_made_up_one_and_a_made_up_name_that_it_takes_steps_aside()
    {
        var file = CrontabReader.Read("t", "0 1 * * * /opt/backup.sh\n0 2 * * * /opt/report.sh\n0 3 * * * /opt/report.sh --weekly\n", CrontabFormat.User);

        var plan = Plan([file], new CrontabImportOptions("UTC") { Names = new Dictionary<string, string> { [CrontabImport.LineKey("t", 1)] = "report" } });

        Assert.Equal(["report", "report-2", "report-3"], plan.Jobs.Select(j => j.Name));
    }

    private static CrontabImportView Plan(IReadOnlyList<CrontabFile> files, CrontabImportOptions options) =>
        CrontabImport.Plan(files, options, Now, Store);

    private static CrontabFile Fixture(string name, CrontabFormat format) =>
        CrontabReader.Read(name, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Application", "Crontabs", "Fixtures", name)), format);

    private static void AssertJobs(CrontabImportView plan, params (string Where, string Name, string Schedule, string Next, string Then)[] expected) =>
        Assert.Equal(
            expected,
            plan.Jobs.Select(j => ($"{j.File}:{j.Line}", j.Name, j.Schedule, Text(j.NextDue), Text(j.FollowingDue))).ToArray());

    private static string Text(DateTimeOffset? time) => time!.Value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}

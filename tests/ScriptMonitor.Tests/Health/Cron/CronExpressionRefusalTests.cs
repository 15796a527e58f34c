using ScriptMonitor.Runs;
using ScriptMonitor.Health;

namespace ScriptMonitor.Tests.Health.Cron;

/// <summary>What cron would refuse, read otherwise, or never run is refused with a sentence naming the field and the rule.</summary>
public sealed class CronExpressionRefusalTests
{
    public static TheoryData<string, string> Refused => new()
    {
        { "", "must be a cron schedule such as '30 2 * * *' or '@daily'; it is empty" },
        { "   ", "it is empty" },
        { "30 2 * *", "has 4 fields, but a cron schedule has 5: minute, hour, day-of-month, month and day-of-week" },
        { "0 30 2 * * *", "Cron has no seconds field" },
        { "30 2 * * * /usr/local/bin/backup", "Cron has no seconds field, and neither the user name of a line in /etc/crontab nor the command" },
        { "30 2 * * * root /usr/local/bin/backup", "The command is not part of the schedule" },
        { "60 * * * *", "the minute field '60' has 60, but minutes go from 0 to 59" },
        { "0 24 * * *", "the hour field '24' has 24, but hours go from 0 to 23" },
        { "0 0 0 * *", "the day-of-month field '0' has 0, but days of the month go from 1 to 31" },
        { "0 0 * 13 *", "the month field '13' has 13, but months go from 1 to 12" },
        { "0 0 * * 8", "the day-of-week field '8' has 8, but days of the week go from 0 to 7 (0 and 7 are Sunday)" },
        { "0 0 * * 99999999999", "the day-of-week field '99999999999' has 99999999999" },
        { "5/10 * * * *", "the minute field '5/10' has '5/10', a step after a single value; cron takes a step only after a range or '*' (write '5-59/10' or '*/10')" },
        { "*/0 * * * *", "the minute field '*/0' has the step '/0'; a step is a whole number of 1 or more" },
        { "*/ * * * *", "has the step '/'" },
        { "0 22-2 * * *", "the hour field '22-2' has the range '22-2', which runs backwards (22 to 2); cron matches nothing for it (write '22-23,0-2')" },
        { "0 0 * * sat-sun", "the day-of-week field 'sat-sun' has the range 'sat-sun', which runs backwards (6 to 0); cron matches nothing for it (write '6-7')" },
        { "0 0 1- * *", "has a range with a missing end" },
        { "1,,2 * * * *", "the minute field '1,,2' has an empty entry in its list" },
        { "0 0 1, * *", "has an empty entry in its list" },
        { "jan * * * *", "the minute field 'jan' has 'jan', but it takes numbers only" },
        { "0 0 * * monday", "the day-of-week field 'monday' has 'monday', which is neither a number nor one of the names sun, mon, tue, wed, thu, fri, sat" },
        { "0 0 L * *", "belong to Quartz-style schedulers, not to cron" },
        { "0 0 15W * *", "belong to Quartz-style schedulers, not to cron" },
        { "0 0 ? * MON", "the day-of-month field '?' has '?', which cron does not understand ('?', 'L', 'W' and '#' belong to Quartz-style schedulers, not to cron)" },
        { "0 0 * * MON#2", "belong to Quartz-style schedulers" },
        { "0 0 * * 1.5", "has '.', which cron does not understand" },
        { "@reboot", "'@reboot' is not a schedule: cron runs an @reboot job once when the cron daemon starts" },
        { "@DAILY", "cron knows @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly and @reboot, in lower case" },
        { "@fortnightly", "cron knows @yearly" },
        { "@daily /usr/local/bin/backup", "has more than the schedule: give only '@daily'" },
        { "0 0 30 2 *", "'0 0 30 2 *' never fires: no month of the month field '2' has a day of the day-of-month field '30'" },
        { "0 0 31 4,6,9,11 *", "never fires: no month of the month field '4,6,9,11' has a day of the day-of-month field '31'" },
        { "0 0 30,31 feb *", "never fires" },
        { "0 0 31 2 */2", "never fires" },
        // February 29th when it is a Sunday: the day-of-week field starts with '*', so both must match.
        { "0 0 29 2 */7", "fires too rarely: because the day-of-week field starts with '*', cron runs it only on days that match both the day-of-month field '29' and the day-of-week field '*/7'" },
        { "0 0 */31 2 1", "fires too rarely: because the day-of-month field starts with '*'" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void An_expression_cron_would_not_run_as_written_is_refused_naming_the_field_and_the_rule(string expression, string message)
    {
        var error = Assert.Throws<ValidationException>(() => Schedule.Cron(expression));

        Assert.Equal("expression", error.ParamName);
        Assert.Equal(("expression", FieldRules.CronExpression), (error.Errors.Single().Path, error.Errors[0].Rule));
        Assert.StartsWith("expression", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0 0 30 2 *")]
    [InlineData("0 0 29 2 */7")]
    public void A_schedule_that_does_not_fire_within_the_horizon_names_the_rule(string expression)
    {
        var error = Assert.Throws<ValidationException>(() => Schedule.Cron(expression));

        Assert.Contains("A schedule must fire at least once in every 2,922 days (8 years, the longest wait for a February 29th).", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    // February 29th, with or without a weekday that widens it.
    [InlineData("0 0 29 2 *")]
    [InlineData("0 0 29 2 mon")]
    [InlineData("0 0 29 feb */1")]
    // One of the months has the day.
    [InlineData("0 0 31 2,3 *")]
    [InlineData("0 0 30 2 1")]
    // The first Monday of each month, written the usual (AND) way: frequent enough.
    [InlineData("0 0 */7 * 1")]
    [InlineData("0 0 1-7 * */7")]
    public void A_schedule_that_fires_at_least_once_in_8_years_is_accepted(string expression)
    {
        Assert.NotNull(Schedule.Cron(expression).Next(DateTimeOffset.UnixEpoch));
    }

    [Theory]
    [InlineData("0 2 * * *", "Mars/Olympus_Mons", "must be an IANA time zone such as Europe/Berlin ('Mars/Olympus_Mons' is not known)")]
    [InlineData("0 2 * * *", " ", "must be an IANA time zone such as Europe/Berlin; it is empty")]
    [InlineData("0 2 * * *", "Europe/", "'Europe/' is not a time zone that can be read")]
    public void An_unknown_time_zone_is_refused_naming_it(string expression, string zone, string message)
    {
        var error = Assert.Throws<ValidationException>(() => Schedule.Cron(expression, zone));

        Assert.Equal("timeZone", error.ParamName);
        Assert.Equal(("timeZone", FieldRules.TimeZone), (error.Errors.Single().Path, error.Errors[0].Rule));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_schedule_stored_before_the_rules_comes_back_with_its_problem_and_cannot_be_evaluated()
    {
        var stored = CronSchedule.Restore("0 0 30 2 *", "UTC");

        Assert.Equal("0 0 30 2 *", stored.Expression);
        Assert.Contains("never fires", stored.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", stored.Problem, StringComparison.Ordinal);
        var error = Assert.Throws<InvalidOperationException>(() => stored.Previous(DateTimeOffset.UnixEpoch));
        Assert.Contains("The stored schedule at '0 0 30 2 *' (UTC) cannot be evaluated: it never fires: no month of the month field '2'", error.Message, StringComparison.Ordinal);
        Assert.Null(CronSchedule.Restore("30 2 * * *", "Europe/Berlin").Problem);
        Assert.NotNull(CronSchedule.Restore("0 30 2 * * *", "UTC").Problem);
        Assert.NotNull(CronSchedule.Restore("30 2 * * *", "Mars/Olympus_Mons").Problem);
    }
}

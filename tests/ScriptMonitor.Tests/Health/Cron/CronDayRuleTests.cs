using ScriptMonitor.Health;
using static ScriptMonitor.Tests.Health.Cron.Occurrences;

namespace ScriptMonitor.Tests.Health.Cron;

/// <summary>
/// What each field means, in UTC so that no clock change is involved. Every table is worked out from crontab(5) and
/// a calendar: 2026-01-01 is a Thursday, 2026-02-01 a Sunday, 2026-06-01 a Monday.
/// </summary>
public sealed class CronDayRuleTests
{
    [Theory]
    // crontab(5): "30 4 1,15 * 5" runs on the 1st and 15th of each month and on every Friday.
    [InlineData("30 4 1,15 * 5", "2025-12-31 12:00", "2026-01-01 04:30, 2026-01-02 04:30, 2026-01-09 04:30, 2026-01-15 04:30, 2026-01-16 04:30, 2026-01-23 04:30, 2026-01-30 04:30, 2026-02-01 04:30, 2026-02-06 04:30")]
    // Days 1 to 7, and every Monday: not only the first Monday.
    [InlineData("0 0 1-7 * 1", "2025-12-31 12:00", "2026-01-01 00:00, 2026-01-02 00:00, 2026-01-03 00:00, 2026-01-04 00:00, 2026-01-05 00:00, 2026-01-06 00:00, 2026-01-07 00:00, 2026-01-12 00:00, 2026-01-19 00:00, 2026-01-26 00:00, 2026-02-01 00:00, 2026-02-02 00:00")]
    // A list and a range in one field, either day field.
    [InlineData("0 6 1,10-12 * sun", "2026-01-01 12:00", "2026-01-04 06:00, 2026-01-10 06:00, 2026-01-11 06:00, 2026-01-12 06:00, 2026-01-18 06:00")]
    // Steps without a leading '*': days 1, 16 and 31, or any Monday.
    [InlineData("0 0 1-31/15 * mon", "2026-01-01 12:00", "2026-01-05 00:00, 2026-01-12 00:00, 2026-01-16 00:00, 2026-01-19 00:00, 2026-01-26 00:00, 2026-01-31 00:00, 2026-02-01 00:00, 2026-02-02 00:00")]
    // The same days with a leading '*': days 1, 16 and 31 that are Mondays.
    [InlineData("0 0 */15 * mon", "2026-01-01 12:00", "2026-02-16 00:00, 2026-03-16 00:00, 2026-06-01 00:00")]
    // Day-of-month '*': every Monday.
    [InlineData("0 0 * * 1", "2026-01-01 12:00", "2026-01-05 00:00, 2026-01-12 00:00, 2026-01-19 00:00")]
    // Day-of-week '*': only the days of the month.
    [InlineData("0 0 1,15 * *", "2026-01-01 12:00", "2026-01-15 00:00, 2026-02-01 00:00, 2026-02-15 00:00")]
    // Day-of-week '*/3' starts with '*': Sundays, Wednesdays and Saturdays among days 1 to 10.
    [InlineData("0 0 1-10 * */3", "2026-01-01 12:00", "2026-01-03 00:00, 2026-01-04 00:00, 2026-01-07 00:00, 2026-01-10 00:00, 2026-02-01 00:00, 2026-02-04 00:00")]
    // What counts is the first character of the field: '*,15' starts with '*' (Mondays only), '15,*' does not (every day).
    [InlineData("0 12 *,15 * 1", "2026-01-01 00:00", "2026-01-05 12:00, 2026-01-12 12:00")]
    [InlineData("0 12 15,* * 1", "2026-01-01 00:00", "2026-01-01 12:00, 2026-01-02 12:00, 2026-01-03 12:00")]
    // February 29th or any Monday of February (both fields restricted).
    [InlineData("0 0 29 2 1", "2026-01-01 00:00", "2026-02-02 00:00, 2026-02-09 00:00, 2026-02-16 00:00, 2026-02-23 00:00, 2027-02-01 00:00")]
    public void A_day_matches_either_day_field_unless_one_of_them_starts_with_a_star(string expression, string from, string expected)
    {
        AssertFollow(Schedule.Cron(expression), from, expected);
    }

    [Theory]
    // Steps over a range in two fields at once.
    [InlineData("5-59/20 9-17/4 * * *", "2026-01-01 00:00", "2026-01-01 09:05, 2026-01-01 09:25, 2026-01-01 09:45, 2026-01-01 13:05, 2026-01-01 13:25, 2026-01-01 13:45, 2026-01-01 17:05, 2026-01-01 17:25, 2026-01-01 17:45, 2026-01-02 09:05")]
    // A list of ranges across midnight.
    [InlineData("0 22-23,0-1 * * *", "2026-01-01 12:00", "2026-01-01 22:00, 2026-01-01 23:00, 2026-01-02 00:00, 2026-01-02 01:00, 2026-01-02 22:00")]
    // A step larger than the range leaves its start.
    [InlineData("*/60 */25 * * *", "2026-01-01 00:00", "2026-01-02 00:00, 2026-01-03 00:00")]
    // Names in either case, in ranges and mixed with numbers; 7 is Sunday.
    [InlineData("0 6 * * SAT-7", "2026-01-01 00:00", "2026-01-03 06:00, 2026-01-04 06:00, 2026-01-10 06:00, 2026-01-11 06:00")]
    [InlineData("0 6 * * 7", "2026-01-01 00:00", "2026-01-04 06:00, 2026-01-11 06:00")]
    [InlineData("0 6 * * 0", "2026-01-01 00:00", "2026-01-04 06:00, 2026-01-11 06:00")]
    [InlineData("0 0 1 jan,JUL *", "2026-01-01 00:00", "2026-07-01 00:00, 2027-01-01 00:00")]
    [InlineData("0 9 * Jun-aug/2 mon-fri", "2026-01-01 00:00", "2026-06-01 09:00, 2026-06-02 09:00")]
    // Fields apart by tabs and several blanks, as in a crontab.
    [InlineData("15\t3  *  * *", "2026-01-01 00:00", "2026-01-01 03:15, 2026-01-02 03:15")]
    public void Ranges_steps_lists_and_names_mean_what_crontab_5_says(string expression, string from, string expected)
    {
        AssertFollow(Schedule.Cron(expression), from, expected);
    }

    [Theory]
    [InlineData("@yearly", "2026-03-01 00:00", "2027-01-01 00:00, 2028-01-01 00:00")]
    [InlineData("@annually", "2026-03-01 00:00", "2027-01-01 00:00")]
    [InlineData("@monthly", "2026-03-01 00:00", "2026-04-01 00:00, 2026-05-01 00:00")]
    [InlineData("@weekly", "2026-01-01 00:00", "2026-01-04 00:00, 2026-01-11 00:00")]
    [InlineData("@daily", "2026-01-01 00:00", "2026-01-02 00:00, 2026-01-03 00:00")]
    [InlineData("@midnight", "2026-01-01 00:00", "2026-01-02 00:00")]
    [InlineData("@hourly", "2026-01-01 00:30", "2026-01-01 01:00, 2026-01-01 02:00")]
    public void The_at_names_stand_for_their_five_fields(string expression, string from, string expected)
    {
        AssertFollow(Schedule.Cron(expression), from, expected);
    }

    [Theory]
    // Only months that have a 31st.
    [InlineData("0 0 31 * *", "2026-01-01 00:00", "2026-01-31 00:00, 2026-03-31 00:00, 2026-05-31 00:00, 2026-07-31 00:00, 2026-08-31 00:00, 2026-10-31 00:00, 2026-12-31 00:00, 2027-01-31 00:00")]
    // February has no 30th.
    [InlineData("0 0 30 * *", "2026-01-31 00:00", "2026-03-30 00:00, 2026-04-30 00:00")]
    // The last days of February, in a common and in a leap year.
    [InlineData("0 0 28-31 2 *", "2027-03-01 00:00", "2028-02-28 00:00, 2028-02-29 00:00, 2029-02-28 00:00")]
    // February 29th: every fourth year, and 8 years apart around 2100, which is not a leap year.
    [InlineData("0 0 29 2 *", "2025-01-01 00:00", "2028-02-29 00:00, 2032-02-29 00:00")]
    [InlineData("0 0 29 2 *", "2096-03-01 00:00", "2104-02-29 00:00, 2108-02-29 00:00")]
    public void Last_days_of_months_and_February_29th_come_when_the_calendar_has_them(string expression, string from, string expected)
    {
        AssertFollow(Schedule.Cron(expression), from, expected);
    }

    [Fact]
    public void The_previous_February_29th_is_found_across_a_century_year_that_is_not_a_leap_year()
    {
        var schedule = Schedule.Cron("0 0 29 2 *");

        Assert.Equal(At("2096-02-29 00:00"), schedule.Previous(At("2104-02-28 23:59")));
        Assert.Equal(At("2024-02-29 00:00"), schedule.Previous(At("2026-03-02 12:00")));
    }
}

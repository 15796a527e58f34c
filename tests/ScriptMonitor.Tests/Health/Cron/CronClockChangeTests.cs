using ScriptMonitor.Health;
using ScriptMonitor.Health.Cron;
using static ScriptMonitor.Tests.Health.Cron.Occurrences;

namespace ScriptMonitor.Tests.Health.Cron;

/// <summary>
/// Clock changes as Debian's cron handles them (cron(8)): a fixed-time job whose time is skipped runs right after a
/// change forward of less than 3 hours and once in time repeated by a change back; a job with '*' at the start of
/// its minute or hour field runs by the clock, so not in skipped time and in both passes of repeated time. Each
/// table is worked out from the zone's rules (zdump): all instants are UTC.
/// </summary>
public sealed class CronClockChangeTests
{
    [Theory]
    // Berlin, 2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00 UTC. 02:30 does not exist: the job runs at 03:00 CEST.
    [InlineData("30 2 * * *", "2026-03-27 12:00", "2026-03-28 01:30, 2026-03-29 01:00, 2026-03-30 00:30")]
    // Two skipped times run together right after the change: one occurrence.
    [InlineData("0,30 2 * * *", "2026-03-28 12:00", "2026-03-29 01:00, 2026-03-30 00:00, 2026-03-30 00:30")]
    // 03:00 CEST is the first minute after the change: due then, like every day.
    [InlineData("0 3 * * *", "2026-03-28 12:00", "2026-03-29 01:00, 2026-03-30 01:00")]
    // A '*' in the minute field: in the skipped hour it does not run at all.
    [InlineData("*/30 2 * * *", "2026-03-28 12:00", "2026-03-30 00:00, 2026-03-30 00:30, 2026-03-31 00:00")]
    // Every 15 minutes and every hour at :30 run by the clock, which is every 15 minutes and every hour of UTC.
    [InlineData("*/15 * * * *", "2026-03-29 00:30", "2026-03-29 00:45, 2026-03-29 01:00, 2026-03-29 01:15")]
    [InlineData("30 * * * *", "2026-03-29 00:00", "2026-03-29 00:30, 2026-03-29 01:30, 2026-03-29 02:30")]
    // Berlin, 2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00 UTC. 02:30 comes twice: the job runs in the first pass only.
    [InlineData("30 2 * * *", "2026-10-23 12:00", "2026-10-24 00:30, 2026-10-25 00:30, 2026-10-26 01:30")]
    [InlineData("0 2 * * *", "2026-10-24 12:00", "2026-10-25 00:00, 2026-10-26 01:00")]
    // With a '*' in the minute field it runs in both passes.
    [InlineData("*/30 2 * * *", "2026-10-24 12:00", "2026-10-25 00:00, 2026-10-25 00:30, 2026-10-25 01:00, 2026-10-25 01:30, 2026-10-26 01:00")]
    [InlineData("*/15 * * * *", "2026-10-25 00:30", "2026-10-25 00:45, 2026-10-25 01:00, 2026-10-25 01:15")]
    [InlineData("30 * * * *", "2026-10-25 00:00", "2026-10-25 00:30, 2026-10-25 01:30, 2026-10-25 02:30")]
    public void Europe_Berlin(string expression, string from, string expected)
    {
        AssertFollow(Schedule.Cron(expression, "Europe/Berlin"), from, expected);
    }

    [Theory]
    // 2026-03-08: 02:00 EST becomes 03:00 EDT at 07:00 UTC.
    [InlineData("30 2 * * *", "2026-03-07 00:00", "2026-03-07 07:30, 2026-03-08 07:00, 2026-03-09 06:30")]
    [InlineData("30 * * * *", "2026-03-08 06:00", "2026-03-08 06:30, 2026-03-08 07:30")]
    // 2026-11-01: 02:00 EDT becomes 01:00 EST at 06:00 UTC; 01:30 comes twice.
    [InlineData("30 1 * * *", "2026-10-31 00:00", "2026-10-31 05:30, 2026-11-01 05:30, 2026-11-02 06:30")]
    [InlineData("30 * * * *", "2026-11-01 05:00", "2026-11-01 05:30, 2026-11-01 06:30, 2026-11-01 07:30")]
    [InlineData("*/15 1 * * *", "2026-10-31 12:00", "2026-11-01 05:00, 2026-11-01 05:15, 2026-11-01 05:30, 2026-11-01 05:45, 2026-11-01 06:00, 2026-11-01 06:15, 2026-11-01 06:30, 2026-11-01 06:45, 2026-11-02 06:00")]
    public void America_New_York(string expression, string from, string expected)
    {
        AssertFollow(Schedule.Cron(expression, "America/New_York"), from, expected);
    }

    [Theory]
    // A half-hour shift. 2026-10-04: 02:00 (+10:30) becomes 02:30 (+11) at 2026-10-03 15:30 UTC.
    [InlineData("15 2 * * *", "2026-10-02 12:00", "2026-10-02 15:45, 2026-10-03 15:30, 2026-10-04 15:15")]
    [InlineData("0 * * * *", "2026-10-03 14:00", "2026-10-03 14:30, 2026-10-03 16:00, 2026-10-03 17:00")]
    [InlineData("30 * * * *", "2026-10-03 14:00", "2026-10-03 15:00, 2026-10-03 15:30, 2026-10-03 16:30")]
    [InlineData("*/15 * * * *", "2026-10-03 15:05", "2026-10-03 15:15, 2026-10-03 15:30, 2026-10-03 15:45")]
    // 2026-04-05: 02:00 (+11) becomes 01:30 (+10:30) at 2026-04-04 15:00 UTC; 01:30 to 01:59 come twice.
    [InlineData("45 1 * * *", "2026-04-03 12:00", "2026-04-03 14:45, 2026-04-04 14:45, 2026-04-05 15:15")]
    [InlineData("*/15 * * * *", "2026-04-04 14:20", "2026-04-04 14:30, 2026-04-04 14:45, 2026-04-04 15:00, 2026-04-04 15:15")]
    [InlineData("0 * * * *", "2026-04-04 13:30", "2026-04-04 14:00, 2026-04-04 15:30, 2026-04-04 16:30")]
    public void Australia_Lord_Howe(string expression, string from, string expected)
    {
        AssertFollow(Schedule.Cron(expression, "Australia/Lord_Howe"), from, expected);
    }

    [Theory]
    // +05:45 all year.
    [InlineData("Asia/Kathmandu", "0 0 * * *", "2026-01-01 00:00", "2026-01-01 18:15, 2026-01-02 18:15")]
    [InlineData("Asia/Kathmandu", "30 2 1 * *", "2026-01-01 00:00", "2026-01-31 20:45, 2026-02-28 20:45")]
    // +09:00, no daylight-saving time.
    [InlineData("Asia/Tokyo", "0 9 * * 1-5", "2025-12-31 23:00", "2026-01-01 00:00, 2026-01-02 00:00, 2026-01-05 00:00")]
    // Samoa skipped 2011-12-30 (a day forward at 10:00 UTC): a change of 3 hours or more is taken as it comes.
    [InlineData("Pacific/Apia", "0 12 * * *", "2011-12-29 12:00", "2011-12-29 22:00, 2011-12-30 22:00, 2011-12-31 22:00")]
    // Dublin's summer time is its standard time in the tz database (winter is a negative daylight saving): the same rules.
    [InlineData("Europe/Dublin", "30 1 * * *", "2026-03-28 00:00", "2026-03-28 01:30, 2026-03-29 01:00, 2026-03-30 00:30")]
    [InlineData("Europe/Dublin", "30 1 * * *", "2026-10-24 00:00", "2026-10-24 00:30, 2026-10-25 00:30, 2026-10-26 01:30")]
    public void Zones_without_a_change_a_change_of_a_day_and_a_negative_daylight_saving(string zone, string expression, string from, string expected)
    {
        AssertFollow(Schedule.Cron(expression, zone), from, expected);
    }

    [Theory]
    // Forward by 2h59: a fixed-time job in the gap runs right after it.
    [InlineData(179, "30 2 * * *", "2026-03-28 12:00", "2026-03-29 01:00, 2026-03-29 23:31")]
    // Forward by 3h: taken as it comes; the 02:30 of that day never happens.
    [InlineData(180, "30 2 * * *", "2026-03-28 12:00", "2026-03-29 23:30")]
    // Forward by 4 minutes: cron took it for a late wake-up and runs even wildcard jobs it skipped.
    [InlineData(4, "2 * * * *", "2026-03-29 00:30", "2026-03-29 01:00, 2026-03-29 01:58")]
    // Forward by 5 minutes: a clock change; the wildcard job skipped at 01:02 does not run.
    [InlineData(5, "2 * * * *", "2026-03-29 00:30", "2026-03-29 01:57")]
    // Back by 3h: 02:30 comes twice and the job runs once.
    [InlineData(180, "30 2 * * *", "2026-10-24 12:00", "2026-10-24 23:30, 2026-10-26 02:30")]
    // Back by 3h01: taken as it comes; the job runs in both passes.
    [InlineData(181, "30 2 * * *", "2026-10-24 12:00", "2026-10-24 23:29, 2026-10-25 02:30, 2026-10-26 02:30")]
    public void Changes_of_3_hours_or_more_are_taken_as_they_come(int shiftMinutes, string expression, string from, string expected)
    {
        // A zone of UTC plus daylight time from 2026-03-29 01:00 UTC to 2026-10-25 01:00 UTC, shifted by the given minutes.
        var shift = TimeSpan.FromMinutes(shiftMinutes);
        var rule = TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(
            new DateTime(2026, 1, 1),
            new DateTime(2026, 12, 31),
            shift,
            TimeZoneInfo.TransitionTime.CreateFixedDateRule(new DateTime(1, 1, 1, 1, 0, 0), 3, 29),
            TimeZoneInfo.TransitionTime.CreateFixedDateRule(new DateTime(1, 1, 1) + TimeSpan.FromHours(1) + shift, 10, 25));
        var zone = TimeZoneInfo.CreateCustomTimeZone($"Test/Shift{shiftMinutes}", TimeSpan.Zero, "test", "standard", "daylight", [rule]);

        AssertFollow(new CronOccurrences(CronParser.Parse(expression), new ZoneTimeline(zone)), from, expected);
    }
}

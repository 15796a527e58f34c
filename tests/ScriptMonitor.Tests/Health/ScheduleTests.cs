using ScriptMonitor.Runs;
using ScriptMonitor.Health;
using static ScriptMonitor.Tests.Health.History;

namespace ScriptMonitor.Tests.Health;

public sealed class ScheduleTests
{
    [Theory]
    [InlineData("not cron", "Europe/Berlin", "expression")]
    [InlineData("61 * * * *", "UTC", "expression")]
    [InlineData("0 2 * * *", "Mars/Olympus_Mons", "timeZone")]
    public void A_cron_schedule_refuses_a_bad_expression_or_zone_naming_it(string expression, string zone, string parameter)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Schedule.Cron(expression, zone));

        Assert.Equal(parameter, error.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(59)]
    public void A_period_shorter_than_a_minute_is_refused(int seconds)
    {
        var error = Assert.Throws<ValidationException>(() => Schedule.Every(TimeSpan.FromSeconds(seconds)));

        Assert.Contains("between 1m and 366d", error.Message, StringComparison.Ordinal);
        Assert.Equal(("period", FieldRules.Range), (error.Errors.Single().Path, error.Errors[0].Rule));
    }

    [Theory]
    [InlineData("2026-03-28T12:00:00Z", "2026-03-28T01:30:00Z")]
    [InlineData("2026-03-29T12:00:00Z", "2026-03-29T01:00:00Z")]
    [InlineData("2026-03-30T12:00:00Z", "2026-03-30T00:30:00Z")]
    [InlineData("2026-10-25T12:00:00Z", "2026-10-25T00:30:00Z")]
    [InlineData("2026-10-26T12:00:00Z", "2026-10-26T01:30:00Z")]
    public void The_previous_occurrence_follows_the_zone_across_daylight_saving(string now, string previous)
    {
        var cron = Schedule.Cron("30 2 * * *", "Europe/Berlin");

        Assert.Equal(DateTimeOffset.Parse(previous, System.Globalization.CultureInfo.InvariantCulture), cron.Previous(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void A_yearly_occurrence_is_found_far_back()
    {
        Assert.Equal(Utc(2024, 2, 29, 0, 0), Schedule.Cron("0 0 29 2 *").Previous(Utc(2026, 3, 2, 12, 0)));
    }
}

using ScriptMonitor.Application.Text;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Tests.Application.Text;

public sealed class TimeTextTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("now", "2026-03-01T12:00:00+00:00")]
    [InlineData("NOW", "2026-03-01T12:00:00+00:00")]
    [InlineData("-2h", "2026-03-01T10:00:00+00:00")]
    [InlineData("-7d", "2026-02-22T12:00:00+00:00")]
    [InlineData("-1h30m", "2026-03-01T10:30:00+00:00")]
    [InlineData("2026-01-10T02:00:00Z", "2026-01-10T02:00:00+00:00")]
    [InlineData("2026-01-10T03:00:00+01:00", "2026-01-10T02:00:00+00:00")]
    [InlineData("2026-01-10 02:00:00+00:00", "2026-01-10T02:00:00+00:00")]
    [InlineData("2026-01-10T02:00:00.123456Z", "2026-01-10T02:00:00.123456+00:00")]
    [InlineData("2026-01-10T02:00", "2026-01-10T02:00:00+00:00")]
    [InlineData("2026-01-10T02:00:00", "2026-01-10T02:00:00+00:00")]
    [InlineData("2026-01-10", "2026-01-10T00:00:00+00:00")]
    public void Parse_reads_iso_8601_and_relative_times(string text, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), TimeText.Parse(text, "--since", Now));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("-2")]
    [InlineData("2h")]
    [InlineData("2026-13-01")]
    [InlineData("01/02/2026")]
    public void Parse_refuses_what_is_not_a_time_naming_the_field_and_the_rule(string text)
    {
        var error = Assert.Throws<ValidationException>(() => TimeText.Parse(text, "--since", Now));

        var field = Assert.Single(error.Errors);
        Assert.Equal("--since", field.Path);
        Assert.StartsWith("--since must be an ISO 8601 time", field.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relative_time_reaches_back_at_most_a_century()
    {
        var error = Assert.Throws<ValidationException>(() => TimeText.Parse("-36501d", "--since", Now));

        Assert.StartsWith("--since must not reach back more than 36500d", Assert.Single(error.Errors).Message, StringComparison.Ordinal);
    }
}

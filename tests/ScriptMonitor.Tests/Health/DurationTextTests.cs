using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Tests.Health;

/// <summary>The one reader and printer of durations: what the command line, the base class and the health messages share.</summary>
public sealed class DurationTextTests
{
    [Theory]
    [InlineData(90, "1m 30s")]
    [InlineData(3600, "1h")]
    [InlineData(5400, "1h 30m")]
    [InlineData(86400 + 3661, "1d 1h 1m 1s")]
    [InlineData(1.5, "1.5s")]
    [InlineData(1, "1s")]
    [InlineData(0.25, "250ms")]
    [InlineData(-90, "-1m 30s")]
    public void Durations_print_as_people_write_them(double seconds, string text)
    {
        Assert.Equal(text, DurationText.Format(TimeSpan.FromSeconds(seconds)));
    }

    [Theory]
    [InlineData(86400 + 3661, 2, "1d 1h")]
    [InlineData(7805, 2, "2h 10m")]
    [InlineData(185, 2, "3m 5s")]
    [InlineData(3605, 2, "1h 5s")]
    [InlineData(4.2, 2, "4.2s")]
    [InlineData(0.35, 1, "350ms")]
    public void A_column_prints_the_largest_units_only(double seconds, int units, string text)
    {
        Assert.Equal(text, DurationText.Format(TimeSpan.FromSeconds(seconds), units));
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("10m", 600)]
    [InlineData("15m", 900)]
    [InlineData("2h", 7200)]
    [InlineData("2d", 172800)]
    [InlineData("7d", 604800)]
    [InlineData("1w", 604800)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.5h", 5400)]
    [InlineData("250ms", 0.25)]
    [InlineData("0s", 0)]
    [InlineData(" 10M ", 600)]
    [InlineData("2hrs", 7200)]
    [InlineData("3 days", -1)]
    [InlineData("1d 2h", -1)]
    [InlineData("1h 30m", -1)]
    public void Parse_reads_a_number_and_a_unit(string text, double seconds)
    {
        if (seconds < 0)
        {
            Assert.Throws<ValidationException>(() => DurationText.Parse(text, "--x"));
            return;
        }

        Assert.Equal(TimeSpan.FromSeconds(seconds), DurationText.Parse(text, "--x"));
    }

    [Theory]
    [InlineData("", "--x must be a number and a unit")]
    [InlineData("5", "--x must be a number and a unit")]
    [InlineData("10", "--x must be a number and a unit")]
    [InlineData("h", "--x must be a number and a unit")]
    [InlineData("5y", "--x must be a number and a unit")]
    [InlineData("10y", "--x must be a number and a unit")]
    [InlineData("ten minutes", "--x must be a number and a unit")]
    [InlineData("5s5", "--x must be a number and a unit")]
    [InlineData("1.2.3s", "--x must be a number and a unit")]
    [InlineData("-5m", "--x must not be negative")]
    [InlineData("99999999999d", "--x must be at most 36500d")]
    [InlineData("99999999999999999999w", "--x must be at most 36500d")]
    [InlineData("99999999999999999999999999999999999999w", "--x must be at most 36500d")]
    [InlineData("36500d1ms", "--x must be at most 36500d")]
    [InlineData("10675199d", "--x must be at most 36500d")]
    [InlineData("1..5s", "--x must be a number and a unit")]
    [InlineData(".s", "--x must be a number and a unit")]
    public void Parse_refuses_what_is_not_a_duration_naming_the_field_and_the_rule(string text, string message)
    {
        var error = Assert.Throws<ValidationException>(() => DurationText.Parse(text, "--x"));

        var field = Assert.Single(error.Errors);
        Assert.Equal("--x", field.Path);
        Assert.StartsWith(message, field.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParsePositive_refuses_zero()
    {
        var error = Assert.Throws<ValidationException>(() => DurationText.ParsePositive("0m", "--timeout"));

        Assert.StartsWith("--timeout must be greater than zero", Assert.Single(error.Errors).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(90)]
    [InlineData(5400)]
    [InlineData(3600)]
    [InlineData(0.25)]
    [InlineData(1.5)]
    public void What_is_printed_without_spaces_reads_back(double seconds)
    {
        var text = DurationText.Format(TimeSpan.FromSeconds(seconds)).Replace(" ", string.Empty, StringComparison.Ordinal);

        Assert.Equal(TimeSpan.FromSeconds(seconds), DurationText.Parse(text, "--x"));
    }
}

using ScriptMonitor.Cli.Input;

namespace ScriptMonitor.Cli.Tests.Input;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("15m", 900)]
    [InlineData("2h", 7200)]
    [InlineData("7d", 604800)]
    [InlineData("1w", 604800)]
    [InlineData("1h30m", 5400)]
    [InlineData("1d 2h", -1)]
    [InlineData("250ms", 0.25)]
    [InlineData("1.5h", 5400)]
    [InlineData("0s", 0)]
    [InlineData(" 10M ", 600)]
    public void Parse_reads_a_number_and_a_unit(string text, double seconds)
    {
        if (seconds < 0)
        {
            Assert.Throws<UsageException>(() => DurationParser.Parse(text, "--x"));
            return;
        }

        Assert.Equal(TimeSpan.FromSeconds(seconds), DurationParser.Parse(text, "--x"));
    }

    [Theory]
    [InlineData("", "--x must be a number and a unit")]
    [InlineData("5", "--x must be a number and a unit")]
    [InlineData("h", "--x must be a number and a unit")]
    [InlineData("5y", "--x must be a number and a unit")]
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
        var error = Assert.Throws<UsageException>(() => DurationParser.Parse(text, "--x"));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParsePositive_refuses_zero()
    {
        var error = Assert.Throws<UsageException>(() => DurationParser.ParsePositive("0m", "--timeout"));

        Assert.StartsWith("--timeout must be greater than zero", error.Message, StringComparison.Ordinal);
    }
}

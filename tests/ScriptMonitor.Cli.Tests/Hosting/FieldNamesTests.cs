using ScriptMonitor.Cli.Commands;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Cli.Tests.Hosting;

public sealed class FieldNamesTests
{
    [Theory]
    [InlineData("expectation.Schedule.Period", "expectation.Schedule.Period must be between 1m and 366d", "--every must be between 1m and 366d")]
    [InlineData("expectation.Hosts.MinimumCount", "expectation.Hosts.MinimumCount must be between 1 and", "--at-least must be between 1 and")]
    [InlineData("expectation.Tags[2]", "expectation.Tags[2] must not be empty", "--tag[2] must not be empty")]
    [InlineData("expectation.Schedule.Expression", "expectation.Schedule.Expression has 4 fields", "--cron has 4 fields")]
    public void Library_field_names_become_the_options_the_user_typed(string path, string library, string cli) =>
        Assert.Equal(cli, FieldNames.Describe(new FieldError(path, "rule", library), ExpectCommand.Fields));

    [Theory]
    [InlineData("patch.TimeZone", "patch.Cron", "patch.TimeZone is the time zone of a cron schedule: give it with patch.Cron.", "--tz is the time zone of a cron schedule: give it with --cron.")]
    [InlineData("expectation.PausedUntil", "expectation.Paused", "expectation.PausedUntil may only be given when expectation.Paused is true.", "--until may only be given when --pause is true.")]
    public void The_other_field_of_a_rule_between_two_is_named_as_typed_too(string path, string other, string library, string cli) =>
        Assert.Equal(cli, FieldNames.Describe(new FieldError(path, "rule", library) { OtherPath = other }, ExpectCommand.Fields));

    [Fact]
    public void A_list_field_with_any_index_is_one_argument()
    {
        Assert.Equal("NAME must not be empty", FieldNames.Describe(new FieldError("scripts[3]", "rule", "scripts[3] must not be empty"), CheckCommand.Fields));
    }

    [Fact]
    public void A_path_the_command_has_no_option_for_stays_as_it_is()
    {
        Assert.Equal("query.Limit must be positive", FieldNames.Describe(new FieldError("query.Limit", "rule", "query.Limit must be positive"), ExpectCommand.Fields));
    }
}

using ScriptMonitor.Cli.Commands;

namespace ScriptMonitor.Cli.Tests.Commands;

public sealed class HealthStoreTests
{
    [Theory]
    [InlineData("expectation.Schedule.Period must be between 1m and 366d", "--every must be between 1m and 366d")]
    [InlineData("expectation.Hosts.MinimumCount must be between 1 and", "--at-least must be between 1 and")]
    [InlineData("expectation.PausedUntil may only be given when expectation.Paused is true.", "--until may only be given when --pause is true.")]
    [InlineData("expectation.Tags[2] must not be empty", "--tag[2] must not be empty")]
    public void Library_field_names_become_the_options_the_user_typed(string library, string cli) =>
        Assert.Equal(cli, HealthStore.RenameFields(library));
}

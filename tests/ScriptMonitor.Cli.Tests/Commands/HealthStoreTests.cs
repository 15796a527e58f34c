using System.Reflection;
using ScriptMonitor.Cli.Commands;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Cli.Tests.Commands;

public sealed class HealthStoreTests
{
    [Fact]
    public void A_store_that_keeps_no_expectations_is_unavailable_with_a_message_naming_it()
    {
        var store = DispatchProxy.Create<IScriptRunStore, RunsOnlyStore>();

        var error = Assert.Throws<ScriptMonitor.Runs.StoreUnavailableException>(() => HealthStore.Expectations(store));

        Assert.Contains("postgresql://db1/scriptmon", error.Message, StringComparison.Ordinal);
        Assert.Contains("keeps no expectations", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("expectation.Schedule.Period must be between 1m and 366d", "--every must be between 1m and 366d")]
    [InlineData("expectation.Hosts.MinimumCount must be between 1 and", "--at-least must be between 1 and")]
    [InlineData("expectation.PausedUntil may only be given when expectation.Paused is true.", "--until may only be given when --pause is true.")]
    [InlineData("expectation.Tags[2] must not be empty", "--tag[2] must not be empty")]
    public void Library_field_names_become_the_options_the_user_typed(string library, string cli) =>
        Assert.Equal(cli, HealthStore.RenameFields(library));

    /// <summary>A store of runs only: both stores of this build keep expectations, but the contract does not require it.</summary>
    public class RunsOnlyStore : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod?.Name == "get_Description" ? "postgresql://db1/scriptmon" : throw new NotSupportedException(targetMethod?.Name);
    }
}

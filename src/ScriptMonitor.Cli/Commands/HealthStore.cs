using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Cli.Commands;

/// <summary>The store as the health commands need it: one that keeps expectations as well as runs.</summary>
internal static class HealthStore
{
    /// <summary>The store's expectations, or a clear "cannot be used" (exit 3) when this kind of store does not keep them.</summary>
    internal static IExpectationStore Expectations(IScriptRunStore store) =>
        store as IExpectationStore
        ?? throw new Runs.StoreUnavailableException($"The store {store.Description} keeps no expectations, so health cannot be evaluated there.");

    /// <summary>Runs a call on the expectation store, turning "cannot be used" failures into <see cref="StoreUnavailableException"/>.</summary>
    internal static T Call<T>(IScriptRunStore store, Func<IExpectationStore, Task<T>> call)
    {
        var expectations = Expectations(store);
        return CliContext.Call(store, _ => call(expectations));
    }

    /// <summary>The library names the fields of <see cref="ScriptExpectation"/>; the user typed options.</summary>
    internal static string RenameFields(string message) => message
        .Replace("expectation.Schedule.Period", "--every", StringComparison.Ordinal)
        .Replace("expectation.Schedule", "--cron", StringComparison.Ordinal)
        .Replace("expectation.Grace", "--grace", StringComparison.Ordinal)
        .Replace("expectation.MinRuntime", "--min-runtime", StringComparison.Ordinal)
        .Replace("expectation.MaxRuntime", "--max-runtime", StringComparison.Ordinal)
        .Replace("expectation.Hosts.MinimumCount", "--at-least", StringComparison.Ordinal)
        .Replace("expectation.Hosts", "--hosts", StringComparison.Ordinal)
        .Replace("expectation.FailuresTolerated", "--failures-tolerated", StringComparison.Ordinal)
        .Replace("expectation.PausedUntil", "--until", StringComparison.Ordinal)
        .Replace("expectation.Paused", "--pause", StringComparison.Ordinal)
        .Replace("expectation.Tags", "--tag", StringComparison.Ordinal)
        .Replace("expectation.ScriptName", "NAME", StringComparison.Ordinal);
}

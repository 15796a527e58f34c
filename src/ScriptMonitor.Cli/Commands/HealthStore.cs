using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Cli.Commands;

/// <summary>The store as the health commands need it: one that keeps expectations as well as runs.</summary>
internal static class HealthStore
{
    /// <summary>Runs a call on the expectation store, turning "cannot be used" failures into <see cref="StoreUnavailableException"/>.</summary>
    internal static T Call<T>(IScriptRunStore store, Func<IExpectationStore, Task<T>> call) =>
        CliContext.Call(store, s => call(s));

    /// <summary>
    /// Closes runs left running that will never complete (their runner is gone, or they outlived their bound), for a
    /// command that writes anyway (<c>prune</c>), so that they are then handled like any other ended run. A store that
    /// fails now leaves them for the next writer, which is logged.
    /// </summary>
    /// <param name="context">The command's context, for the log.</param>
    /// <param name="store">The store, opened for writing.</param>
    /// <param name="now">The instant of the command.</param>
    internal static void CloseAbandonedRuns(CliContext context, IScriptRunStore store, DateTimeOffset now)
    {
        try
        {
            foreach (var (run, reason) in AbandonedRunSweep.CloseAllAsync(store, now, CancellationToken.None).GetAwaiter().GetResult())
            {
                context.Logger.LogRunAbandoned(run.ScriptName, run.RunId, reason);
            }
        }
        catch (Exception e) when (StoreFailures.IsUnavailable(e))
        {
            context.Logger.LogAbandonedNotChecked(CliContext.OneLine(e.Message));
        }
    }

    /// <summary>
    /// This host's runs that will never complete because their runner is gone, found without writing: a command that
    /// only reads (<c>status</c>, <c>check</c>) evaluates them as abandoned, and the next <c>exec</c> on this host or
    /// <c>prune</c> records it. Runs past their bound need no lookup: the evaluation presumes them abandoned itself.
    /// </summary>
    /// <param name="context">The command's context, for the log.</param>
    /// <param name="store">The store.</param>
    /// <param name="now">The instant of the command.</param>
    internal static IReadOnlyList<ScriptRun> GoneRuns(CliContext context, IScriptRunStore store, DateTimeOffset now)
    {
        try
        {
            return [.. AbandonedRunSweep.FindGoneRunsAsync(store, now, CancellationToken.None).GetAwaiter().GetResult().Select(g => g.Run)];
        }
        catch (Exception e) when (StoreFailures.IsUnavailable(e))
        {
            context.Logger.LogAbandonedNotChecked(CliContext.OneLine(e.Message));
            return [];
        }
    }

    /// <summary>The library names the fields of <see cref="ScriptExpectation"/>; the user typed options.</summary>
    internal static string RenameFields(string message) => message
        .Replace("expectation.Schedule.Period", "--every", StringComparison.Ordinal)
        .Replace("expectation.Schedule.Expression", "--cron", StringComparison.Ordinal)
        .Replace("expectation.Schedule.TimeZone", "--tz", StringComparison.Ordinal)
        .Replace("expectation.Schedule", "--cron", StringComparison.Ordinal)
        .Replace("expectation.Grace", "--grace", StringComparison.Ordinal)
        .Replace("expectation.MinRuntime", "--min-runtime", StringComparison.Ordinal)
        .Replace("expectation.MaxRuntime", "--max-runtime", StringComparison.Ordinal)
        .Replace("expectation.Hosts.MinimumCount", "--at-least", StringComparison.Ordinal)
        .Replace("expectation.Hosts", "--hosts", StringComparison.Ordinal)
        .Replace("expectation.FailuresTolerated", "--failures-tolerated", StringComparison.Ordinal)
        .Replace("expectation.AbandonAfter", "--abandon-after", StringComparison.Ordinal)
        .Replace("expectation.SkipsBeforeAlert", "--skips-before-alert", StringComparison.Ordinal)
        .Replace("expectation.PausedUntil", "--until", StringComparison.Ordinal)
        .Replace("expectation.Paused", "--pause", StringComparison.Ordinal)
        .Replace("expectation.Tags", "--tag", StringComparison.Ordinal)
        .Replace("expectation.ScriptName", "NAME", StringComparison.Ordinal);
}

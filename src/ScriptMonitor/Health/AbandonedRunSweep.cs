using ScriptMonitor.Runs;

namespace ScriptMonitor.Health;

/// <summary>
/// Closes runs that will never complete, so that none stays "running" for good: a run whose runner is known to be
/// gone, and a run that outlived the bound after which it is presumed abandoned. Only a process on the runner's host,
/// in the same boot and pid namespace, can know the runner is gone (<see cref="RunnerProcess.IsAliveHere"/>); anywhere
/// else only the time bound applies. A completion that arrives later still replaces "abandoned".
/// </summary>
public static class AbandonedRunSweep
{
    /// <summary>
    /// Marks this host's runs whose runner is gone: one query of the runs in progress on this host and a look at
    /// <c>/proc</c> for each. Cheap enough for every <c>scriptmon exec</c>.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="now">The instant recorded as the abandoned runs' end.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The runs marked abandoned, each with why.</returns>
    internal static async Task<IReadOnlyList<(ScriptRun Run, string Reason)>> CloseGoneRunsAsync(IScriptRunStore store, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var running = await store.ListRunningAsync(RunValidation.ThisHost, cancellationToken).ConfigureAwait(false);
        return await CloseAsync(store, running, bound: null, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// This host's runs in progress whose runner is gone, found without writing anything: for a command that may only
    /// read, which evaluates them as abandoned (<see cref="HealthMonitor.EvaluateAsync(IReadOnlyCollection{string}?, string?, IReadOnlyCollection{ScriptRun}?, CancellationToken)"/>)
    /// and leaves marking them to the next writer.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="now">The instant of the look.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The runs that will never complete, each with why.</returns>
    public static async Task<IReadOnlyList<(ScriptRun Run, string Reason)>> FindGoneRunsAsync(IScriptRunStore store, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var gone = new List<(ScriptRun, string)>();
        foreach (var run in await store.ListRunningAsync(RunValidation.ThisHost, cancellationToken).ConfigureAwait(false))
        {
            if (WhyAbandoned(run, bound: null, now) is { } why)
            {
                gone.Add((run, why));
            }
        }

        return gone;
    }

    /// <summary>
    /// Marks every run in progress that will never complete: this host's runs whose runner is gone, and runs on any
    /// host past their script's abandonment bound (<see cref="ScriptExpectation.AbandonAfter"/> or its default).
    /// </summary>
    /// <param name="store">The store; the bound needs its expectations, so without them only gone runners are closed.</param>
    /// <param name="now">The instant of the sweep, recorded as the abandoned runs' end.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The runs marked abandoned, each with why.</returns>
    public static async Task<IReadOnlyList<(ScriptRun Run, string Reason)>> CloseAllAsync(IScriptRunStore store, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var running = await store.ListRunningAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        if (running.Count == 0)
        {
            return [];
        }

        // Only scripts with a run older than the shortest bound an expectation may set can have one past its bound.
        var bounds = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var candidates = running.Where(r => now - r.StartedAt > ExpectationValidation.MinAbandonAfter).Select(r => r.ScriptName).Distinct(StringComparer.Ordinal).ToList();
        if (candidates.Count > 0)
        {
            foreach (var snapshot in await store.ReadSnapshotsAsync(candidates, cancellationToken).ConfigureAwait(false))
            {
                bounds[snapshot.ScriptName] = HealthEvaluator.AbandonAfter(snapshot);
            }
        }

        return await CloseAsync(store, running, bounds, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Why a run will never complete, or null while it may: its runner is gone, or it outlived its bound.</summary>
    public static string? WhyAbandoned(ScriptRun run, TimeSpan? bound, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Outcome != RunOutcome.Running)
        {
            return null;
        }

        if (run.Runner is { } runner && IsOnThisMachine(run, runner) && runner.IsAliveHere() == false)
        {
            var current = RunnerProcess.Current();
            return current is not null && !string.Equals(current.BootId, runner.BootId, StringComparison.Ordinal)
                ? $"its runner (pid {runner.ProcessId} on {run.Hostname}) is gone: the host restarted after the run started"
                : $"its runner (pid {runner.ProcessId} on {run.Hostname}) is gone: it ended without recording the run's end (killed, or out of memory)";
        }

        var age = now - run.StartedAt;
        return bound is { } limit && age > limit
            ? $"it was still running after {DurationText.Format(age)}, past the {DurationText.Format(limit)} after which a run is presumed abandoned"
            : null;
    }

    /// <summary>
    /// Whether the runner ran on this machine: in this boot (same boot id), or under this host's name (a boot id that
    /// differs then means the host restarted). A runner of another machine can never be judged from here.
    /// </summary>
    private static bool IsOnThisMachine(ScriptRun run, RunnerProcess runner) =>
        string.Equals(run.Hostname, RunValidation.ThisHost, StringComparison.Ordinal)
        || string.Equals(RunnerProcess.Current()?.BootId, runner.BootId, StringComparison.Ordinal);

    private static async Task<IReadOnlyList<(ScriptRun Run, string Reason)>> CloseAsync(IScriptRunStore store, IReadOnlyList<ScriptRun> running, Dictionary<string, TimeSpan>? bound, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var closed = new List<(ScriptRun, string)>();
        foreach (var run in running)
        {
            var why = WhyAbandoned(run, bound is not null && bound.TryGetValue(run.ScriptName, out var limit) ? limit : null, now);

            if (why is null || now < run.StartedAt)
            {
                continue;
            }

            try
            {
                // A run that completed since it was listed is left as it is: the store marks only a run still running.
                if (await store.AbandonRunAsync(run.RunId, now, why, cancellationToken).ConfigureAwait(false))
                {
                    closed.Add((run, why));
                }
            }
            catch (KeyNotFoundException)
            {
                // Pruned since it was listed: nothing is left to close.
            }
        }

        return closed;
    }
}

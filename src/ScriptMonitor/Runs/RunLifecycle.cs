namespace ScriptMonitor.Runs;

/// <summary>
/// The life of a stored run, the same in every store: what may complete it, what a run delivered whole may replace,
/// what may be marked abandoned. A store applies these rules to the row it read, or writes them into its SQL from the
/// lists here; nowhere else are they decided.
/// </summary>
public static class RunLifecycle
{
    /// <summary>
    /// The stored outcomes a completion may still end: a run in progress, and one marked abandoned, whose
    /// abandonment was only a guess that a late completion corrects.
    /// </summary>
    public static IReadOnlyList<RunOutcome> Completable { get; } = [RunOutcome.Running, RunOutcome.Abandoned];

    /// <summary>The stored outcome an abandonment may end: only a run still in progress.</summary>
    public const RunOutcome Abandonable = RunOutcome.Running;

    /// <summary>Whether a stored run may still be completed.</summary>
    /// <param name="stored">The stored run's outcome.</param>
    public static bool MayComplete(RunOutcome stored) => Completable.Contains(stored);

    /// <summary>
    /// The outcomes a run delivered whole (from a spool) must have to replace a stored run with the same id: any end
    /// replaces a run in progress, a real end replaces a presumed abandonment, and nothing replaces a completed run.
    /// </summary>
    /// <param name="stored">The stored run's outcome.</param>
    public static IReadOnlyList<RunOutcome> SupersededBy(RunOutcome stored) => stored switch
    {
        RunOutcome.Running => [RunOutcome.Succeeded, RunOutcome.Failed, RunOutcome.Abandoned],
        RunOutcome.Abandoned => [RunOutcome.Succeeded, RunOutcome.Failed],
        _ => [],
    };

    /// <summary>Whether a run delivered whole replaces the stored run with the same id.</summary>
    /// <param name="stored">The stored run's outcome.</param>
    /// <param name="arriving">The delivered run's outcome.</param>
    public static bool Supersedes(RunOutcome stored, RunOutcome arriving) => SupersededBy(stored).Contains(arriving);

    /// <summary>The stored run completed as <paramref name="completion"/> says, or the exception that says why it cannot be.</summary>
    /// <param name="runId">The run's id, for messages.</param>
    /// <param name="stored">The run as stored; null when no run has the id.</param>
    /// <param name="completion">How it ended, already checked.</param>
    /// <exception cref="KeyNotFoundException">No run has the id.</exception>
    /// <exception cref="InvalidOperationException">The run has already completed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The completion is before the run's start.</exception>
    public static ScriptRun Complete(Guid runId, ScriptRun? stored, RunCompletion completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        var run = stored ?? throw NotFound(runId);
        if (!MayComplete(run.Outcome))
        {
            throw new InvalidOperationException($"Run {runId} of '{run.ScriptName}' has already completed ({run.Outcome}).");
        }

        RunValidation.CompletedNotBeforeStarted(run.StartedAt, completion.CompletedAt, "completedAt");
        return run with { CompletedAt = completion.CompletedAt, Outcome = completion.Outcome, ExitCode = completion.ExitCode, Output = completion.Output };
    }

    /// <summary>
    /// Whether the stored run already holds exactly this completion: a write retried after its connection broke
    /// finds what its first attempt wrote, and that is success, not "already completed".
    /// </summary>
    /// <param name="stored">The run as stored.</param>
    /// <param name="completion">The completion being written.</param>
    public static bool HoldsCompletion(ScriptRun stored, RunCompletion completion)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(completion);
        return stored.CompletedAt == completion.CompletedAt && stored.Outcome == completion.Outcome && stored.ExitCode == completion.ExitCode && stored.Output == completion.Output;
    }

    /// <summary>The stored run marked abandoned, or null when it is no longer in progress (a completion came first).</summary>
    /// <param name="runId">The run's id, for messages.</param>
    /// <param name="stored">The run as stored; null when no run has the id.</param>
    /// <param name="abandonedAt">When it was found abandoned, already checked; recorded as its end.</param>
    /// <param name="reason">Why, kept after its output.</param>
    /// <exception cref="KeyNotFoundException">No run has the id.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="abandonedAt"/> is before the run's start.</exception>
    public static ScriptRun? Abandon(Guid runId, ScriptRun? stored, DateTimeOffset abandonedAt, string reason)
    {
        var run = stored ?? throw NotFound(runId);
        if (run.Outcome != Abandonable)
        {
            return null;
        }

        RunValidation.CompletedNotBeforeStarted(run.StartedAt, abandonedAt, nameof(abandonedAt));
        return run with { CompletedAt = abandonedAt, Outcome = RunOutcome.Abandoned, Output = AbandonedOutput(run.Output, reason) };
    }

    /// <summary>What a store throws when a start names the id of a run it already holds.</summary>
    /// <param name="runId">The id.</param>
    public static InvalidOperationException DuplicateRunId(Guid runId) =>
        new($"A run with the id {runId} is already recorded; a started run needs an id of its own.");

    /// <summary>What a store throws when a completion or an abandonment names an id no run has.</summary>
    /// <param name="runId">The id.</param>
    public static KeyNotFoundException NotFound(Guid runId) => new($"No run has the id {runId}.");

    /// <summary>The output an abandoned run keeps: what it had, then why it was abandoned, within the bound.</summary>
    private static string AbandonedOutput(string? output, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var separator = string.IsNullOrEmpty(output) || output.EndsWith('\n') ? string.Empty : "\n";
        return RunValidation.Output($"{output}{separator}[abandoned] {reason.Trim()}")!;
    }
}

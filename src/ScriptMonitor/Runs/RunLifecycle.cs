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

    /// <summary>
    /// What a run delivered whole does to the stored run with its id: a new id is stored; a run that agrees on script,
    /// host and start completes a run in progress or presumed abandoned (<see cref="Supersedes"/>); the same run again is
    /// already stored, and so is a start arriving after its completion; anything else (another identity, another
    /// completion) is a conflict that names what differs, and nothing is written.
    /// </summary>
    /// <param name="stored">The run as stored; null when no run has the id.</param>
    /// <param name="arriving">The run delivered, already checked and normalized.</param>
    public static RunImportResult Judge(ScriptRun? stored, ScriptRun arriving)
    {
        ArgumentNullException.ThrowIfNull(arriving);
        if (stored is null)
        {
            return new RunImportResult(arriving.RunId, RunImportStatus.Stored);
        }

        var identity = new List<string>();
        if (!string.Equals(stored.ScriptName, arriving.ScriptName, StringComparison.Ordinal))
        {
            identity.Add($"script '{stored.ScriptName}', not '{arriving.ScriptName}'");
        }

        if (!string.Equals(stored.Hostname, arriving.Hostname, StringComparison.Ordinal))
        {
            identity.Add($"host '{stored.Hostname}', not '{arriving.Hostname}'");
        }

        if (stored.StartedAt != arriving.StartedAt)
        {
            identity.Add($"start {Timestamps.Format(stored.StartedAt)}, not {Timestamps.Format(arriving.StartedAt)}");
        }

        if (identity.Count > 0)
        {
            return Conflict(arriving.RunId, $"run {arriving.RunId} is stored with {string.Join(", ", identity)}");
        }

        if (Supersedes(stored.Outcome, arriving.Outcome))
        {
            return new RunImportResult(arriving.RunId, RunImportStatus.Stored);
        }

        // A start delivered again, or after its completion, and a presumed abandonment after the real end, add nothing.
        if (arriving.Outcome is RunOutcome.Running or RunOutcome.Abandoned || stored.Outcome == RunOutcome.Running)
        {
            return new RunImportResult(arriving.RunId, RunImportStatus.AlreadyStored);
        }

        var differences = new List<string>();
        if (stored.Outcome != arriving.Outcome)
        {
            differences.Add($"outcome {Name(stored.Outcome)}, not {Name(arriving.Outcome)}");
        }

        if (stored.CompletedAt != arriving.CompletedAt)
        {
            differences.Add($"completion {Format(stored.CompletedAt)}, not {Format(arriving.CompletedAt)}");
        }

        if (stored.ExitCode != arriving.ExitCode)
        {
            differences.Add($"exit code {stored.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, not {arriving.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}");
        }

        if (!string.Equals(stored.Output, arriving.Output, StringComparison.Ordinal))
        {
            differences.Add("another output");
        }

        return differences.Count == 0
            ? new RunImportResult(arriving.RunId, RunImportStatus.AlreadyStored)
            : Conflict(arriving.RunId, $"run {arriving.RunId} is already completed with {string.Join(", ", differences)}");

        static RunImportResult Conflict(Guid runId, string detail) => new(runId, RunImportStatus.Conflict, detail);
        static string Name(RunOutcome outcome) => outcome.ToString().ToLowerInvariant();
        static string Format(DateTimeOffset? instant) => instant is { } value ? Timestamps.Format(value) : "none";
    }

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

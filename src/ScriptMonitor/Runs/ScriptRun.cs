namespace ScriptMonitor.Runs;

/// <summary>
/// One run of a script, successful, failed or still in progress.
/// </summary>
/// <param name="RunId">Identifies the run across its start and its completion, and makes re-delivery idempotent.</param>
/// <param name="ScriptName">The script's name.</param>
/// <param name="Hostname">The host the script ran on.</param>
/// <param name="StartedAt">When the run started, in UTC.</param>
/// <param name="CompletedAt">When the run completed, in UTC; null while it is in progress.</param>
/// <param name="Outcome">Running, succeeded or failed.</param>
/// <param name="ExitCode">The process exit status, where there is one.</param>
/// <param name="Output">The last part of the run's output, or a failure message; at most <see cref="MaxOutputLength"/> characters.</param>
public sealed record ScriptRun(
    Guid RunId,
    string ScriptName,
    string Hostname,
    DateTimeOffset StartedAt,
    DateTimeOffset? CompletedAt,
    RunOutcome Outcome,
    int? ExitCode,
    string? Output)
{
    /// <summary>
    /// The most characters of output kept per run: the tail is what explains a failure, and a bound keeps one
    /// noisy script from growing the store without limit.
    /// </summary>
    public const int MaxOutputLength = 10 * 1024;

    /// <summary>
    /// A new run id: a version 7 UUID of the instant it is made, so that ids are made in about the order runs are
    /// written and a store's index of ids grows at its end instead of taking each new id on a random page. A clock
    /// set before 1970, which such an id cannot hold, gets a random id: a bad clock never stops a run being recorded.
    /// </summary>
    /// <param name="madeAt">When the id is made.</param>
    public static Guid NewId(DateTimeOffset madeAt) =>
        madeAt >= DateTimeOffset.UnixEpoch ? Guid.CreateVersion7(madeAt) : Guid.NewGuid();

    /// <summary>The process that recorded the start and will record the end, where it is known.</summary>
    public RunnerProcess? Runner { get; init; }

    /// <summary>When and how the run reached the server that stored it; null for a run written directly into the store.</summary>
    public RunArrival? Arrival { get; init; }

    /// <summary>
    /// Whether the run's start is not known: a peer's completion without a start (a Healthchecks ping, a Cronitor
    /// <c>complete</c> without a duration) is stored as a run that starts when it completes, but how long it took is
    /// unknown. Such a run counts for availability (the last success, failures) and never for runtime (statistics, the
    /// learned band, the runtime rules). False for every run with a real start.
    /// </summary>
    public bool DurationUnknown { get; init; }

    /// <summary>How long the run took; null while it is in progress, and when <see cref="DurationUnknown"/>.</summary>
    public TimeSpan? Duration => DurationUnknown ? null : CompletedAt - StartedAt;

    /// <summary>The run as the spec's activity record, for a completed run.</summary>
    /// <exception cref="InvalidOperationException">The run has not completed.</exception>
    public ScriptActivity ToActivity() =>
        CompletedAt is { } completed
            ? new ScriptActivity(ScriptName, Hostname, StartedAt, completed)
            : throw new InvalidOperationException($"Run {RunId} of '{ScriptName}' has not completed.");
}

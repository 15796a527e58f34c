using ScriptMonitor.Runs;

namespace ScriptMonitor.Health;

/// <summary>One run as the health evaluation sees it: where, when, how long, and how it ended.</summary>
/// <param name="Hostname">The host it ran on.</param>
/// <param name="StartedAt">When it started, in UTC.</param>
/// <param name="CompletedAt">When it completed, in UTC; null while it is in progress.</param>
/// <param name="Outcome">Running, succeeded or failed.</param>
/// <param name="ExitCode">The exit status, where there is one.</param>
public sealed record HistoryRun(string Hostname, DateTimeOffset StartedAt, DateTimeOffset? CompletedAt, RunOutcome Outcome, int? ExitCode = null)
{
    /// <summary>Whether how long the run took is unknown (see <see cref="ScriptRun.DurationUnknown"/>): it then counts for availability, never for runtime.</summary>
    public bool DurationUnknown { get; init; }

    /// <summary>How long the run took; null while it is in progress, and when <see cref="DurationUnknown"/>.</summary>
    public TimeSpan? Duration => DurationUnknown ? null : CompletedAt - StartedAt;

    /// <summary>The health view of a stored run.</summary>
    /// <param name="run">The stored run.</param>
    public static HistoryRun From(ScriptRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new HistoryRun(run.Hostname, run.StartedAt, run.CompletedAt, run.Outcome, run.ExitCode) { DurationUnknown = run.DurationUnknown };
    }
}

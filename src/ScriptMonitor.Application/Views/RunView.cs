using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Views;

/// <summary>
/// One run as every front end shows it (<c>scriptmon last --json</c>, a run in <c>runs</c> and <c>status</c>, the
/// server's API): times ISO 8601 in UTC with offset, durations in seconds. A view is an interface: fields are added,
/// never renamed or removed.
/// </summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Script">The script's name.</param>
/// <param name="Host">The host it ran on.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="CompletedAt">When it ended; null while it runs.</param>
/// <param name="Outcome"><c>running</c>, <c>succeeded</c>, <c>failed</c> or <c>abandoned</c>.</param>
/// <param name="ExitCode">Its exit status, where there is one.</param>
/// <param name="DurationSeconds">How long it took; null while it runs, and when its start is not known (<see cref="DurationUnknown"/>).</param>
/// <param name="Output">The tail of its output, or a message.</param>
public sealed record RunView(
    Guid RunId,
    string Script,
    string Host,
    string StartedAt,
    string? CompletedAt,
    string Outcome,
    int? ExitCode,
    double? DurationSeconds,
    string? Output)
{
    /// <summary>When the server received it (UTC); null for a run recorded straight into the store.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? ReceivedAt { get; init; }

    /// <summary><c>live</c>, or <c>spool</c> for a run its client delivered late from its spool; null with <see cref="ReceivedAt"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Delivery { get; init; }

    /// <summary>True when the client's instants were more than <see cref="RunArrival.ClockSkewTolerance"/> from the server's clock at receipt; null with <see cref="ReceivedAt"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public bool? ClockSkew { get; init; }

    /// <summary>True for a completed run whose start is not known (a peer's ping without a start): <see cref="DurationSeconds"/> is then null. Null otherwise.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public bool? DurationUnknown { get; init; }

    /// <summary>The view of a run.</summary>
    /// <param name="run">The run.</param>
    public static RunView From(ScriptRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new(
            run.RunId,
            run.ScriptName,
            run.Hostname,
            Timestamps.FormatIso(run.StartedAt),
            run.CompletedAt is { } completed ? Timestamps.FormatIso(completed) : null,
            OutcomeText(run.Outcome),
            run.ExitCode,
            run.Duration is { } duration ? Seconds.Of(duration) : null,
            run.Output)
        {
            ReceivedAt = run.Arrival is { } arrival ? Timestamps.FormatIso(arrival.ReceivedAt) : null,
            Delivery = run.Arrival?.Delivery switch { RunDeliveryKind.Spool => "spool", RunDeliveryKind.Live => "live", _ => null },
            ClockSkew = run.Arrival?.ClockSkew,
            DurationUnknown = run.DurationUnknown ? true : null,
        };
    }

    /// <summary>An outcome as views name it: lower case.</summary>
    /// <param name="outcome">The outcome.</param>
    public static string OutcomeText(RunOutcome outcome) => outcome switch
    {
        RunOutcome.Running => "running",
        RunOutcome.Succeeded => "succeeded",
        RunOutcome.Failed => "failed",
        _ => outcome.ToString().ToLowerInvariant(),
    };
}

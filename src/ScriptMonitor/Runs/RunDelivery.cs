namespace ScriptMonitor.Runs;

/// <summary>How a run reached a server: as it happened, or later from a client's spool.</summary>
public enum RunDeliveryKind
{
    /// <summary>Sent when it happened (a start, a completion).</summary>
    Live = 0,

    /// <summary>Sent late, from a client's spool after the server could not be reached; such a run arrives late by design.</summary>
    Spool = 1,
}

/// <summary>
/// When and how a run reached the server that stored it. Runs written directly into a store (a local
/// <c>scriptmon exec</c>) have none.
/// </summary>
/// <param name="ReceivedAt">The server's clock when it received the run, in UTC.</param>
/// <param name="Delivery">Live or from a spool.</param>
/// <param name="ClockSkew">
/// Whether the client's instants disagree with the server's clock by more than <see cref="ClockSkewTolerance"/>: a
/// start after the receipt, or a completion after the receipt.
/// </param>
public sealed record RunArrival(DateTimeOffset ReceivedAt, RunDeliveryKind Delivery, bool ClockSkew)
{
    /// <summary>
    /// How far a client's instants may be after the server's receipt before the run is flagged: wider than the
    /// seconds NTP-synchronised hosts disagree by and a request takes, narrow enough to name a host whose clock is wrong.
    /// </summary>
    public static readonly TimeSpan ClockSkewTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The arrival of <paramref name="run"/> received at <paramref name="receivedAt"/>, with its skew judged.</summary>
    /// <param name="run">The run as the client sent it.</param>
    /// <param name="receivedAt">The server's clock at receipt.</param>
    /// <param name="delivery">Live or from a spool.</param>
    public static RunArrival Of(ScriptRun run, DateTimeOffset receivedAt, RunDeliveryKind delivery)
    {
        ArgumentNullException.ThrowIfNull(run);
        var latest = receivedAt + ClockSkewTolerance;
        return new RunArrival(Timestamps.Normalize(receivedAt), delivery, run.StartedAt > latest || run.CompletedAt > latest);
    }
}

/// <summary>A run given whole to <see cref="IScriptRunStore.ImportRunsAsync"/>, with how it arrived.</summary>
/// <param name="Run">The run: a start (running) or a completed run.</param>
/// <param name="ReceivedAt">The receiving server's clock; null for a run written locally, which has no receipt.</param>
/// <param name="Delivery">Live or from a spool; kept only with a receipt.</param>
public sealed record RunDelivery(ScriptRun Run, DateTimeOffset? ReceivedAt = null, RunDeliveryKind Delivery = RunDeliveryKind.Live);

/// <summary>What a store did with one run of a batch.</summary>
public enum RunImportStatus
{
    /// <summary>Written: a new run, or the completion of a run in progress (or presumed abandoned).</summary>
    Stored = 0,

    /// <summary>Already there as given (a retry); nothing changed.</summary>
    AlreadyStored = 1,

    /// <summary>A run with its id exists and disagrees: another script, host or start, or another completion. Nothing written.</summary>
    Conflict = 2,

    /// <summary>The run breaks a rule (see <see cref="RunImportResult.Errors"/>). Nothing written.</summary>
    Invalid = 3,
}

/// <summary>What a store did with one run of a batch, in the batch's order.</summary>
/// <param name="RunId">The run's id as given.</param>
/// <param name="Status">Stored, already stored, conflict or invalid.</param>
/// <param name="Detail">For a conflict, what differs, in a sentence; null otherwise.</param>
public sealed record RunImportResult(Guid RunId, RunImportStatus Status, string? Detail = null)
{
    /// <summary>For an invalid run, every rule it broke; empty otherwise.</summary>
    public IReadOnlyList<FieldError> Errors { get; init; } = [];
}

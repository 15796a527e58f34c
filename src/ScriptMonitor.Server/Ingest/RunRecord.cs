namespace ScriptMonitor.Server.Ingest;

/// <summary>
/// A run as a client sends it, finished or only started. Every field is nullable here so that a missing one is reported by name
/// (400 with its path) rather than as a body that could not be read.
/// </summary>
/// <param name="Id">The run's id, chosen by the client: sending the same run again stores it once.</param>
/// <param name="Script">The script's name.</param>
/// <param name="Host">The host it ran on.</param>
/// <param name="StartedAt">When it started, ISO 8601 with offset.</param>
/// <param name="CompletedAt">When it ended; absent for a run that has only started (outcome <c>running</c>).</param>
/// <param name="Outcome"><c>succeeded</c>, <c>failed</c>, or <c>running</c> for a start.</param>
/// <param name="ExitCode">Its exit status, where there is one.</param>
/// <param name="Output">The tail of its output; only the last 10,000 characters are kept.</param>
internal sealed record RunRecord(
    Guid? Id,
    string? Script,
    string? Host,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    string? Outcome,
    int? ExitCode,
    string? Output);

/// <summary>What the server did with a run: stored it now, or found it stored already.</summary>
/// <param name="Id">The run's id.</param>
/// <param name="Stored">True when this request stored it; false when it was there already (a retry).</param>
internal sealed record RunReceipt(Guid Id, bool Stored);

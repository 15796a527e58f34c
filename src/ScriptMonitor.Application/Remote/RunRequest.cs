namespace ScriptMonitor.Application.Remote;

/// <summary>A run as <c>POST /api/v1/runs</c> takes it: a start (outcome <c>running</c>, no completion) or a whole run.</summary>
/// <param name="Id">The run's id: sending it again stores it once.</param>
/// <param name="Script">The script's name.</param>
/// <param name="Host">The host it runs on.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="CompletedAt">When it ended; null for a start.</param>
/// <param name="Outcome"><c>running</c>, <c>succeeded</c> or <c>failed</c>.</param>
/// <param name="ExitCode">Its exit status, where there is one.</param>
/// <param name="Output">The tail of its output.</param>
/// <param name="Delivery"><c>live</c> as it happens, <c>spool</c> when delivered later from the spool.</param>
internal sealed record RunRequest(
    Guid Id,
    string Script,
    string Host,
    DateTimeOffset StartedAt,
    DateTimeOffset? CompletedAt,
    string Outcome,
    int? ExitCode,
    string? Output,
    string Delivery);

/// <summary>What the server did with a run.</summary>
/// <param name="Id">The run's id.</param>
/// <param name="Stored">True when this request changed the record; false when the server had it already (a retry).</param>
internal sealed record RunReceipt(Guid Id, bool Stored);

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

/// <summary>A run skipped because another run held the script's lock, as <c>POST /api/v1/skips</c> takes it.</summary>
/// <param name="Id">The event's id: sending it again stores it once.</param>
/// <param name="Script">The script's name.</param>
/// <param name="Host">The host it was skipped on.</param>
/// <param name="SkippedAt">When.</param>
/// <param name="Holder">Who held the lock.</param>
internal sealed record SkipRequest(Guid Id, string Script, string Host, DateTimeOffset SkippedAt, string Holder);

/// <summary>What the server did with a skipped run.</summary>
/// <param name="Id">The event's id.</param>
/// <param name="Stored">True when this request stored it; false when the server had it already.</param>
internal sealed record SkipReceipt(Guid Id, bool Stored);

/// <summary>How many entries a host's spool still holds, as <c>POST /api/v1/spool-backlog</c> takes it and answers it.</summary>
/// <param name="Host">The host whose spool it is.</param>
/// <param name="Waiting">Entries not yet delivered.</param>
internal sealed record SpoolBacklogRequest(string Host, int Waiting);

using System.Text.Json.Serialization;
using ScriptMonitor.Server.Api;

namespace ScriptMonitor.Server.Ingest;

/// <summary>
/// A run as a client sends it: finished, or only started (<c>outcome</c> <c>running</c>, no <c>completedAt</c>). Every
/// field is nullable here so that a missing one is reported by name (400 with its path) rather than as a body that
/// could not be read.
/// </summary>
/// <param name="Id">The run's id, chosen by the client: sending the same run again stores it once.</param>
/// <param name="Script">The script's name.</param>
/// <param name="Host">The host it ran on.</param>
/// <param name="StartedAt">When it started, ISO 8601 with offset.</param>
/// <param name="CompletedAt">When it ended; absent for a run still running.</param>
/// <param name="Outcome"><c>succeeded</c>, <c>failed</c> or <c>running</c>.</param>
/// <param name="ExitCode">Its exit status, where there is one.</param>
/// <param name="Output">The tail of its output; only the last 10,000 characters are kept.</param>
/// <param name="Delivery"><c>live</c> (the default) or <c>spool</c> for a run sent late from a client's spool.</param>
internal sealed record RunRecord(
    Guid? Id,
    string? Script,
    string? Host,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    string? Outcome,
    int? ExitCode,
    [property: JsonConverter(typeof(OutputJsonConverter))] string? Output,
    string? Delivery = null);

/// <summary>The start of a run, as <c>POST /api/v1/runs/start</c> takes it.</summary>
/// <param name="Id">The run's id; absent for one the server makes. With an id, sending it again stores it once.</param>
/// <param name="Script">The script's name.</param>
/// <param name="Host">The host it runs on.</param>
/// <param name="StartedAt">When it started, ISO 8601 with offset.</param>
internal sealed record RunStartRecord(Guid? Id, string? Script, string? Host, DateTimeOffset? StartedAt);

/// <summary>The end of a started run, as <c>POST /api/v1/runs/{id}/complete</c> takes it.</summary>
/// <param name="CompletedAt">When it ended, ISO 8601 with offset.</param>
/// <param name="Outcome"><c>succeeded</c> or <c>failed</c>.</param>
/// <param name="ExitCode">Its exit status, where there is one.</param>
/// <param name="Output">The tail of its output; only the last 10,000 characters are kept.</param>
internal sealed record RunCompletionRecord(DateTimeOffset? CompletedAt, string? Outcome, int? ExitCode, [property: JsonConverter(typeof(OutputJsonConverter))] string? Output);

/// <summary>What the server did with a run: stored it now, or found it stored already.</summary>
/// <param name="Id">The run's id.</param>
/// <param name="Stored">True when this request stored it; false when it was there already (a retry).</param>
internal sealed record RunReceipt(Guid Id, bool Stored);

/// <summary>What the server did with one run of <c>POST /api/v1/runs/batch</c>, in the request's order.</summary>
/// <param name="Id">The run's id as sent; null when it had none.</param>
/// <param name="Status"><c>stored</c>, <c>already-stored</c>, <c>conflict</c>, <c>invalid</c> or <c>forbidden</c>.</param>
/// <param name="Detail">For a conflict or a forbidden run, why; null otherwise.</param>
/// <param name="Errors">For an invalid run, every broken rule; null otherwise.</param>
internal sealed record RunBatchItem(Guid? Id, string Status, string? Detail = null, FieldProblem[]? Errors = null);

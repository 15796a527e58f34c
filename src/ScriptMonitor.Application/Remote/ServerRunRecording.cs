using ScriptMonitor.Application.Recording;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Remote;

/// <summary>
/// Records runs through a ScriptMonitor server: every record is one idempotent <c>POST</c> keyed by its id, so the
/// recorder and the spool may send it again freely. A start is the run with outcome <c>running</c>; the completion is
/// the whole run, which the server lays over the start; a spooled run is sent marked <c>"delivery":"spool"</c>.
/// </summary>
/// <remarks>
/// The sweep of this host's runs whose runner died needs the runner of each run, which a server does not hand out:
/// against a server it finds nothing, and such a run stays running on the server until its own checks find it.
/// </remarks>
internal sealed class ServerRunRecording(ServerConnection connection) : IRunRecording
{
    private const string RunsPath = "api/v1/runs";
    private const string SkipsPath = "api/v1/skips";
    private const string SpoolBacklogPath = "api/v1/spool-backlog";

    /// <inheritdoc/>
    public string Description => connection.Description;

    /// <inheritdoc/>
    public Task RecordStartAsync(ScriptRun run, RunnerProcess? runner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        return PostRunAsync(run, Delivery.Live, cancellationToken);
    }

    /// <inheritdoc/>
    public Task CompleteRunAsync(ScriptRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.CompletedAt is null)
        {
            throw new ArgumentException("A completed run has its completion.", nameof(run));
        }

        return PostRunAsync(run, Delivery.Live, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> ImportRunAsync(ScriptRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);

        // The recorder imports only what the spool kept, or a run whose start did not get through: either way a
        // delivery after the fact, which the server tells apart from a run recorded as it happened.
        return PostRunAsync(run, Delivery.Spool, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<bool> RecordSkipAsync(ScriptSkip skip, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(skip);
        var request = new SkipRequest(skip.EventId, skip.ScriptName, skip.Hostname, skip.SkippedAt, skip.Holder);
        var reply = await connection.PostJsonAsync(SkipsPath, request, RemoteJsonContext.Default.SkipRequest, RemoteJsonContext.Default.SkipReceipt, cancellationToken).ConfigureAwait(false);
        return reply.Value.Stored;
    }

    /// <inheritdoc/>
    /// <inheritdoc/>
    public async Task ReportSpoolBacklogAsync(string hostname, int waiting, CancellationToken cancellationToken = default)
    {
        var request = new SpoolBacklogRequest(hostname, waiting);
        await connection.PostJsonAsync(SpoolBacklogPath, request, RemoteJsonContext.Default.SpoolBacklogRequest, RemoteJsonContext.Default.SpoolBacklogRequest, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<ScriptRun>> ListRunningAsync(string hostname, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ScriptRun>>([]);

    /// <inheritdoc/>
    public Task<bool> AbandonRunAsync(Guid runId, DateTimeOffset abandonedAt, string reason, CancellationToken cancellationToken = default) =>
        Task.FromResult(false);

    /// <inheritdoc/>
    public void Dispose()
    {
        // The connection's client is the process's, shared by every connection: nothing of this one's to release.
    }

    private async Task<bool> PostRunAsync(ScriptRun run, string delivery, CancellationToken cancellationToken)
    {
        // Only the tail the store keeps is sent: a run from an older spool, or built by hand, may carry more, and the
        // rest would only bring the body nearer the server's limit.
        var request = new RunRequest(run.RunId, run.ScriptName, run.Hostname, run.StartedAt, run.CompletedAt, Outcome(run.Outcome), run.ExitCode, Tail(run.Output), delivery);
        var reply = await connection.PostJsonAsync(RunsPath, request, RemoteJsonContext.Default.RunRequest, RemoteJsonContext.Default.RunReceipt, cancellationToken).ConfigureAwait(false);
        return reply.Value.Stored;
    }

    /// <summary>The last <see cref="ScriptRun.MaxOutputLength"/> characters, never starting with half a character.</summary>
    private static string? Tail(string? output)
    {
        if (output is null || output.Length <= ScriptRun.MaxOutputLength)
        {
            return output;
        }

        var tail = output[^ScriptRun.MaxOutputLength..];
        return char.IsLowSurrogate(tail[0]) ? tail[1..] : tail;
    }

    private static string Outcome(RunOutcome outcome) => outcome switch
    {
        RunOutcome.Running => "running",
        RunOutcome.Succeeded => "succeeded",
        RunOutcome.Failed => "failed",

        // A recorder never sends another outcome; the server's 400 names the field if one ever does.
        _ => outcome.ToString().ToLowerInvariant(),
    };

    private static class Delivery
    {
        public const string Live = "live";
        public const string Spool = "spool";
    }
}

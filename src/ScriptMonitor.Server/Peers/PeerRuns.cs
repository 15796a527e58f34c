using System.Security.Cryptography;
using System.Text;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Hosting;
using ScriptMonitor.Server.Ingest;

namespace ScriptMonitor.Server.Peers;

/// <summary>
/// How a peer's pings become runs: a start is a run that is running; a completion completes the run it pairs with
/// (by the peer's run id, else the script's newest running run), or is a run of its own whose runtime is unknown.
/// Every write goes through the group commit, like a native run's.
/// </summary>
internal static class PeerRuns
{
    /// <summary>
    /// The run id of a peer's pairing token (a Healthchecks rid, a Cronitor series) within one check: a version 8
    /// UUID of both, so that the same token of two checks names two runs, and a retry names the same one.
    /// </summary>
    public static Guid IdOf(Guid check, string token)
    {
        var input = new byte[16 + Encoding.UTF8.GetByteCount(token)];
        check.TryWriteBytes(input.AsSpan(0, 16), bigEndian: true, out _);
        Encoding.UTF8.GetBytes(token, input.AsSpan(16));
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }

    public static async Task<RunImportResult> StartAsync(IngestQueue queue, string script, Guid runId, string host, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var run = new ScriptRun(runId, script, host, at, null, RunOutcome.Running, null, null);
        return await queue.SubmitAsync(new RunDelivery(run, at), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Completes the run <paramref name="paired"/> names, else the script's newest running run, else records a run of its own.</summary>
    /// <param name="knownDuration">How long the run took, when the peer says so without a start; null when unknown: the
    /// run then starts when it completes (the store has no mark for an unknown runtime yet, so it reads as 0 s).</param>
    public static async Task<RunImportResult?> CompleteAsync(
        ServerStore store, IngestQueue queue, string script, Guid? paired, string host, DateTimeOffset at, DateTimeOffset receivedAt, bool failed, int? exitCode, string? output, TimeSpan? knownDuration, CancellationToken cancellationToken)
    {
        var started = paired is { } id
            ? await store.Runs.GetRunAsync(id, cancellationToken).ConfigureAwait(false)
            : (await store.Runs.ListRunsAsync(new RunQuery(script) { Outcome = RunOutcome.Running, Limit = 1 }, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
        if (started is { Outcome: not RunOutcome.Running })
        {
            // Completed already: a client's retry of the completion.
            return null;
        }

        var outcome = failed ? RunOutcome.Failed : RunOutcome.Succeeded;
        var run = started is null
            ? new ScriptRun(paired ?? ScriptRun.NewId(at), script, host, knownDuration is { } took && took > TimeSpan.Zero ? at - took : at, at, outcome, exitCode, output)
            : started with { CompletedAt = at < started.StartedAt ? started.StartedAt : at, Outcome = outcome, ExitCode = exitCode, Output = output };
        return await queue.SubmitAsync(new RunDelivery(run, receivedAt), cancellationToken).ConfigureAwait(false);
    }
}

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

    /// <summary>A run that is its own start and end (a Kuma push: a heartbeat, never paired), of unknown duration.</summary>
    public static async Task<RunImportResult> RecordAloneAsync(IngestQueue queue, string script, string host, DateTimeOffset at, bool failed, string? output, CancellationToken cancellationToken)
    {
        var run = new ScriptRun(ScriptRun.NewId(at), script, host, at, at, failed ? RunOutcome.Failed : RunOutcome.Succeeded, null, output) { DurationUnknown = true };
        return await queue.SubmitAsync(new RunDelivery(run, at), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Completes the run <paramref name="paired"/> names, else the script's newest run in progress, else records a run
    /// of its own. Starts are looked up in <see cref="OpenRuns"/>, not the store: a success without a start (the
    /// common ping) costs no read. Only a completion with a pairing token whose start is not in memory reads the store,
    /// by the run's id (a start made before the memory's last refresh by another writer, a client's retry).
    /// </summary>
    /// <param name="knownDuration">How long the run took, when the peer says so without a start; null when unknown: the
    /// run then starts when it completes and is marked <see cref="ScriptRun.DurationUnknown"/>.</param>
    public static async Task<RunImportResult?> CompleteAsync(
        ServerStore store, IngestQueue queue, OpenRuns openRuns, string script, Guid? paired, string host, DateTimeOffset at, DateTimeOffset receivedAt, bool failed, int? exitCode, string? output, TimeSpan? knownDuration, CancellationToken cancellationToken)
    {
        if (!openRuns.Loaded.IsCompleted)
        {
            await openRuns.Loaded.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var outcome = failed ? RunOutcome.Failed : RunOutcome.Succeeded;
        var started = paired is { } id ? openRuns.TryTake(id) : openRuns.TryTakeNewest(script);
        if (started is null && paired is { } unknown)
        {
            var stored = await store.Runs.GetRunAsync(unknown, cancellationToken).ConfigureAwait(false);
            if (stored is { Outcome: not RunOutcome.Running })
            {
                // Completed already: a client's retry of the completion.
                return null;
            }

            started = stored;
        }

        while (started is not null)
        {
            var completion = started with { CompletedAt = at < started.StartedAt ? started.StartedAt : at, Outcome = outcome, ExitCode = exitCode, Output = output };
            RunImportResult result;
            try
            {
                result = await queue.SubmitAsync(new RunDelivery(completion, receivedAt), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                openRuns.Return(started);
                throw;
            }

            if (result.Status == RunImportStatus.Stored || paired is not null)
            {
                return result;
            }

            // The memory's run was completed by another writer meanwhile: pair with the next one, else stand alone.
            started = openRuns.TryTakeNewest(script);
        }

        var run = knownDuration is { } took && took >= TimeSpan.Zero
            ? new ScriptRun(paired ?? ScriptRun.NewId(at), script, host, at - took, at, outcome, exitCode, output)
            : new ScriptRun(paired ?? ScriptRun.NewId(at), script, host, at, at, outcome, exitCode, output) { DurationUnknown = true };
        return await queue.SubmitAsync(new RunDelivery(run, receivedAt), cancellationToken).ConfigureAwait(false);
    }
}

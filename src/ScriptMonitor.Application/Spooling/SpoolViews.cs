using ScriptMonitor.Application.Recording;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Spooling;

/// <summary>The spool as views: what waits in it, and delivering it.</summary>
public static class SpoolViews
{
    /// <summary>What waits, oldest first, and the entries that cannot be read. Only looks: nothing is moved.</summary>
    /// <param name="spool">The spool.</param>
    public static SpoolListView List(RunSpool spool)
    {
        ArgumentNullException.ThrowIfNull(spool);
        var contents = spool.Scan();
        return new SpoolListView(
            spool.Directory,
            [
                .. contents.Entries.Select(e => new SpoolEntryView(
                    e.Path,
                    e.Entry.RunId,
                    e.Entry.ScriptName,
                    e.Entry.Hostname,
                    Timestamps.FormatIso(e.Entry.StartedAt),
                    e.Entry.CompletedAt is { } c ? Timestamps.FormatIso(c) : null,
                    RunView.OutcomeText(e.Entry.Outcome),
                    e.Entry.ExitCode,
                    Timestamps.FormatIso(e.Entry.SpooledAt),
                    e.Entry.Reason)),
            ],
            [
                .. contents.Skips.Select(e => new SpoolSkipView(
                    e.Path,
                    e.Entry.EventId,
                    e.Entry.ScriptName,
                    e.Entry.Hostname,
                    Timestamps.FormatIso(e.Entry.SkippedAt),
                    e.Entry.Holder,
                    Timestamps.FormatIso(e.Entry.SpooledAt),
                    e.Entry.Reason)),
            ],
            [.. contents.Unreadable.Select(u => new UnreadableSpoolEntryView(u.Path, u.Reason, u.Malformed))],
            contents.RejectedCount);
    }

    /// <summary>
    /// Delivers what waits, oldest first, stopping at the first failure of the store. When another delivery is running,
    /// waits up to <paramref name="lockWait"/> for it, then delivers what it left. An empty spool does not connect.
    /// </summary>
    /// <param name="spool">The spool.</param>
    /// <param name="connect">Connects to where records go.</param>
    /// <param name="target">Where records go, for the view when nothing is delivered.</param>
    /// <param name="lockWait">How long to wait for another delivery.</param>
    /// <param name="cancellationToken">Cancels the delivery between entries.</param>
    /// <exception cref="SpoolUnavailableException">The spool cannot be listed, locked or changed.</exception>
    public static async Task<SpoolFlushView> FlushAsync(RunSpool spool, Func<IRunRecording> connect, string target, TimeSpan lockWait, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spool);
        ArgumentNullException.ThrowIfNull(connect);
        var waiting = spool.Scan();
        if (waiting.Entries.Count == 0 && waiting.Skips.Count == 0 && waiting.Unreadable.Count == 0)
        {
            // Nothing to deliver: the store is not even opened, so an empty spool never creates a database.
            return new SpoolFlushView(target, 0, 0, 0, 0, null);
        }

        using var opened = connect();

        // Delivery reports the store's failures itself, and a spool that cannot be locked or changed is the local
        // disk's problem (SpoolUnavailableException), never the store's.
        var delivery = await spool.DeliverAsync(opened, lockWait, cancellationToken).ConfigureAwait(false);
        return new SpoolFlushView(opened.Description, delivery.Delivered, delivery.AlreadyStored, delivery.Rejected, delivery.Remaining, delivery.Error);
    }
}

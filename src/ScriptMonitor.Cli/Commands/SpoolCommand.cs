using System.CommandLine;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Output;
using ScriptMonitor.Runs;
using ScriptMonitor.Application.Spooling;
using ScriptMonitor.Application.Lifecycle;

namespace ScriptMonitor.Cli.Commands;

/// <summary><c>scriptmon spool list</c> and <c>scriptmon spool flush</c>: runs waiting on local disk for the store.</summary>
internal static class SpoolCommand
{
    internal static Command Create(CliContext context)
    {
        var listJson = CommonOptions.Json();
        var list = new Command("list", "List the runs (and skipped runs) waiting in the spool, oldest first, and the entries that cannot be read.") { listJson };
        list.SetAction(parse => List(context, parse.GetValue(listJson)));

        var flushJson = CommonOptions.Json();
        var flush = new Command("flush", "Deliver the spooled runs to the store (exit 3 when some are still waiting).") { flushJson };
        flush.SetAction(parse => Flush(context, parse.GetValue(flushJson)));

        return new Command("spool", "Runs that could not be stored when they ended, kept until the store can take them.") { list, flush };
    }

    /// <summary>
    /// How long <c>flush</c> waits for another delivery (another flush, or an <c>exec</c> that reached the store) to
    /// finish: long enough for a delivery of thousands of runs, short enough for a person at a terminal.
    /// </summary>
    internal static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);

    private static RunSpool OpenSpool(CliContext context) =>
        new(CliContext.ResolveSettings().SpoolDirectory, context.Time, context.Logger);

    /// <summary>Only looks: unreadable entries are listed with the reason, and moved aside by the next delivery.</summary>
    private static int List(CliContext context, bool json)
    {
        var spool = OpenSpool(context);
        var contents = spool.Scan();
        var entries = contents.Entries;
        if (json)
        {
            var items = entries.Select(e => new SpoolEntryJson(
                e.Path,
                e.Entry.RunId,
                e.Entry.ScriptName,
                e.Entry.Hostname,
                Timestamps.FormatIso(e.Entry.StartedAt),
                e.Entry.CompletedAt is { } c ? Timestamps.FormatIso(c) : null,
                RunJson.OutcomeText(e.Entry.Outcome),
                e.Entry.ExitCode,
                Timestamps.FormatIso(e.Entry.SpooledAt),
                e.Entry.Reason)).ToList();
            var skips = contents.Skips.Select(e => new SpoolSkipJson(
                e.Path,
                e.Entry.EventId,
                e.Entry.ScriptName,
                e.Entry.Hostname,
                Timestamps.FormatIso(e.Entry.SkippedAt),
                e.Entry.Holder,
                Timestamps.FormatIso(e.Entry.SpooledAt),
                e.Entry.Reason)).ToList();
            var unreadable = contents.Unreadable.Select(u => new UnreadableSpoolEntryJson(u.Path, u.Reason)).ToList();
            return Json.Write(context, new SpoolListJson(spool.Directory, items, skips, unreadable, contents.RejectedCount), CliJsonContext.Default.SpoolListJson);
        }

        if (entries.Count == 0 && contents.Skips.Count == 0 && contents.Unreadable.Count == 0)
        {
            context.Terminal.Out.WriteLine($"The spool {spool.Directory} is empty.");
        }
        else if (entries.Count > 0)
        {
            var table = new Table("SCRIPT", "STARTED", "OUTCOME", "EXIT", "HOST", "SPOOLED", "RUN ID", "REASON");
            foreach (var (_, entry) in entries)
            {
                table.Add(
                    (CliContext.OneLine(entry.ScriptName), Tint.Bold),
                    (Timestamps.FormatIso(entry.StartedAt), Tint.None),
                    (RunJson.OutcomeText(entry.Outcome), RunView.OutcomeTint(entry.Outcome)),
                    (entry.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-", Tint.None),
                    (CliContext.OneLine(entry.Hostname), Tint.None),
                    (Timestamps.FormatIso(entry.SpooledAt), Tint.None),
                    (entry.RunId.ToString(), Tint.Dim),
                    (CliContext.OneLine(entry.Reason ?? "-"), Tint.Dim));
            }

            table.Write(context.Terminal);
        }

        foreach (var (_, skip) in contents.Skips)
        {
            context.Terminal.Out.WriteLine($"skipped run: {CliContext.OneLine(skip.ScriptName)} on {CliContext.OneLine(skip.Hostname)} at {Timestamps.FormatIso(skip.SkippedAt)}, lock held by {CliContext.OneLine(skip.Holder)} (spooled {Timestamps.FormatIso(skip.SpooledAt)})");
        }

        foreach (var problem in contents.Unreadable)
        {
            context.Terminal.Out.WriteLine($"unreadable: {problem.Path}: {CliContext.OneLine(problem.Reason)}{(problem.Malformed ? " (the next delivery moves it to rejected/)" : string.Empty)}");
        }

        if (contents.RejectedCount > 0)
        {
            context.Terminal.Out.WriteLine($"set aside:  {contents.RejectedCount} in {Path.Combine(spool.Directory, "rejected")}");
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// Exit 0 when everything was delivered (by this flush, or by another one it waited for); 3 when runs are still
    /// waiting (the store failed, another delivery did not finish in time, entries this user cannot read); 1 when
    /// entries were set aside in <c>rejected/</c> (unreadable, or refused by the store) and nothing is waiting.
    /// </summary>
    private static int Flush(CliContext context, bool json)
    {
        var spool = OpenSpool(context);
        var waiting = spool.Scan();
        SpoolDelivery delivery;
        string store;
        if (waiting.Entries.Count == 0 && waiting.Skips.Count == 0 && waiting.Unreadable.Count == 0)
        {
            // Nothing to deliver: the store is not even opened, so an empty spool never creates a database.
            delivery = new SpoolDelivery(0, 0, 0, 0, null);
            store = context.ResolveLocation().ToString();
        }
        else
        {
            using var opened = context.OpenStore();
            store = opened.Description;
            // Not through CliContext.Call: delivery reports the store's failures itself, and a spool that cannot be
            // locked or changed is the local disk's problem (SpoolUnavailableException), never the store's.
            delivery = spool.DeliverAsync(opened, LockWait, CancellationToken.None).GetAwaiter().GetResult();
        }

        var status = delivery.Remaining > 0 ? ExitCodes.Unavailable : delivery.Rejected > 0 ? ExitCodes.NotFound : ExitCodes.Ok;
        if (json)
        {
            return Json.Write(
                context,
                new SpoolFlushJson(store, delivery.Delivered, delivery.AlreadyStored, delivery.Rejected, delivery.Remaining, delivery.Error),
                CliJsonContext.Default.SpoolFlushJson,
                status);
        }

        context.Terminal.Out.WriteLine($"delivered:      {delivery.Delivered}");
        context.Terminal.Out.WriteLine($"already stored: {delivery.AlreadyStored}");
        context.Terminal.Out.WriteLine($"rejected:       {delivery.Rejected}{(delivery.Rejected > 0 ? $" (moved to {Path.Combine(spool.Directory, "rejected")})" : string.Empty)}");
        context.Terminal.Out.WriteLine($"remaining:      {delivery.Remaining}");
        if (delivery.Error is { } error)
        {
            context.Terminal.Error.WriteLine($"scriptmon: error: delivery stopped: {CliContext.OneLine(error)}");
        }

        return status;
    }
}

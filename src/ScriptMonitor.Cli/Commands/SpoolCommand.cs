using System.CommandLine;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Output;
using ScriptMonitor.Runs;
using ScriptMonitor.Scripts.Spooling;

namespace ScriptMonitor.Cli.Commands;

/// <summary><c>scriptmon spool list</c> and <c>scriptmon spool flush</c>: runs waiting on local disk for the store.</summary>
internal static class SpoolCommand
{
    internal static Command Create(CliContext context)
    {
        var listJson = CommonOptions.Json();
        var list = new Command("list", "List the runs waiting in the spool, oldest first.") { listJson };
        list.SetAction(parse => List(context, parse.GetValue(listJson)));

        var flushJson = CommonOptions.Json();
        var flush = new Command("flush", "Deliver the spooled runs to the store (exit 3 when some are still waiting).") { flushJson };
        flush.SetAction(parse => Flush(context, parse.GetValue(flushJson)));

        return new Command("spool", "Runs that could not be stored when they ended, kept until the store can take them.") { list, flush };
    }

    private static RunSpool OpenSpool(CliContext context) =>
        new(CliContext.ResolveSettings().SpoolDirectory, context.Time, context.Logger);

    private static int List(CliContext context, bool json)
    {
        var spool = OpenSpool(context);
        var entries = spool.List();
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
            return Json.Write(context, new SpoolListJson(spool.Directory, items), CliJsonContext.Default.SpoolListJson);
        }

        if (entries.Count == 0)
        {
            context.Terminal.Out.WriteLine($"The spool {spool.Directory} is empty.");
            return ExitCodes.Ok;
        }

        var table = new Table("SCRIPT", "STARTED", "OUTCOME", "EXIT", "HOST", "SPOOLED", "RUN ID", "REASON");
        foreach (var (_, entry) in entries)
        {
            table.Add(
                (entry.ScriptName, Tint.Bold),
                (Timestamps.FormatIso(entry.StartedAt), Tint.None),
                (RunJson.OutcomeText(entry.Outcome), RunView.OutcomeTint(entry.Outcome)),
                (entry.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-", Tint.None),
                (entry.Hostname, Tint.None),
                (Timestamps.FormatIso(entry.SpooledAt), Tint.None),
                (entry.RunId.ToString(), Tint.Dim),
                (CliContext.OneLine(entry.Reason ?? "-"), Tint.Dim));
        }

        table.Write(context.Terminal);
        return ExitCodes.Ok;
    }

    private static int Flush(CliContext context, bool json)
    {
        var spool = OpenSpool(context);
        using var store = context.OpenStore();
        var delivery = CliContext.Call(store, s => spool.DeliverAsync(s, CancellationToken.None));
        var status = delivery.Remaining > 0 ? ExitCodes.Unavailable : ExitCodes.Ok;
        if (json)
        {
            return Json.Write(
                context,
                new SpoolFlushJson(store.Description, delivery.Delivered, delivery.AlreadyStored, delivery.Rejected, delivery.Remaining, delivery.Error),
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

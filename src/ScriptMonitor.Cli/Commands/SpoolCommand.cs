using System.CommandLine;
using ScriptMonitor.Application.Lifecycle;
using ScriptMonitor.Application.Spooling;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Output;

namespace ScriptMonitor.Cli.Commands;

/// <summary><c>scriptmon spool list</c> and <c>scriptmon spool flush</c>: runs waiting on local disk for the store.</summary>
internal static class SpoolCommand
{
    /// <summary>
    /// How long <c>flush</c> waits for another delivery (another flush, or an <c>exec</c> that reached the store) to
    /// finish: long enough for a delivery of thousands of runs, short enough for a person at a terminal.
    /// </summary>
    internal static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);

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

    private static RunSpool OpenSpool(CliContext context) =>
        new(CliContext.ResolveSettings().SpoolDirectory, context.Time, context.Logger);

    /// <summary>Only looks: unreadable entries are listed with the reason, and moved aside by the next delivery.</summary>
    private static int List(CliContext context, bool json)
    {
        var contents = SpoolViews.List(OpenSpool(context));
        if (json)
        {
            return Json.Write(context, contents, ViewJsonContext.Default.SpoolListView);
        }

        var output = context.Terminal.Out;
        if (contents.Entries.Count == 0 && contents.Skips.Count == 0 && contents.Unreadable.Count == 0)
        {
            output.WriteLine($"The spool {contents.Directory} is empty.");
        }
        else if (contents.Entries.Count > 0)
        {
            var table = new Table("SCRIPT", "STARTED", "OUTCOME", "EXIT", "HOST", "SPOOLED", "RUN ID", "REASON");
            foreach (var entry in contents.Entries)
            {
                table.Add(
                    (CliContext.OneLine(entry.Script), Tint.Bold),
                    (entry.StartedAt, Tint.None),
                    (entry.Outcome, RunText.OutcomeTint(entry.Outcome)),
                    (entry.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-", Tint.None),
                    (CliContext.OneLine(entry.Host), Tint.None),
                    (entry.SpooledAt, Tint.None),
                    (entry.RunId.ToString(), Tint.Dim),
                    (CliContext.OneLine(entry.Reason ?? "-"), Tint.Dim));
            }

            table.Write(context.Terminal);
        }

        foreach (var skip in contents.Skips)
        {
            output.WriteLine($"skipped run: {CliContext.OneLine(skip.Script)} on {CliContext.OneLine(skip.Host)} at {skip.SkippedAt}, lock held by {CliContext.OneLine(skip.Holder)} (spooled {skip.SpooledAt})");
        }

        foreach (var problem in contents.Unreadable)
        {
            output.WriteLine($"unreadable: {problem.Path}: {CliContext.OneLine(problem.Reason)}{(problem.Malformed ? " (the next delivery moves it to rejected/)" : string.Empty)}");
        }

        if (contents.Rejected > 0)
        {
            output.WriteLine($"set aside:  {contents.Rejected} in {Path.Combine(contents.Directory, "rejected")}");
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
        var services = context.Services;
        var delivery = CliContext.Await(SpoolViews.FlushAsync(spool, () => services.ConnectRecording(), services.Location.ToString(), LockWait));
        var status = delivery.Remaining > 0 ? ExitCodes.Unavailable : delivery.Rejected > 0 ? ExitCodes.NotFound : ExitCodes.Ok;
        if (json)
        {
            return Json.Write(context, delivery, ViewJsonContext.Default.SpoolFlushView, status);
        }

        var output = context.Terminal.Out;
        output.WriteLine($"delivered:      {delivery.Delivered}");
        output.WriteLine($"already stored: {delivery.AlreadyStored}");
        output.WriteLine($"rejected:       {delivery.Rejected}{(delivery.Rejected > 0 ? $" (moved to {Path.Combine(spool.Directory, "rejected")})" : string.Empty)}");
        output.WriteLine($"remaining:      {delivery.Remaining}");
        if (delivery.Error is { } error)
        {
            context.Terminal.Error.WriteLine($"scriptmon: error: delivery stopped: {CliContext.OneLine(error)}");
        }

        return status;
    }
}

using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Scripts.Spooling;

/// <summary>
/// Runs that could not be written to the store, kept on local disk until they can. Each run is one file, written
/// to a temporary name, flushed, then renamed into place, so a crash leaves either the whole entry or none. The
/// store's <see cref="IScriptRunStore.ImportRunAsync"/> is keyed by run id, so a delivery interrupted between
/// "stored" and "file removed" stores nothing twice: each run lands exactly once. Skipped runs
/// (<see cref="ScriptSkip"/>) wait the same way, in files of their own kind, keyed by their event id.
/// </summary>
internal sealed partial class RunSpool(string directory, TimeProvider timeProvider, ILogger logger)
{
    private const string EntrySuffix = ".run.json";

    /// <summary>Skip events get a suffix of their own, which older readers of the spool do not pick up as runs.</summary>
    private const string SkipSuffix = ".skip.json";
    private const string RejectedFolder = "rejected";
    private const string DeliveryLockName = ".delivery.lock";

    internal string Directory { get; } = directory;

    /// <summary>Spools a run and returns the entry's file.</summary>
    internal string Add(ScriptRun run, string? reason)
    {
        ArgumentNullException.ThrowIfNull(run);
        var now = timeProvider.GetUtcNow();
        return Write(
            string.Create(CultureInfo.InvariantCulture, $"{now.UtcTicks:D19}-{run.RunId:N}-{run.Outcome.ToString().ToLowerInvariant()}{EntrySuffix}"),
            file => JsonSerializer.Serialize(file, SpoolEntry.From(run, now, reason), SpoolJsonContext.Default.SpoolEntry));
    }

    /// <summary>
    /// Whether anything waits, by file name only: a cheap look that a short-lived writer can afford after every run,
    /// before delivery takes the lock and reads every entry.
    /// </summary>
    internal bool HasWaitingEntries() =>
        System.IO.Directory.Exists(Directory)
        && (System.IO.Directory.EnumerateFiles(Directory, "*" + EntrySuffix).Any() || System.IO.Directory.EnumerateFiles(Directory, "*" + SkipSuffix).Any());

    /// <summary>Spools a skipped run and returns the entry's file.</summary>
    internal string AddSkip(ScriptSkip skip, string? reason)
    {
        ArgumentNullException.ThrowIfNull(skip);
        var now = timeProvider.GetUtcNow();
        return Write(
            string.Create(CultureInfo.InvariantCulture, $"{now.UtcTicks:D19}-{skip.EventId:N}-skipped{SkipSuffix}"),
            file => JsonSerializer.Serialize(file, SkipSpoolEntry.From(skip, now, reason), SpoolJsonContext.Default.SkipSpoolEntry));
    }

    /// <summary>The skipped runs waiting, oldest first. Unreadable entries are logged and left where they are.</summary>
    internal IReadOnlyList<(string Path, SkipSpoolEntry Entry)> ListSkips()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var entries = new List<(string, SkipSpoolEntry)>();
        foreach (var path in System.IO.Directory.GetFiles(Directory, "*" + SkipSuffix).Order(StringComparer.Ordinal))
        {
            if (TryReadSkip(path) is { } entry)
            {
                entries.Add((path, entry));
            }
        }

        return entries;
    }

    /// <summary>The entries waiting, oldest first. Unreadable entries are logged and left where they are.</summary>
    internal IReadOnlyList<(string Path, SpoolEntry Entry)> List()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var entries = new List<(string, SpoolEntry)>();
        foreach (var path in System.IO.Directory.GetFiles(Directory, "*" + EntrySuffix).Order(StringComparer.Ordinal))
        {
            if (TryRead(path) is { } entry)
            {
                entries.Add((path, entry));
            }
        }

        return entries;
    }

    /// <summary>
    /// Delivers every waiting run to the store, oldest first, unless another process is delivering already.
    /// Stops at the first failure of the store, leaving the rest for next time.
    /// </summary>
    internal async Task<SpoolDelivery> DeliverAsync(IScriptRunStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!System.IO.Directory.Exists(Directory))
        {
            return new SpoolDelivery(0, 0, 0, 0, null);
        }

        FileStream deliveryLock;
        try
        {
            deliveryLock = new FileStream(Path.Combine(Directory, DeliveryLockName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return new SpoolDelivery(0, 0, 0, List().Count + ListSkips().Count, "another process is delivering the spool");
        }

        using (deliveryLock)
        {
            // Runs first, then skips: the two kinds are independent, and each kind keeps its own order.
            var waiting = List()
                .Select(e => (e.Path, Deliver: (Func<Task<bool>>)(() => store.ImportRunAsync(e.Entry.ToRun(), cancellationToken))))
                .Concat(ListSkips().Select(e => (e.Path, Deliver: (Func<Task<bool>>)(() => store.RecordSkipAsync(e.Entry.ToSkip(), cancellationToken)))))
                .ToList();
            int delivered = 0, alreadyStored = 0, rejected = 0;
            for (var i = 0; i < waiting.Count; i++)
            {
                var (path, deliver) = waiting[i];
                try
                {
                    if (await deliver().ConfigureAwait(false))
                    {
                        delivered++;
                    }
                    else
                    {
                        alreadyStored++;
                    }

                    File.Delete(path);
                }
                catch (ArgumentException e)
                {
                    LogRejected(logger, path, e.Message);
                    MoveToRejected(path);
                    rejected++;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogDeliveryStopped(logger, e, waiting.Count - i, e.Message);
                    DirectorySync.Flush(Directory);
                    return new SpoolDelivery(delivered, alreadyStored, rejected, waiting.Count - i, e.Message);
                }
            }

            DirectorySync.Flush(Directory);
            if (delivered + alreadyStored > 0)
            {
                LogDelivered(logger, delivered + alreadyStored, store.Description);
            }

            return new SpoolDelivery(delivered, alreadyStored, rejected, 0, null);
        }
    }

    private string Write(string name, Action<Stream> serialize)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var final = Path.Combine(Directory, name);
        var temporary = Path.Combine(Directory, "." + name + ".tmp");
        using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            serialize(file);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, final);
        DirectorySync.Flush(Directory);
        return final;
    }

    private SkipSpoolEntry? TryReadSkip(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            var entry = JsonSerializer.Deserialize(file, SpoolJsonContext.Default.SkipSpoolEntry);
            if (entry is { Format: SkipSpoolEntry.CurrentFormat })
            {
                return entry;
            }

            LogUnreadable(logger, path, $"unknown format {entry?.Format}");
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            LogUnreadable(logger, path, e.Message);
        }

        return null;
    }

    private SpoolEntry? TryRead(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            var entry = JsonSerializer.Deserialize(file, SpoolJsonContext.Default.SpoolEntry);
            if (entry is { Format: SpoolEntry.CurrentFormat })
            {
                return entry;
            }

            LogUnreadable(logger, path, $"unknown format {entry?.Format}");
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            LogUnreadable(logger, path, e.Message);
        }

        return null;
    }

    private void MoveToRejected(string path)
    {
        var folder = Path.Combine(Directory, RejectedFolder);
        System.IO.Directory.CreateDirectory(folder);
        File.Move(path, Path.Combine(folder, Path.GetFileName(path)), overwrite: true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivered {Count} spooled run(s) to {Store}.")]
    private static partial void LogDelivered(ILogger logger, int count, string store);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spool delivery stopped with {Remaining} run(s) still waiting: {Reason}")]
    private static partial void LogDeliveryStopped(ILogger logger, Exception exception, int remaining, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Spooled run {Path} was refused by the store and moved aside: {Reason}")]
    private static partial void LogRejected(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spooled run {Path} cannot be read and is left in place: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason);
}

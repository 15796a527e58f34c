using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ScriptMonitor.Application.Recording;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Spooling;

/// <summary>
/// Runs that could not be written to the store, kept on local disk until they can. Each run is one file, written
/// to a temporary name, flushed, then renamed into place, so a crash leaves either the whole entry or none. The
/// store's <see cref="IRunRecording.ImportRunAsync"/> is keyed by run id, so a delivery interrupted between
/// "stored" and "file removed" stores nothing twice: each run lands exactly once. Skipped runs
/// (<see cref="ScriptSkip"/>) wait the same way, in files of their own kind, keyed by their event id.
/// </summary>
/// <param name="directory">The spool directory; created when the first run is spooled.</param>
/// <param name="timeProvider">The clock entries are stamped with.</param>
/// <param name="logger">Where deliveries and refusals are said.</param>
public sealed partial class RunSpool(string directory, TimeProvider timeProvider, ILogger logger)
{
    private const string EntrySuffix = ".run.json";

    /// <summary>Skip events get a suffix of their own, which older readers of the spool do not pick up as runs.</summary>
    private const string SkipSuffix = ".skip.json";
    private const string RejectedFolder = "rejected";
    private const string DeliveryLockName = ".delivery.lock";

    /// <summary>How often a delivery waiting for another one tries the lock again: often enough to go on soon after.</summary>
    private static readonly TimeSpan LockPollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>EWOULDBLOCK of Linux, as .NET gives it when flock(2) finds the lock held.</summary>
    private const int WouldBlock = 11;

    /// <summary>ERROR_SHARING_VIOLATION as an HResult: how .NET reports a file locked by another process.</summary>
    private const int SharingViolation = unchecked((int)0x80070020);

    /// <summary>On Unix an I/O exception's HResult below this is the errno.</summary>
    private const int ErrnoLimit = 4096;

    /// <summary>The spool directory.</summary>
    public string Directory { get; } = directory;

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

    /// <summary>The skipped runs waiting that can be read, oldest first (see <see cref="Scan"/> for the others).</summary>
    /// <exception cref="SpoolUnavailableException">The spool directory cannot be listed.</exception>
    internal IReadOnlyList<(string Path, SkipSpoolEntry Entry)> ListSkips() => Scan().Skips;

    /// <summary>The entries waiting that can be read, oldest first (see <see cref="Scan"/> for the others).</summary>
    /// <exception cref="SpoolUnavailableException">The spool directory cannot be listed.</exception>
    internal IReadOnlyList<(string Path, SpoolEntry Entry)> List() => Scan().Entries;

    /// <summary>
    /// Everything in the spool, oldest first: the entries that can be read, those that cannot (and why), and how many
    /// were set aside in <c>rejected/</c> before. Only looks: nothing is moved, and nothing is logged.
    /// </summary>
    /// <exception cref="SpoolUnavailableException">The spool directory cannot be listed.</exception>
    internal SpoolContents Scan()
    {
        if (!Exists())
        {
            return new SpoolContents([], [], [], 0);
        }

        var entries = new List<(string, SpoolEntry)>();
        var skips = new List<(string, SkipSpoolEntry)>();
        var unreadable = new List<UnreadableEntry>();
        foreach (var path in Files(Directory, "*" + EntrySuffix).Order(StringComparer.Ordinal))
        {
            switch (Read(path, SpoolJsonContext.Default.SpoolEntry, Problem))
            {
                case (SpoolEntry entry, _):
                    entries.Add((path, entry));
                    break;
                case (_, var problem):
                    unreadable.Add(problem!);
                    break;
            }
        }

        foreach (var path in Files(Directory, "*" + SkipSuffix).Order(StringComparer.Ordinal))
        {
            switch (Read(path, SpoolJsonContext.Default.SkipSpoolEntry, Problem))
            {
                case (SkipSpoolEntry entry, _):
                    skips.Add((path, entry));
                    break;
                case (_, var problem):
                    unreadable.Add(problem!);
                    break;
            }
        }

        var rejected = Path.Combine(Directory, RejectedFolder);
        var rejectedCount = System.IO.Directory.Exists(rejected) ? Files(rejected, "*").Length : 0;
        return new SpoolContents(entries, skips, unreadable, rejectedCount);
    }

    /// <summary>
    /// Delivers every waiting run to the store, oldest first, unless another process is delivering already.
    /// Stops at the first failure of the store, leaving the rest for next time.
    /// </summary>
    internal Task<SpoolDelivery> DeliverAsync(IRunRecording target, CancellationToken cancellationToken) =>
        DeliverAsync(target, TimeSpan.Zero, cancellationToken);

    /// <summary>
    /// Delivers every waiting run to the store, oldest first. When another process is delivering, waits up to
    /// <paramref name="lockWait"/> for it to finish, then delivers what it left. An entry that cannot be parsed, or
    /// that the store refuses, is moved to <c>rejected/</c> once, with one message; an entry this user cannot read
    /// stays for one who can. Stops at the first failure of the store, leaving the rest for next time.
    /// </summary>
    /// <exception cref="SpoolUnavailableException">The spool cannot be listed, locked or changed: a problem of the local disk, not of the store.</exception>
    internal async Task<SpoolDelivery> DeliverAsync(IRunRecording target, TimeSpan lockWait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!Exists())
        {
            return new SpoolDelivery(0, 0, 0, 0, null);
        }

        using var deliveryLock = await LockAsync(lockWait, cancellationToken).ConfigureAwait(false);
        if (deliveryLock is null)
        {
            var left = Scan();
            return new SpoolDelivery(0, 0, 0, left.Entries.Count + left.Skips.Count + left.Unreadable.Count, $"another process is delivering the spool {Directory}, and did not finish within {lockWait.TotalSeconds:0} s");
        }

        var contents = Scan();
        int delivered = 0, alreadyStored = 0, rejected = 0;
        foreach (var problem in contents.Unreadable.Where(p => p.Malformed))
        {
            MoveToRejected(problem.Path);
            LogUnreadable(logger, problem.Path, problem.Reason, Path.Combine(Directory, RejectedFolder));
            rejected++;
        }

        var held = contents.Unreadable.Count(p => !p.Malformed);

        // Runs first, then skips: the two kinds are independent, and each kind keeps its own order.
        var waiting = contents.Entries
            .Select(e => (e.Path, Deliver: (Func<Task<bool>>)(() => target.ImportRunAsync(e.Entry.ToRun(), cancellationToken))))
            .Concat(contents.Skips.Select(e => (e.Path, Deliver: (Func<Task<bool>>)(() => target.RecordSkipAsync(e.Entry.ToSkip(), cancellationToken)))))
            .ToList();
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
            }
            catch (ArgumentException e)
            {
                LogRejected(logger, path, e.Message);
                MoveToRejected(path);
                rejected++;
                continue;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogDeliveryStopped(logger, e, waiting.Count - i, e.Message);
                DirectorySync.Flush(Directory);
                return new SpoolDelivery(delivered, alreadyStored, rejected, waiting.Count - i + held, e.Message);
            }

            Remove(path);

            // Once the target has taken the first entry (so it answers now), it hears how much is left, and again at
            // the end: a host catching up after an outage shows on the server. An empty spool, the common case, and a
            // target that does not answer cost no request.
            if (i == 0)
            {
                await ReportBacklogAsync(target, waiting.Count - 1 + held, cancellationToken).ConfigureAwait(false);
            }
        }

        DirectorySync.Flush(Directory);
        if (delivered + alreadyStored > 0)
        {
            LogDelivered(logger, delivered + alreadyStored, target.Description);
        }

        if (waiting.Count > 1)
        {
            await ReportBacklogAsync(target, held, cancellationToken).ConfigureAwait(false);
        }

        return new SpoolDelivery(delivered, alreadyStored, rejected, held, held > 0 ? $"{held} spooled run(s) cannot be read by the user {Environment.UserName} and stay for one who can" : null);
    }

    /// <summary>
    /// Tells the target how much this host's spool holds. A report that fails changes nothing: the runs are what
    /// matters, and the next delivery reports again.
    /// </summary>
    private async Task ReportBacklogAsync(IRunRecording target, int waiting, CancellationToken cancellationToken)
    {
        try
        {
            await target.ReportSpoolBacklogAsync(RunValidation.ThisHost, waiting, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogBacklogNotReported(logger, waiting, e.Message);
        }
    }

    /// <summary>
    /// Reads one entry: the entry, or why it cannot be read. Malformed (not JSON, a field missing or out of range)
    /// is for good and moves aside; not readable now (permissions, I/O) is not the entry's fault and it stays.
    /// </summary>
    private static (T? Entry, UnreadableEntry? Problem) Read<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, Func<T?, string?> problemOf)
        where T : class
    {
        T? entry;
        try
        {
            using var file = File.OpenRead(path);
            entry = JsonSerializer.Deserialize(file, type);
        }
        catch (JsonException e)
        {
            return (null, new UnreadableEntry(path, $"its content is not a spooled entry: {OneLine(e.Message)}", Malformed: true));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, new UnreadableEntry(path, $"it cannot be read: {Describe(e)}", Malformed: false));
        }

        return problemOf(entry) is { } problem
            ? (null, new UnreadableEntry(path, problem, Malformed: true))
            : (entry, null);
    }

    /// <summary>What makes a parsed run entry unusable, or null: the fields every entry of this format has.</summary>
    private static string? Problem(SpoolEntry? entry) => entry switch
    {
        null => "it holds no entry (null)",
        { Format: not SpoolEntry.CurrentFormat } => $"its format {entry.Format} is not one this ScriptMonitor reads ({SpoolEntry.CurrentFormat})",
        { RunId: var id } when id == Guid.Empty => "its runId is missing",
        { ScriptName: null } => "its scriptName is missing",
        { Hostname: null } => "its hostname is missing",
        { StartedAt: var started } when started == default => "its startedAt is missing",
        { SpooledAt: var spooled } when spooled == default => "its spooledAt is missing",
        { Outcome: var outcome } when !Enum.IsDefined(outcome) => $"its outcome {(int)outcome} is not one of the outcomes of a run",
        _ => null,
    };

    /// <summary>What makes a parsed skip entry unusable, or null.</summary>
    private static string? Problem(SkipSpoolEntry? entry) => entry switch
    {
        null => "it holds no entry (null)",
        { Format: not SkipSpoolEntry.CurrentFormat } => $"its format {entry.Format} is not one this ScriptMonitor reads ({SkipSpoolEntry.CurrentFormat})",
        { EventId: var id } when id == Guid.Empty => "its eventId is missing",
        { ScriptName: null } => "its scriptName is missing",
        { Hostname: null } => "its hostname is missing",
        { Holder: null } => "its holder is missing",
        { SkippedAt: var skipped } when skipped == default => "its skippedAt is missing",
        { SpooledAt: var spooled } when spooled == default => "its spooledAt is missing",
        _ => null,
    };

    /// <summary>Writes an entry to a temporary name, flushes it, and renames it into place: the whole entry or none.</summary>
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

    /// <summary>
    /// Whether the spool directory is there. Nothing there is an empty spool; a file in its place, or a directory on
    /// the way that this user may not enter, is a spool that cannot be used, never an empty one.
    /// </summary>
    private bool Exists()
    {
        FileAttributes attributes;
        try
        {
            attributes = File.GetAttributes(Directory);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SpoolUnavailableException($"The spool {Directory} cannot be reached: {Describe(e)}.", e);
        }

        return attributes.HasFlag(FileAttributes.Directory)
            ? true
            : throw new SpoolUnavailableException($"The spool {Directory} cannot be used: it is a file, not a directory.");
    }

    private static string[] Files(string directory, string pattern)
    {
        try
        {
            return System.IO.Directory.GetFiles(directory, pattern);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SpoolUnavailableException($"The spool {directory} cannot be listed: {Describe(e)}.", e);
        }
    }

    /// <summary>
    /// Takes the delivery lock, waiting up to <paramref name="wait"/> while another process holds it; null when it
    /// is still held then. flock(2) has no timed wait, hence the polling.
    /// </summary>
    private async Task<FileStream?> LockAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Directory, DeliveryLockName);
        var deadline = timeProvider.GetTimestamp() + (long)(wait.TotalSeconds * timeProvider.TimestampFrequency);
        var waiting = false;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (IsLockHeld(e))
            {
                if (timeProvider.GetTimestamp() >= deadline)
                {
                    return null;
                }

                if (!waiting)
                {
                    // Said once, so a person at a terminal knows why a flush pauses.
                    LogWaitingForDelivery(logger, Directory, wait.TotalSeconds);
                    waiting = true;
                }

                await Task.Delay(LockPollInterval, timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new SpoolUnavailableException($"The spool {Directory} cannot be locked for delivery ({path}): {Describe(e)}.", e);
            }
        }
    }

    /// <summary>flock(2) said another process holds the lock (EWOULDBLOCK), which .NET reports as a sharing violation.</summary>
    private static bool IsLockHeld(IOException e) => e.HResult is WouldBlock or SharingViolation;

    private void MoveToRejected(string path)
    {
        var folder = Path.Combine(Directory, RejectedFolder);
        try
        {
            System.IO.Directory.CreateDirectory(folder);
            File.Move(path, Path.Combine(folder, Path.GetFileName(path)), overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SpoolUnavailableException($"The spooled run {path} cannot be moved to {folder}: {Describe(e)}.", e);
        }
    }

    /// <summary>Removes a delivered entry; one left behind is harmless (the store keeps each run id once), but said.</summary>
    private void Remove(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SpoolUnavailableException($"The spooled run {path} was delivered but cannot be removed from the spool: {Describe(e)}; the next delivery finds it stored already.", e);
        }
    }

    /// <summary>The system's words for an I/O failure: the errno's text where there is one, never a resource key.</summary>
    private static string Describe(Exception e)
    {
        for (Exception? cause = e; cause is not null; cause = cause.InnerException)
        {
            if (cause is IOException && cause.HResult is > 0 and < ErrnoLimit)
            {
                return System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(cause.HResult);
            }
        }

        return e is UnauthorizedAccessException ? "permission denied" : e.GetType().Name;
    }

    /// <summary>A message as a clause inside a sentence: one line, without its full stop.</summary>
    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim().TrimEnd('.');

    [LoggerMessage(Level = LogLevel.Warning, Message = "Another process is delivering the spool {Directory}; waiting up to {Seconds:0} s for it to finish.")]
    private static partial void LogWaitingForDelivery(ILogger logger, string directory, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivered {Count} spooled run(s) to {Store}.")]
    private static partial void LogDelivered(ILogger logger, int count, string store);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The spool's backlog ({Waiting} entries) could not be reported: {Reason}")]
    private static partial void LogBacklogNotReported(ILogger logger, int waiting, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spool delivery stopped with {Remaining} run(s) still waiting: {Reason}")]
    private static partial void LogDeliveryStopped(ILogger logger, Exception exception, int remaining, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Spooled run {Path} was refused by the store and moved aside: {Reason}")]
    private static partial void LogRejected(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Spooled run {Path} is unreadable: {Reason}; it was moved to {Folder}.")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason, string folder);
}

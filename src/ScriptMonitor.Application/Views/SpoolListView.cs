namespace ScriptMonitor.Application.Views;

/// <summary>What waits in the spool (<c>scriptmon spool list --json</c>).</summary>
/// <param name="Directory">The spool directory.</param>
/// <param name="Entries">The runs waiting, oldest first.</param>
/// <param name="Skips">The skipped runs waiting, oldest first.</param>
/// <param name="Unreadable">The entries that cannot be read, and why.</param>
/// <param name="Rejected">How many entries earlier deliveries set aside in <c>rejected/</c>.</param>
public sealed record SpoolListView(string Directory, IReadOnlyList<SpoolEntryView> Entries, IReadOnlyList<SpoolSkipView> Skips, IReadOnlyList<UnreadableSpoolEntryView> Unreadable, int Rejected);

/// <summary>A spooled run.</summary>
/// <param name="File">Its file.</param>
/// <param name="RunId">The run's id.</param>
/// <param name="Script">The script's name.</param>
/// <param name="Host">The host it ran on.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="CompletedAt">When it ended.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="ExitCode">Its exit status.</param>
/// <param name="SpooledAt">When it was spooled.</param>
/// <param name="Reason">Why it was spooled.</param>
public sealed record SpoolEntryView(
    string File,
    Guid RunId,
    string Script,
    string Host,
    string StartedAt,
    string? CompletedAt,
    string Outcome,
    int? ExitCode,
    string SpooledAt,
    string? Reason);

/// <summary>A spooled skipped run.</summary>
/// <param name="File">Its file.</param>
/// <param name="EventId">The event's id.</param>
/// <param name="Script">The script's name.</param>
/// <param name="Host">The host it was skipped on.</param>
/// <param name="SkippedAt">When.</param>
/// <param name="Holder">Who held the lock.</param>
/// <param name="SpooledAt">When it was spooled.</param>
/// <param name="Reason">Why it was spooled.</param>
public sealed record SpoolSkipView(string File, Guid EventId, string Script, string Host, string SkippedAt, string Holder, string SpooledAt, string? Reason);

/// <summary>A spool entry that cannot be read.</summary>
/// <param name="Path">Its file.</param>
/// <param name="Reason">Why.</param>
/// <param name="Malformed">
/// True when the file itself is wrong and never will be read (the next delivery moves it to <c>rejected/</c>); false
/// when this user cannot read it now (it stays).
/// </param>
public sealed record UnreadableSpoolEntryView(string Path, string Reason, bool Malformed);

/// <summary>What delivering the spool did (<c>scriptmon spool flush --json</c>).</summary>
/// <param name="Store">The store delivered to.</param>
/// <param name="Delivered">Runs written.</param>
/// <param name="AlreadyStored">Runs the store already had.</param>
/// <param name="Rejected">Entries set aside in <c>rejected/</c>.</param>
/// <param name="Remaining">Entries still waiting.</param>
/// <param name="Error">Why delivery stopped early, if it did.</param>
public sealed record SpoolFlushView(string Store, int Delivered, int AlreadyStored, int Rejected, int Remaining, string? Error);

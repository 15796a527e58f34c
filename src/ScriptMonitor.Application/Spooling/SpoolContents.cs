namespace ScriptMonitor.Application.Spooling;

/// <summary>What the spool holds, as <see cref="RunSpool.Scan"/> found it.</summary>
/// <param name="Entries">The runs waiting that can be read, oldest first.</param>
/// <param name="Skips">The skipped runs waiting that can be read, oldest first.</param>
/// <param name="Unreadable">The entries of either kind that cannot be read, and why.</param>
/// <param name="RejectedCount">Entries set aside in <c>rejected/</c> by earlier deliveries.</param>
internal sealed record SpoolContents(
    IReadOnlyList<(string Path, SpoolEntry Entry)> Entries,
    IReadOnlyList<(string Path, SkipSpoolEntry Entry)> Skips,
    IReadOnlyList<UnreadableEntry> Unreadable,
    int RejectedCount);

/// <summary>A spool entry that cannot be read.</summary>
/// <param name="Path">Its file.</param>
/// <param name="Reason">Why, as a clause ("its runId is missing").</param>
/// <param name="Malformed">
/// True when the file itself is wrong and never will be read (moved to <c>rejected/</c> by the next delivery); false
/// when this user cannot read it now (it stays).
/// </param>
internal sealed record UnreadableEntry(string Path, string Reason, bool Malformed);

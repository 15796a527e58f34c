namespace ScriptMonitor.Sqlite;

/// <summary>Settings of the SQLite store; the defaults suit a cron host.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>
    /// How long a write waits for another process's write to finish before it fails. Default 30 seconds: cron
    /// bursts at the top of the hour put many writers on one file at once.
    /// </summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether every commit is flushed to disk before it returns (SQLite's <c>synchronous=FULL</c>). Default true:
    /// a recorded run survives a power cut. False trades that for speed (<c>synchronous=NORMAL</c>).
    /// </summary>
    public bool FlushEveryCommit { get; init; } = true;

    /// <summary>
    /// For <see cref="SqliteScriptRunStore.OpenReadOnly"/>: open a store at an older schema version too, to report on
    /// it (<see cref="SqliteScriptRunStore.GetInfoAsync"/>). Default false: reading an older schema is refused with a
    /// message saying that it needs migrating, because queries of this build would not find what they read.
    /// </summary>
    public bool AcceptOlderSchema { get; init; }

    /// <summary>The clock that judges "in the future"; the system clock by default.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

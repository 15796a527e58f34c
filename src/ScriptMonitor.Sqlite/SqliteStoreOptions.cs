namespace ScriptMonitor.Sqlite;

/// <summary>Settings of the SQLite store; the defaults suit a cron host.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The longest busy timeout: SQLite takes it in milliseconds as a 32-bit number.</summary>
    public static readonly TimeSpan MaxBusyTimeout = TimeSpan.FromMilliseconds(int.MaxValue);

    /// <summary>
    /// How long a call waits for another process's write to finish before it fails with
    /// <see cref="Runs.StoreUnavailableException"/>: the bound on every wait for the file, opening included. Default
    /// 30 seconds: cron bursts at the top of the hour put many writers on one file at once. A caller that must not be
    /// held up (a wrapper recording a run) gives a few seconds and spools what it could not write. Waits shorter than
    /// about a second are rounded up to it. From zero to <see cref="MaxBusyTimeout"/>.
    /// </summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether every commit is flushed to disk before it returns (SQLite's <c>synchronous=FULL</c>). Default true:
    /// a recorded run survives a power cut. False trades that for speed (<c>synchronous=NORMAL</c>).
    /// </summary>
    public bool FlushEveryCommit { get; init; } = true;

    /// <summary>
    /// For <see cref="SqliteScriptRunStore.OpenReadOnly"/>: open a store at an older schema version too, to report on
    /// it (<see cref="Stores.ScriptRunStoreBase.GetInfoAsync"/>). Default false: reading an older schema is refused with a
    /// message saying that it needs migrating, because queries of this build would not find what they read.
    /// </summary>
    public bool AcceptOlderSchema { get; init; }

    /// <summary>
    /// How large the write-ahead log may grow before opening the store truncates it. SQLite restarts the log only when
    /// one connection writes twice; a store written by many short-lived processes that write once each (one
    /// <c>scriptmon record</c>, one script run) would otherwise grow it without end, and every open would read it
    /// all. Default 4 MiB: about SQLite's own checkpoint size, so the truncation comes rarely.
    /// </summary>
    internal long WriteAheadLogLimit { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// Migrations beyond those this build knows, to play a newer build in tests: a store opened with them is migrated
    /// past what the build knows, as a newer build on another host would migrate it.
    /// </summary>
    internal IReadOnlyList<Stores.SchemaMigration> TestMigrations { get; init; } = [];

    /// <summary>The clock that judges "in the future"; the system clock by default.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

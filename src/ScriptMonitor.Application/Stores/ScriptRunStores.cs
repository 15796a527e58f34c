using ScriptMonitor.Configuration;
using ScriptMonitor.PostgreSql;
using ScriptMonitor.Runs;
using ScriptMonitor.Sqlite;

namespace ScriptMonitor.Application.Stores;

/// <summary>Opens the store the configuration path names (see <see cref="StoreLocator"/>).</summary>
public static class ScriptRunStores
{
    /// <summary>Opens the configured store: explicit setting, <c>SCRIPTMON_DATABASE</c>, configuration file, embedded default.</summary>
    /// <param name="explicitSetting">A SQLite path or PostgreSQL connection string given explicitly; null to consult the rest of the path.</param>
    /// <param name="timeProvider">The clock stores judge "in the future" by; null for the system clock.</param>
    public static IScriptRunStore Open(string? explicitSetting = null, TimeProvider? timeProvider = null) =>
        Open(StoreLocator.Resolve(explicitSetting), timeProvider);

    /// <summary>Opens the store at a resolved location.</summary>
    /// <param name="location">Where the runs live.</param>
    /// <param name="timeProvider">The clock stores judge "in the future" by; null for the system clock.</param>
    /// <param name="waitBound">
    /// How long any one wait of the store may take: the SQLite busy timeout, the PostgreSQL connect and command
    /// timeouts. Null for each store's defaults (30 seconds for a locked SQLite file). A caller that must not be held
    /// up, such as a wrapper recording a run, gives a few seconds and spools what it could not write.
    /// </param>
    /// <exception cref="ArgumentException">The PostgreSQL connection string is malformed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="waitBound"/> is not positive or too long for a store.</exception>
    /// <exception cref="StoreUnavailableException">The store cannot be reached or opened; the message says which and why.</exception>
    /// <exception cref="NotSupportedException">The location names a kind of store this build cannot open.</exception>
    public static IScriptRunStore Open(StoreLocation location, TimeProvider? timeProvider = null, TimeSpan? waitBound = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (waitBound is { } bound && bound <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(waitBound), bound, $"{nameof(waitBound)} must be more than 0.");
        }

        var clock = timeProvider ?? TimeProvider.System;
        return location.Kind switch
        {
            StoreKind.Sqlite => SqliteScriptRunStore.Open(location.Target, waitBound is { } busy
                ? new SqliteStoreOptions { TimeProvider = clock, BusyTimeout = busy }
                : new SqliteStoreOptions { TimeProvider = clock }),
            StoreKind.PostgreSql => PostgreSqlScriptRunStore.Open(location.Target, new PostgreSqlStoreOptions { TimeProvider = clock, ConnectTimeout = waitBound, CommandTimeout = waitBound }),
            _ => throw new NotSupportedException($"This build cannot open a {location.Kind} store ({location})."),
        };
    }

    /// <summary>
    /// Opens the store at a resolved location to read it, and nothing else: nothing is created, migrated or written.
    /// </summary>
    /// <param name="location">Where the runs live.</param>
    /// <param name="timeProvider">The clock stores judge "in the future" by; null for the system clock.</param>
    /// <param name="acceptOlderSchema">Open a store at an older schema version too, to report on it; see <see cref="SqliteStoreOptions.AcceptOlderSchema"/>.</param>
    /// <returns>The store, or null when there is none there yet.</returns>
    /// <exception cref="ArgumentException">The PostgreSQL connection string is malformed.</exception>
    /// <exception cref="StoreUnavailableException">
    /// The store cannot be reached or read, is not a ScriptMonitor store, or needs migrating first; the message says
    /// which and why.
    /// </exception>
    /// <exception cref="NotSupportedException">The location names a kind of store this build cannot open.</exception>
    public static IScriptRunStore? OpenReadOnly(StoreLocation location, TimeProvider? timeProvider = null, bool acceptOlderSchema = false)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location.Kind switch
        {
            StoreKind.Sqlite => SqliteScriptRunStore.OpenReadOnly(location.Target, new SqliteStoreOptions { TimeProvider = timeProvider ?? TimeProvider.System, AcceptOlderSchema = acceptOlderSchema }),
            StoreKind.PostgreSql => PostgreSqlScriptRunStore.OpenReadOnly(location.Target, new PostgreSqlStoreOptions { TimeProvider = timeProvider ?? TimeProvider.System, AcceptOlderSchema = acceptOlderSchema }),
            _ => throw new NotSupportedException($"This build cannot open a {location.Kind} store ({location})."),
        };
    }
}

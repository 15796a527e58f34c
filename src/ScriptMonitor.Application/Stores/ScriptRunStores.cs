using ScriptMonitor.Configuration;
using ScriptMonitor.PostgreSql;
using ScriptMonitor.Runs;
using ScriptMonitor.Sqlite;
using ScriptMonitor.Stores;

namespace ScriptMonitor.Application.Stores;

/// <summary>
/// The one composition place of the stores: the kinds of store this build opens are registered here, and every
/// surface finds and opens the configured store through it (see <see cref="StoreLocator"/>).
/// </summary>
public static class ScriptRunStores
{
    /// <summary>
    /// The kinds of store this build opens. The embedded SQLite store comes first: it is the default, and it takes
    /// every setting the others do not recognise (a path).
    /// </summary>
    public static IReadOnlyList<IStoreProvider> Providers { get; } = [new SqliteStoreProvider(), new PostgreSqlStoreProvider()];

    /// <summary>Resolves where the runs live: explicit setting, <c>SCRIPTMON_DATABASE</c>, configuration file, embedded default.</summary>
    /// <param name="explicitSetting">A SQLite path or PostgreSQL connection string given explicitly; null to consult the rest of the path.</param>
    /// <exception cref="ArgumentException">The explicit setting is empty or malformed.</exception>
    /// <exception cref="ConfigurationException"><c>SCRIPTMON_DATABASE</c> or the configuration file is malformed.</exception>
    public static StoreLocation Locate(string? explicitSetting = null) => StoreLocator.Resolve(Providers, explicitSetting);

    /// <summary>Reads one setting as the configuration path would, without consulting the rest of it.</summary>
    /// <param name="setting">A SQLite path or a PostgreSQL connection string.</param>
    /// <param name="source">Where it came from.</param>
    /// <exception cref="ArgumentException">The setting is empty or malformed.</exception>
    public static StoreLocation Parse(string setting, StoreLocationSource source = StoreLocationSource.Explicit) =>
        StoreLocator.Parse(Providers, setting, source);

    /// <summary>Opens the configured store: explicit setting, <c>SCRIPTMON_DATABASE</c>, configuration file, embedded default.</summary>
    /// <param name="explicitSetting">A SQLite path or PostgreSQL connection string given explicitly; null to consult the rest of the path.</param>
    /// <param name="timeProvider">The clock stores judge "in the future" by; null for the system clock.</param>
    public static IScriptRunStore Open(string? explicitSetting = null, TimeProvider? timeProvider = null) =>
        Open(Locate(explicitSetting), timeProvider);

    /// <summary>Opens the store at a resolved location, creating and migrating it as needed.</summary>
    /// <param name="location">Where the runs live.</param>
    /// <param name="timeProvider">The clock stores judge "in the future" by; null for the system clock.</param>
    /// <param name="waitBound">
    /// How long any one wait of the store may take: the SQLite busy timeout, the PostgreSQL connect and command
    /// timeouts. Null for each store's defaults (30 seconds for a locked SQLite file). A caller that must not be held
    /// up, such as a wrapper recording a run, gives a few seconds and spools what it could not write.
    /// </param>
    /// <exception cref="ArgumentException">The location's target is malformed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="waitBound"/> is not positive or too long for a store.</exception>
    /// <exception cref="StoreUnavailableException">The store cannot be reached or opened; the message says which and why.</exception>
    /// <exception cref="StoreIncompatibleException">The store's schema is newer than this build can write.</exception>
    public static IScriptRunStore Open(StoreLocation location, TimeProvider? timeProvider = null, TimeSpan? waitBound = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (waitBound is { } bound && bound <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(waitBound), bound, $"{nameof(waitBound)} must be more than 0.");
        }

        return location.Provider.Open(location.Target, new StoreOpenOptions { TimeProvider = timeProvider ?? TimeProvider.System, WaitBound = waitBound });
    }

    /// <summary>
    /// Opens the store at a resolved location to read it, and nothing else: nothing is created, migrated or written.
    /// </summary>
    /// <param name="location">Where the runs live.</param>
    /// <param name="timeProvider">The clock stores judge "in the future" by; null for the system clock.</param>
    /// <param name="acceptOlderSchema">Open a store at an older schema version too, to report on it.</param>
    /// <returns>The store, or null when there is none there yet.</returns>
    /// <exception cref="ArgumentException">The location's target is malformed.</exception>
    /// <exception cref="StoreUnavailableException">
    /// The store cannot be reached or read, is not a ScriptMonitor store, or needs migrating first; the message says
    /// which and why.
    /// </exception>
    /// <exception cref="StoreIncompatibleException">The store's schema is newer than this build can read.</exception>
    public static IScriptRunStore? OpenReadOnly(StoreLocation location, TimeProvider? timeProvider = null, bool acceptOlderSchema = false)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location.Provider.OpenReadOnly(location.Target, new StoreOpenOptions { TimeProvider = timeProvider ?? TimeProvider.System, AcceptOlderSchema = acceptOlderSchema });
    }

    /// <summary>Whether <see cref="CopyWhileInUse"/> can copy the store: a SQLite file. A server database has its own tools.</summary>
    internal static bool CanCopyWhileInUse(StoreLocation location) => location.Provider is SqliteStoreProvider;

    /// <summary>Writes a consistent copy of the store, as of one instant, to a new file while others go on writing.</summary>
    /// <exception cref="NotSupportedException">The store is not a SQLite file.</exception>
    /// <exception cref="StoreUnavailableException">The store cannot be read or the copy cannot be written.</exception>
    internal static void CopyWhileInUse(StoreLocation location, string destination)
    {
        if (!CanCopyWhileInUse(location))
        {
            throw new NotSupportedException($"The store {location} is not a SQLite file.");
        }

        SqliteBackup.Copy(location.Target, destination);
    }
}

using ScriptMonitor.Runs;

namespace ScriptMonitor.Stores;

/// <summary>
/// The rules of a schema shared by builds of different versions, the same for every backend. A store records, beside
/// its version, the oldest schema version whose builds may still write it; a build that knows an older version than
/// the store's keeps working as long as it is not older than that, so a fleet sharing one database can upgrade one
/// host at a time.
/// </summary>
public static class SchemaCompatibility
{
    /// <summary>The oldest writer a store accepts once <paramref name="migrations"/> up to <paramref name="toVersion"/> are applied.</summary>
    /// <param name="migrations">Every migration the build knows; migration <c>i</c> takes version <c>i</c> to <c>i + 1</c>.</param>
    /// <param name="fromVersion">The store's version before.</param>
    /// <param name="oldestWriter">The oldest writer it accepted before; ignored for a new store (version 0).</param>
    /// <param name="toVersion">The version migrated to.</param>
    public static int OldestWriterAfter(IReadOnlyList<SchemaMigration> migrations, int fromVersion, int oldestWriter, int toVersion)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        var oldest = fromVersion == 0 ? 0 : oldestWriter;
        for (var version = fromVersion; version < toVersion; version++)
        {
            if (!migrations[version].KeepsOlderWriters)
            {
                oldest = version + 1;
            }
        }

        return oldest;
    }

    /// <summary>What a build that knows up to <paramref name="latestKnown"/> may do with a store.</summary>
    /// <param name="storeVersion">The store's schema version.</param>
    /// <param name="oldestWriter">The oldest writer version it accepts; null where it records none.</param>
    /// <param name="latestKnown">The newest version this build knows.</param>
    public static SchemaAccess Judge(int storeVersion, int? oldestWriter, int latestKnown) =>
        storeVersion == latestKnown ? SchemaAccess.Current
        : storeVersion < latestKnown ? SchemaAccess.Older
        : (oldestWriter ?? storeVersion) <= latestKnown ? SchemaAccess.NewerCompatible
        : SchemaAccess.Incompatible;

    /// <summary>The refusal of a store this build is too old to use, naming it, its versions, and the remedy.</summary>
    /// <param name="store">The store as a sentence begins with it: "The SQLite database /var/lib/runs.db".</param>
    /// <param name="storeVersion">The store's schema version.</param>
    /// <param name="oldestWriter">The oldest writer version it accepts; null where it records none.</param>
    /// <param name="latestKnown">The newest version this build knows.</param>
    public static StoreIncompatibleException Incompatible(string store, int storeVersion, int? oldestWriter, int latestKnown) => new(
        $"{store} is at schema version {storeVersion}, newer than this ScriptMonitor knows ({latestKnown}), and accepts no build older than schema version {oldestWriter ?? storeVersion}; upgrade ScriptMonitor on this host.");
}

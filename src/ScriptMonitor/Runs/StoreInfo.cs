namespace ScriptMonitor.Runs;

/// <summary>What a store is and how much it holds.</summary>
/// <param name="Description">The store's kind and location, without secrets.</param>
/// <param name="SchemaVersion">The schema version the store is at.</param>
/// <param name="LatestSchemaVersion">The newest schema version this build knows.</param>
/// <param name="SizeBytes">The size of the database on disk, where known.</param>
/// <param name="RunCount">How many runs it holds.</param>
/// <param name="ScriptCount">How many scripts it knows.</param>
public sealed record StoreInfo(string Description, int SchemaVersion, int LatestSchemaVersion, long? SizeBytes, long RunCount, long ScriptCount)
{
    /// <summary>
    /// The oldest schema version whose builds may still write the store: a build that knows an older version than
    /// <see cref="SchemaVersion"/> keeps working as long as it knows this one. Null for a store older than the record.
    /// </summary>
    public int? OldestWriterVersion { get; init; }
}

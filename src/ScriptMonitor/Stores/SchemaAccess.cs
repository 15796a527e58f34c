namespace ScriptMonitor.Stores;

/// <summary>What a build may do with a store, by the store's schema version.</summary>
public enum SchemaAccess
{
    /// <summary>The store is at the version this build knows.</summary>
    Current,

    /// <summary>The store is older: a writer migrates it; a reader refuses it until then.</summary>
    Older,

    /// <summary>The store is newer, but its newer migrations only expanded it: this build reads and writes it as it is.</summary>
    NewerCompatible,

    /// <summary>The store is newer and no longer accepts this build: a configuration problem until this host is upgraded.</summary>
    Incompatible,
}

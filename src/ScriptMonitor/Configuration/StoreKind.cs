namespace ScriptMonitor.Configuration;

/// <summary>Which kind of database holds the runs.</summary>
public enum StoreKind
{
    /// <summary>An embedded SQLite file: the default, no set-up.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server, shared by many hosts.</summary>
    PostgreSql,
}

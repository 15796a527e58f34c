namespace ScriptMonitor.Stores;

/// <summary>
/// One step of a store's schema, from version N to N+1, as a backend declares it. Migrations expand, then contract:
/// one that only adds (a table, a nullable column, an index) leaves a build one version behind able to write, and says
/// so; one that removes or changes what older builds use does not, and a store migrated by it refuses them.
/// </summary>
/// <param name="Description">What the migration does, for people (and the PostgreSQL version table).</param>
/// <param name="Sql">The SQL that applies it.</param>
public sealed record SchemaMigration(string Description, string Sql)
{
    /// <summary>
    /// Whether builds that know only the versions before this one may still write a store migrated by it: true for a
    /// migration that only expands the schema. False by default, and for every migration written before stores
    /// recorded it, whose builds never read the record anyway.
    /// </summary>
    public bool KeepsOlderWriters { get; init; }
}

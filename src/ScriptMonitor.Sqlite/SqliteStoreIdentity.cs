using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ScriptMonitor.Sqlite;

/// <summary>
/// Whether a SQLite file is a ScriptMonitor store, an empty database that may become one, or another application's
/// database, which no command may touch: pointed at it by mistake, a store would add its tables and switch it to WAL.
/// Read in one statement, before anything is written.
/// </summary>
internal static class SqliteStoreIdentity
{
    /// <summary>
    /// SQLite's <c>application_id</c> of a ScriptMonitor store: "SMon" in ASCII, so <c>file(1)</c> and other tools
    /// can tell the file apart. Set when a migration runs; stores made before it are recognised by their tables.
    /// </summary>
    internal const int ApplicationId = 0x534D6F6E;

    /// <summary>The tables and run columns every schema version has had since the first: how an older store is known.</summary>
    private const string Sql = """
        SELECT (SELECT application_id FROM pragma_application_id()),
               (SELECT user_version FROM pragma_user_version()),
               (SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'),
               (SELECT group_concat(name, ', ') FROM (SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name LIMIT 5)),
               (SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'scripts'),
               (SELECT count(*) FROM pragma_table_info('runs') WHERE name IN ('run_id', 'script_name', 'hostname', 'started_at', 'completed_at', 'outcome'))
        """;

    private const int RunColumnsOfEveryVersion = 6;

    /// <summary>What the file holds.</summary>
    internal static Kind Read(SqliteConnection connection, out int schemaVersion, out string? foreignTables)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Sql;
        using var reader = command.ExecuteReader();
        reader.Read();
        var applicationId = reader.GetInt32(0);
        schemaVersion = reader.GetInt32(1);
        var tableCount = reader.GetInt64(2);
        foreignTables = reader.IsDBNull(3) ? null : reader.GetString(3) + (tableCount > 5 ? ", …" : string.Empty);
        var hasScripts = reader.GetInt64(4) == 1;
        var runColumns = reader.GetInt64(5);
        if (applicationId == ApplicationId)
        {
            return Kind.Store;
        }

        if (applicationId != 0)
        {
            foreignTables = $"application id 0x{applicationId.ToString("X8", CultureInfo.InvariantCulture)}";
            return Kind.Foreign;
        }

        if (tableCount == 0 && schemaVersion == 0)
        {
            return Kind.Empty;
        }

        return hasScripts && runColumns == RunColumnsOfEveryVersion && schemaVersion >= 1 ? Kind.Store : Kind.Foreign;
    }

    /// <summary>The refusal of another application's database, naming what is in it.</summary>
    internal static Runs.StoreUnavailableException Foreign(string path, string? what) => SqliteFile.Unusable(
        path,
        $"it is a SQLite database of another application ({what ?? "no ScriptMonitor tables"}), not a ScriptMonitor store, and is left untouched; point the store at a file of its own");

    /// <summary>What a SQLite file is to ScriptMonitor.</summary>
    internal enum Kind
    {
        /// <summary>No tables and no version: a new file (or one made empty), which a store may initialise.</summary>
        Empty,

        /// <summary>A ScriptMonitor store, of any schema version.</summary>
        Store,

        /// <summary>Another application's database.</summary>
        Foreign,
    }
}

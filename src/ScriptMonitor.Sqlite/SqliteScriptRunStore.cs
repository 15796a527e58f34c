using ScriptMonitor.Access;
using ScriptMonitor.Runs;
using ScriptMonitor.Stores;

namespace ScriptMonitor.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode that many processes on one host write at once.
/// An instance holds one connection and serialises its own calls; it is safe to share between threads.
/// </summary>
/// <remarks>
/// What every store does is <see cref="ScriptRunStoreBase"/>'s; the SQL is split by role: runs
/// (<see cref="SqliteRunRows"/>), expectations (<see cref="SqliteExpectationRows"/>), the reads of every script at once
/// (<see cref="SqliteReadModel"/>), keys and the audit list (<see cref="SqliteKeyRows"/>), ping identities (<see cref="SqlitePingIdentities"/>) and the schema
/// (<see cref="SqliteSchema"/>).
/// </remarks>
public sealed partial class SqliteScriptRunStore : ScriptRunStoreBase
{
    private readonly SqliteSession _session;

    private SqliteScriptRunStore(SqliteSession session, SqliteExpectationRows expectations, TimeProvider timeProvider)
        : base(new SqliteRunRows(session), expectations, new SqliteReadModel(session, expectations), new SqliteKeyRows(session), new SqliteAlertRows(session, timeProvider), new SqlitePingIdentities(session), timeProvider)
    {
        _session = session;
    }

    /// <summary>The database file.</summary>
    public string Path => _session.Path;

    /// <inheritdoc/>
    public override string Description => $"sqlite:{Path}";

    /// <summary>
    /// Opens (creating the file and its directory if needed) and migrates the database at <paramref name="path"/>.
    /// </summary>
    /// <param name="path">The database file.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <exception cref="StoreUnavailableException">
    /// The file or its directory cannot be created or opened (a directory in its place, a directory this user may not
    /// enter), it is not a SQLite database or is another application's, the disk is full or failing, or another
    /// process holds the file locked past the busy timeout.
    /// </exception>
    /// <exception cref="StoreIncompatibleException">
    /// The file is at a newer schema version than this build knows, and no longer accepts builds of this one.
    /// </exception>
    public static SqliteScriptRunStore Open(string path, SqliteStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new SqliteStoreOptions();
        if (options.BusyTimeout < TimeSpan.Zero || options.BusyTimeout > SqliteStoreOptions.MaxBusyTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BusyTimeout, $"options.BusyTimeout must be between 0 and {SqliteStoreOptions.MaxBusyTimeout.TotalDays:0} days.");
        }

        var fullPath = System.IO.Path.GetFullPath(path);
        var migrations = Migrations(options);
        return Create(SqliteConnections.OpenForWriting(fullPath, options, migrations), fullPath, migrations.Count, options);
    }

    /// <summary>
    /// Opens an existing store to read it, and nothing else: nothing is created, migrated or written, not even the
    /// journal mode, so it works for a user who may only read the file.
    /// </summary>
    /// <param name="path">The database file.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <returns>The store, or null when there is none yet: no file, or an empty one.</returns>
    /// <exception cref="StoreUnavailableException">
    /// The path cannot be used (a directory, a directory this user may not enter, a file it may not read), the file
    /// is not a SQLite database or is another application's, its schema is older than this build reads (unless
    /// <see cref="SqliteStoreOptions.AcceptOlderSchema"/>), or it cannot be read now.
    /// </exception>
    /// <exception cref="StoreIncompatibleException">
    /// The file is at a newer schema version than this build knows, and no longer accepts builds of this one.
    /// </exception>
    public static SqliteScriptRunStore? OpenReadOnly(string path, SqliteStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new SqliteStoreOptions();
        var fullPath = System.IO.Path.GetFullPath(path);
        var latest = Migrations(options).Count;
        return SqliteConnections.OpenForReading(fullPath, options, latest) is { } connection ? Create(connection, fullPath, latest, options) : null;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing) => _session.Dispose();

    /// <inheritdoc/>
    protected override ValueTask DisposeAsyncCore()
    {
        _session.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The migrations this build knows; a test adds some to play a newer build.</summary>
    private static IReadOnlyList<SchemaMigration> Migrations(SqliteStoreOptions options) =>
        options.TestMigrations.Count == 0 ? SqliteSchema.Migrations : [.. SqliteSchema.Migrations, .. options.TestMigrations];

    private static SqliteScriptRunStore Create(Microsoft.Data.Sqlite.SqliteConnection connection, string fullPath, int latestVersion, SqliteStoreOptions options)
    {
        var session = new SqliteSession(connection, fullPath, latestVersion, options.BusyTimeout);
        return new SqliteScriptRunStore(session, new SqliteExpectationRows(session), options.TimeProvider);
    }
}

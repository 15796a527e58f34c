using Npgsql;
using ScriptMonitor.Access;
using ScriptMonitor.Runs;
using ScriptMonitor.Stores;

namespace ScriptMonitor.PostgreSql;

/// <summary>
/// The shared store: one PostgreSQL database that many hosts record into at once. An instance holds a pool of
/// connections and is safe to share between threads; every call is one short statement or transaction.
/// </summary>
/// <remarks>
/// What every store does is <see cref="ScriptRunStoreBase"/>'s; the SQL is split by role: runs
/// (<see cref="PostgreSqlRunRows"/>), expectations (<see cref="PostgreSqlExpectationRows"/>), the reads of every script
/// at once (<see cref="PostgreSqlReadModel"/>), keys and the audit list (<see cref="PostgreSqlKeyRows"/>), ping identities (<see cref="PostgreSqlPingIdentities"/>) and the
/// schema (<see cref="PostgreSqlSchema"/>).
/// </remarks>
public sealed partial class PostgreSqlScriptRunStore : ScriptRunStoreBase
{
    private readonly PostgreSqlSession _session;

    private PostgreSqlScriptRunStore(PostgreSqlSession session, PostgreSqlExpectationRows expectations, TimeProvider timeProvider)
        : base(new PostgreSqlRunRows(session), expectations, new PostgreSqlReadModel(session, expectations), new PostgreSqlKeyRows(session), new PostgreSqlAlertRows(session), new PostgreSqlPingIdentities(session), timeProvider)
    {
        _session = session;
    }

    /// <inheritdoc/>
    /// <remarks><c>postgresql://user@host:port/database</c>, and the schema when it is not the default.</remarks>
    public override string Description => _session.Description;

    /// <summary>The schema that holds the store's tables.</summary>
    public string Schema => _session.Schema;

    /// <summary>
    /// Connects to the database, creates the store's schema if needed and brings it to the latest version.
    /// </summary>
    /// <param name="connectionString">
    /// Npgsql keywords (<c>Host=db1;Database=scriptmon;Username=scriptmon;Password=…</c>) or a URI
    /// (<c>postgresql://scriptmon:secret@db1:5432/scriptmon?sslmode=require</c>); either may name the schema
    /// (<c>Schema=…</c>, <c>?schema=…</c>).
    /// </param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">The connection string is malformed, names no host, or names another schema than the options.</exception>
    /// <exception cref="StoreUnavailableException">The server cannot be reached, refuses the login, or cannot apply the schema.</exception>
    /// <exception cref="StoreIncompatibleException">The database is at a newer schema version that no longer accepts this build.</exception>
    public static PostgreSqlScriptRunStore Open(string connectionString, PostgreSqlStoreOptions? options = null) =>
        OpenCoreAsync(connectionString, options, readOnly: false, async: false, CancellationToken.None).GetAwaiter().GetResult()!;

    /// <summary>
    /// Connects to an existing store to read it, and nothing else: the schema is neither created nor migrated, so
    /// pointing a read command at a database never changes it.
    /// </summary>
    /// <param name="connectionString">Npgsql keywords or a <c>postgresql://</c> URI.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <returns>The store, or null when the database holds no store in <see cref="PostgreSqlStoreOptions.Schema"/> yet.</returns>
    /// <exception cref="ArgumentException">The connection string is malformed or names no host.</exception>
    /// <exception cref="StoreUnavailableException">
    /// The server cannot be reached or refuses the login, or the store's schema is older than this build reads
    /// (unless <see cref="PostgreSqlStoreOptions.AcceptOlderSchema"/>).
    /// </exception>
    /// <exception cref="StoreIncompatibleException">The database is at a newer schema version that no longer accepts this build.</exception>
    public static PostgreSqlScriptRunStore? OpenReadOnly(string connectionString, PostgreSqlStoreOptions? options = null) =>
        OpenCoreAsync(connectionString, options, readOnly: true, async: false, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc cref="Open"/>
    /// <param name="connectionString">Npgsql keywords or a <c>postgresql://</c> URI.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static Task<PostgreSqlScriptRunStore> OpenAsync(string connectionString, PostgreSqlStoreOptions? options = null, CancellationToken cancellationToken = default) =>
        OpenCoreAsync(connectionString, options, readOnly: false, async: true, cancellationToken).AsTask()!;

    /// <inheritdoc/>
    protected override void Dispose(bool disposing) => _session.Dispose();

    /// <inheritdoc/>
    protected override ValueTask DisposeAsyncCore() => _session.DisposeAsync();

    private static async ValueTask<PostgreSqlScriptRunStore?> OpenCoreAsync(string connectionString, PostgreSqlStoreOptions? options, bool readOnly, bool async, CancellationToken cancellationToken)
    {
        var (settings, named) = PostgreSqlConnectionString.ParseWithSchema(connectionString);
        options ??= new PostgreSqlStoreOptions();
        var schema = options.SchemaFor(named);
        if (options.ConnectTimeout is { } connect)
        {
            settings.Timeout = PostgreSqlStoreOptions.WholeSeconds(connect);
        }

        if (options.CommandTimeout is { } commandTimeout)
        {
            settings.CommandTimeout = PostgreSqlStoreOptions.WholeSeconds(commandTimeout);

            // After a command timeout Npgsql asks the server to cancel and, by default, waits 2 more seconds for it;
            // a server that stopped answering answers that neither. The connection is dropped at once instead.
            settings.CancellationTimeout = -1;
        }

        var migrations = options.TestMigrations.Count == 0 ? PostgreSqlSchema.Migrations : [.. PostgreSqlSchema.Migrations, .. options.TestMigrations];
        var description = PostgreSqlConnectionString.Describe(settings, schema);
        var failures = new PostgreSqlFailures(PostgreSqlConnectionString.Endpoint(settings), settings.Database ?? settings.Username ?? "(default)");
        var dataSource = new NpgsqlDataSourceBuilder(settings.ConnectionString).Build();
        try
        {
            var connection = await PostgreSqlSession.OpenConnectionAsync(dataSource, failures, async, cancellationToken).ConfigureAwait(false);
            (int Version, int? OldestWriter) stored = (migrations.Count, null);
            try
            {
                if (readOnly)
                {
                    stored = await PostgreSqlSchema.ReadVersionAsync(connection, schema, async, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await PostgreSqlSchema.MigrateAsync(connection, schema, description, migrations, async, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (PostgreSqlFailures.IsUnavailable(e))
            {
                throw failures.Failed(readOnly ? $"read the version of schema {schema}" : $"prepare schema {schema}", e);
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            if (stored.Version == 0)
            {
                // Read-only, and no store in the database yet: nothing to read, and nothing is created.
                await dataSource.DisposeAsync().ConfigureAwait(false);
                return null;
            }

            switch (SchemaCompatibility.Judge(stored.Version, stored.OldestWriter, migrations.Count))
            {
                case SchemaAccess.Incompatible:
                    throw SchemaCompatibility.Incompatible($"The database {description}", stored.Version, stored.OldestWriter, migrations.Count);
                case SchemaAccess.Older when !options.AcceptOlderSchema:
                    throw new StoreUnavailableException(
                        $"The database {description} is at schema version {stored.Version}, older than this ScriptMonitor reads ({migrations.Count}); it is upgraded when it is next opened for writing ('scriptmon db migrate', by a user who may change the schema).");
            }

            var session = new PostgreSqlSession(dataSource, failures, schema, description, migrations.Count);
            return new PostgreSqlScriptRunStore(session, new PostgreSqlExpectationRows(session), options.TimeProvider);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}

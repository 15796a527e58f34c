using System.Text.RegularExpressions;

namespace ScriptMonitor.PostgreSql;

/// <summary>Settings of the PostgreSQL store; the defaults suit one shared database per organisation.</summary>
public sealed partial class PostgreSqlStoreOptions
{
    /// <summary>The schema the store keeps its tables in when none is given.</summary>
    public const string DefaultSchema = "scriptmon";

    /// <summary>The application name the store reports to the server when the connection string sets none.</summary>
    internal const string DefaultApplicationName = "scriptmon";

    /// <summary>
    /// The most connections one store instance keeps open unless the setting names its own <c>Maximum Pool Size</c>.
    /// Npgsql's own default, 100, is PostgreSQL's default <c>max_connections</c>: a single busy server instance could
    /// take every connection the database has, and a second one would find none. A call that finds the pool busy
    /// waits for a connection (Npgsql's <c>Timeout</c>) rather than failing.
    /// </summary>
    internal const int DefaultMaxPoolSize = 16;

    private readonly string? _schema;

    /// <summary>
    /// The schema that holds ScriptMonitor's tables, created on first open if missing. Default <c>scriptmon</c>: the
    /// tables stay apart from anything else in the database, and one database can hold several independent stores.
    /// The connection string may name it instead (<c>Schema=…</c>, <c>?schema=…</c>), which is how a setting such as
    /// <c>SCRIPTMON_DATABASE</c> chooses it. A letter or underscore, then letters, digits or underscores; at most 63
    /// characters.
    /// </summary>
    /// <exception cref="ArgumentException">The name breaks that rule.</exception>
    public string Schema
    {
        get => _schema ?? DefaultSchema;
        init => _schema = ValidSchema(value, nameof(Schema));
    }

    /// <summary>
    /// Migrations beyond those this build knows, to play a newer build in tests: a store opened with them is migrated
    /// past what the build knows, as a newer build on another host would migrate it.
    /// </summary>
    internal IReadOnlyList<Stores.SchemaMigration> TestMigrations { get; init; } = [];

    /// <summary>The longest connect timeout Npgsql takes.</summary>
    public static readonly TimeSpan MaxConnectTimeout = TimeSpan.FromSeconds(1024);

    /// <summary>The longest command timeout: Npgsql takes whole seconds as a 32-bit number.</summary>
    public static readonly TimeSpan MaxCommandTimeout = TimeSpan.FromSeconds(int.MaxValue);

    private readonly TimeSpan? _connectTimeout;
    private readonly TimeSpan? _commandTimeout;

    /// <summary>
    /// How long opening a connection may take, the server's answer to the login included, so that a server that
    /// accepts the connection but never answers fails in time. Null (the default) keeps the connection string's
    /// <c>Timeout</c> (<c>connect_timeout</c>), else Npgsql's 15 seconds. Whole seconds, rounded up; at most
    /// <see cref="MaxConnectTimeout"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive or too long.</exception>
    public TimeSpan? ConnectTimeout
    {
        get => _connectTimeout;
        init => _connectTimeout = Positive(value, MaxConnectTimeout, nameof(ConnectTimeout));
    }

    /// <summary>
    /// How long one statement may wait for the server before the call fails with
    /// <see cref="Runs.StoreUnavailableException"/> and the connection is dropped: with <see cref="ConnectTimeout"/>,
    /// the bound on every call of a server that stopped answering. Null (the default) keeps the connection string's
    /// <c>Command Timeout</c>, else Npgsql's 30 seconds. Whole seconds, rounded up; at most
    /// <see cref="MaxCommandTimeout"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive or too long.</exception>
    public TimeSpan? CommandTimeout
    {
        get => _commandTimeout;
        init => _commandTimeout = Positive(value, MaxCommandTimeout, nameof(CommandTimeout));
    }

    /// <summary>
    /// For <see cref="PostgreSqlScriptRunStore.OpenReadOnly"/>: open a store at an older schema version too, to report
    /// on it (<see cref="Stores.ScriptRunStoreBase.GetInfoAsync"/>). Default false: reading an older schema is refused
    /// with a message saying that it needs migrating, because queries of this build would not find what they read.
    /// </summary>
    public bool AcceptOlderSchema { get; init; }

    /// <summary>The clock that judges "in the future" before a call reaches the server; the system clock by default.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>A schema name checked against the rule of <see cref="Schema"/>.</summary>
    internal static string ValidSchema(string? value, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, paramName);
        return SchemaNamePattern().IsMatch(value)
            ? value
            : throw new ArgumentException($"{paramName} must be a letter or underscore followed by letters, digits or underscores, at most 63 characters (it is '{value}').", paramName);
    }

    /// <summary>The schema to use: the one the connection string names, else <see cref="Schema"/>.</summary>
    /// <exception cref="ArgumentException">Both name one, and they differ.</exception>
    internal string SchemaFor(string? named) =>
        named is null || named == _schema ? Schema
        : _schema is null ? named
        : throw new ArgumentException($"The connection string names schema '{named}' and options.Schema names '{_schema}'; name it in one place.", "options");

    /// <summary>A timeout as Npgsql takes it: whole seconds, rounded up so that it is never shorter than asked.</summary>
    internal static int WholeSeconds(TimeSpan value) => (int)Math.Min(int.MaxValue, Math.Ceiling(value.TotalSeconds));

    private static TimeSpan? Positive(TimeSpan? value, TimeSpan max, string name) =>
        value is not { } given || (given > TimeSpan.Zero && given <= max)
            ? value
            : throw new ArgumentOutOfRangeException(name, given, $"{name} must be more than 0 and at most {max.TotalSeconds:0} seconds.");

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex SchemaNamePattern();
}

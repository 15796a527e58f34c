using System.Text.RegularExpressions;

namespace ScriptMonitor.PostgreSql;

/// <summary>Settings of the PostgreSQL store; the defaults suit one shared database per organisation.</summary>
public sealed partial class PostgreSqlStoreOptions
{
    /// <summary>The schema the store keeps its tables in when none is given.</summary>
    public const string DefaultSchema = "scriptmon";

    /// <summary>The application name the store reports to the server when the connection string sets none.</summary>
    internal const string DefaultApplicationName = "scriptmon";

    private readonly string _schema = DefaultSchema;

    /// <summary>
    /// The schema that holds ScriptMonitor's tables, created on first open if missing. Default <c>scriptmon</c>: the
    /// tables stay apart from anything else in the database, and one database can hold several independent stores.
    /// A letter or underscore, then letters, digits or underscores; at most 63 characters.
    /// </summary>
    /// <exception cref="ArgumentException">The name breaks that rule.</exception>
    public string Schema
    {
        get => _schema;
        init
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value);
            _schema = SchemaNamePattern().IsMatch(value)
                ? value
                : throw new ArgumentException($"Schema must be a letter or underscore followed by letters, digits or underscores, at most 63 characters (it is '{value}').", nameof(Schema));
        }
    }

    /// <summary>
    /// For <see cref="PostgreSqlScriptRunStore.OpenReadOnly"/>: open a store at an older schema version too, to report
    /// on it (<see cref="PostgreSqlScriptRunStore.GetInfoAsync"/>). Default false: reading an older schema is refused
    /// with a message saying that it needs migrating, because queries of this build would not find what they read.
    /// </summary>
    public bool AcceptOlderSchema { get; init; }

    /// <summary>The clock that judges "in the future"; the system clock by default.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex SchemaNamePattern();
}

using System.Text.RegularExpressions;

namespace ScriptMonitor.Configuration;

/// <summary>Where the runs live: a SQLite file path or a PostgreSQL connection string, and why that one.</summary>
/// <param name="Kind">SQLite or PostgreSQL.</param>
/// <param name="Target">The SQLite file path, or the PostgreSQL connection string.</param>
/// <param name="Source">Which step of the configuration path chose it.</param>
public sealed partial record StoreLocation(StoreKind Kind, string Target, StoreLocationSource Source)
{
    /// <summary>The prefix this type prints before a SQLite path (<see cref="ToString"/>); a setting may carry it too.</summary>
    private const string SqlitePrefix = "sqlite:";

    /// <summary>
    /// Reads a setting: a <c>postgres://</c> or <c>postgresql://</c> URI, or a keyword connection string
    /// (<c>Host=…;Database=…</c>), is PostgreSQL; anything else is the path of a SQLite file, optionally written
    /// <c>sqlite:PATH</c> as this type prints it. A relative path is taken from the current directory.
    /// </summary>
    /// <param name="setting">The setting's text.</param>
    /// <param name="source">Where it came from.</param>
    /// <exception cref="ArgumentException">
    /// The setting is empty, is a connection string that names no host, or is a URI of a kind no store reads.
    /// </exception>
    public static StoreLocation Parse(string setting, StoreLocationSource source) => Parse(setting, source, relativeTo: null);

    /// <summary>Reads a setting whose relative SQLite path is taken from <paramref name="relativeTo"/> (the configuration file's directory).</summary>
    internal static StoreLocation Parse(string setting, StoreLocationSource source, string? relativeTo)
    {
        if (string.IsNullOrWhiteSpace(setting))
        {
            throw new ArgumentException("The store setting must name a SQLite file or a PostgreSQL connection string; it is empty.", nameof(setting));
        }

        var trimmed = setting.Trim();
        if (IsPostgreSql(trimmed))
        {
            return new StoreLocation(StoreKind.PostgreSql, trimmed, source);
        }

        if (ConnectionKeywordPattern().IsMatch(trimmed))
        {
            throw new ArgumentException(
                $"The store setting '{Hide(trimmed)}' is a PostgreSQL connection string that names no host: add Host=… (a SQLite file with a name like that is written with its directory, ./NAME).",
                nameof(setting));
        }

        var path = trimmed.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase) ? trimmed[SqlitePrefix.Length..] : trimmed;
        if (UriSchemePattern().Match(path) is { Success: true } uri)
        {
            throw new ArgumentException(
                $"The store setting '{Hide(trimmed)}' is a {uri.Groups["scheme"].Value}: URI; a store is a SQLite path or a PostgreSQL connection string (postgresql://…).",
                nameof(setting));
        }

        if (path.Length == 0)
        {
            throw new ArgumentException($"The store setting '{trimmed}' names no SQLite file.", nameof(setting));
        }

        var expanded = ExpandHome(path);
        return new StoreLocation(StoreKind.Sqlite, relativeTo is null ? Path.GetFullPath(expanded) : Path.GetFullPath(expanded, relativeTo), source);
    }

    /// <summary>The location for people to read: the SQLite path, or the connection string without its password.</summary>
    public override string ToString() => Kind == StoreKind.Sqlite
        ? $"{SqlitePrefix}{Target}"
        : $"postgresql:{Hide(Target)}";

    /// <summary>Expands a leading <c>~</c> to the user's home directory, as a shell would.</summary>
    internal static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..]
            : path;

    private static string Hide(string connection) =>
        UriPasswordPattern().Replace(PasswordPattern().Replace(connection, "${key}=***"), "${user}:***@");

    private static bool IsPostgreSql(string setting) =>
        setting.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || setting.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || HostKeywordPattern().IsMatch(setting);

    [GeneratedRegex(@"(^|;)\s*(Host|Server)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex HostKeywordPattern();

    /// <summary>
    /// A keyword of Npgsql's connection strings at the start of the setting or after a ';': a setting with one is a
    /// connection string, even one that lacks its host, never a file name.
    /// </summary>
    [GeneratedRegex(@"(^|;)\s*(Port|Database|Db|User\s*name|User\s*Id|UserId|User|Password|Pwd|Passfile|SSL\s*Mode|SslMode|Timeout|Command\s*Timeout|Application\s*Name|Search\s*Path|Pooling|Options|Keepalive|Include\s*Error\s*Detail|Target\s*Session\s*Attributes|Trust\s*Server\s*Certificate|Root\s*Certificate|SSL\s*Certificate|SSL\s*Key|Kerberos\s*Service\s*Name|Max(imum)?\s*Pool\s*Size|Min(imum)?\s*Pool\s*Size)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionKeywordPattern();

    /// <summary>A URI's scheme (<c>mysql://</c>, <c>http://</c>, <c>file://</c>): not a path.</summary>
    [GeneratedRegex(@"^(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://")]
    private static partial Regex UriSchemePattern();

    [GeneratedRegex(@"(?<key>Password|Pwd)\s*=[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordPattern();

    [GeneratedRegex(@"(?<user>^[a-z]+://[^:/@]*):[^@]*@", RegexOptions.IgnoreCase)]
    private static partial Regex UriPasswordPattern();
}

using System.Text.RegularExpressions;

namespace ScriptMonitor.Configuration;

/// <summary>Where the runs live: a SQLite file path or a PostgreSQL connection string, and why that one.</summary>
/// <param name="Kind">SQLite or PostgreSQL.</param>
/// <param name="Target">The SQLite file path, or the PostgreSQL connection string.</param>
/// <param name="Source">Which step of the configuration path chose it.</param>
public sealed partial record StoreLocation(StoreKind Kind, string Target, StoreLocationSource Source)
{
    /// <summary>
    /// Reads a setting: a <c>postgres://</c> or <c>postgresql://</c> URI, or a keyword connection string with
    /// <c>Host=</c>, is PostgreSQL; anything else is the path of a SQLite file.
    /// </summary>
    /// <param name="setting">The setting's text.</param>
    /// <param name="source">Where it came from.</param>
    /// <exception cref="ArgumentException">The setting is empty.</exception>
    public static StoreLocation Parse(string setting, StoreLocationSource source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(setting);
        var trimmed = setting.Trim();
        return IsPostgreSql(trimmed)
            ? new StoreLocation(StoreKind.PostgreSql, trimmed, source)
            : new StoreLocation(StoreKind.Sqlite, Path.GetFullPath(ExpandHome(trimmed)), source);
    }

    /// <summary>The location for people to read: the SQLite path, or the connection string without its password.</summary>
    public override string ToString() => Kind == StoreKind.Sqlite
        ? $"sqlite:{Target}"
        : $"postgresql:{UriPasswordPattern().Replace(PasswordPattern().Replace(Target, "${key}=***"), "${user}:***@")}";

    private static bool IsPostgreSql(string setting) =>
        setting.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || setting.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || HostKeywordPattern().IsMatch(setting);

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..]
            : path;

    [GeneratedRegex(@"(^|;)\s*(Host|Server)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex HostKeywordPattern();

    [GeneratedRegex(@"(?<key>Password|Pwd)\s*=[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordPattern();

    [GeneratedRegex(@"(?<user>^[a-z]+://[^:/@]*):[^@]*@", RegexOptions.IgnoreCase)]
    private static partial Regex UriPasswordPattern();
}

using System.Text.RegularExpressions;
using ScriptMonitor.Configuration;
using ScriptMonitor.Runs;
using ScriptMonitor.Stores;

namespace ScriptMonitor.PostgreSql;

/// <summary>
/// The PostgreSQL store as the configuration path sees it: a <c>postgres://</c> or <c>postgresql://</c> URI, or a
/// keyword connection string (<c>Host=…;Database=…</c>). A setting made of connection keywords but without a host is
/// refused rather than taken for a file name.
/// </summary>
public sealed partial class PostgreSqlStoreProvider : IStoreProvider
{
    /// <summary>The prefix a location prints before a connection string.</summary>
    private const string Prefix = "postgresql:";

    /// <inheritdoc/>
    public string SettingKind => "a PostgreSQL connection string";

    /// <inheritdoc/>
    public string? LocalFile(string target) => null;

    /// <inheritdoc/>
    public int LatestSchemaVersion => PostgreSqlSchema.LatestVersion;

    /// <inheritdoc/>
    public string? Recognize(string setting, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(setting);
        if (PostgreSqlConnectionString.IsUri(setting) || HostKeywordPattern().IsMatch(setting))
        {
            return setting;
        }

        return ConnectionKeywordPattern().IsMatch(setting)
            ? throw new ArgumentException(
                $"The store setting '{Hide(setting)}' is a PostgreSQL connection string that names no host: add Host=… (a SQLite file with a name like that is written with its directory, ./NAME).",
                nameof(setting))
            : null;
    }

    /// <inheritdoc/>
    public string Describe(string target) => Prefix + Hide(target);

    /// <inheritdoc/>
    public IScriptRunStore Open(string target, StoreOpenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return PostgreSqlScriptRunStore.Open(target, new PostgreSqlStoreOptions { TimeProvider = options.TimeProvider, ConnectTimeout = options.WaitBound, CommandTimeout = options.WaitBound });
    }

    /// <inheritdoc/>
    public IScriptRunStore? OpenReadOnly(string target, StoreOpenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return PostgreSqlScriptRunStore.OpenReadOnly(target, new PostgreSqlStoreOptions { TimeProvider = options.TimeProvider, AcceptOlderSchema = options.AcceptOlderSchema });
    }

    private static string Hide(string connection) => StoreLocator.WithoutPasswords(connection);

    [GeneratedRegex(@"(^|;)\s*(Host|Server)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex HostKeywordPattern();

    /// <summary>
    /// A keyword of Npgsql's connection strings at the start of the setting or after a ';': a setting with one is a
    /// connection string, even one that lacks its host, never a file name.
    /// </summary>
    [GeneratedRegex(@"(^|;)\s*(Port|Database|Db|User\s*name|User\s*Id|UserId|User|Password|Pwd|Passfile|SSL\s*Mode|SslMode|Timeout|Command\s*Timeout|Application\s*Name|Search\s*Path|Pooling|Options|Keepalive|Include\s*Error\s*Detail|Target\s*Session\s*Attributes|Trust\s*Server\s*Certificate|Root\s*Certificate|SSL\s*Certificate|SSL\s*Key|Kerberos\s*Service\s*Name|Max(imum)?\s*Pool\s*Size|Min(imum)?\s*Pool\s*Size|Schema)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionKeywordPattern();
}

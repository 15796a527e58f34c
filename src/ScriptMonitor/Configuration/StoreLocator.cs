using System.Text.RegularExpressions;
using ScriptMonitor.Stores;

namespace ScriptMonitor.Configuration;

/// <summary>
/// The one configuration path every surface shares: an explicit setting, else <c>SCRIPTMON_DATABASE</c>, else the
/// <c>database</c> entry of the user's configuration file, else that of the system configuration file
/// (<c>/etc/scriptmon/config.json</c>), else the embedded default under the user's data directory. The
/// setting is read by the store providers it is given, so this path knows no kind of store itself.
/// </summary>
/// <remarks>
/// The first provider is the default kind of store: the one the embedded default names, and the one asked last, so
/// that it takes every setting no other provider recognises (a path).
/// </remarks>
public static partial class StoreLocator
{
    /// <summary>The environment variable that names the store.</summary>
    public const string DatabaseVariable = "SCRIPTMON_DATABASE";

    /// <summary>The environment variable that names the configuration file, in place of the default path.</summary>
    public const string ConfigFileVariable = "SCRIPTMON_CONFIG";

    /// <summary>The environment variable that names the system configuration file, in place of <see cref="DefaultSystemConfigFilePath"/>.</summary>
    public const string SystemConfigFileVariable = "SCRIPTMON_SYSTEM_CONFIG";

    /// <summary>The system configuration file: read by every user of the host after their own, so one file can point them all at one store.</summary>
    public const string DefaultSystemConfigFilePath = "/etc/scriptmon/config.json";

    /// <summary>
    /// The configuration file: <c>$SCRIPTMON_CONFIG</c>, else <c>$XDG_CONFIG_HOME/scriptmon/config.json</c>, else
    /// <c>~/.config/scriptmon/config.json</c>.
    /// </summary>
    public static string ConfigFilePath => ConfigFilePathFrom(Environment.GetEnvironmentVariable);

    /// <summary>The embedded default: <c>$XDG_DATA_HOME/scriptmon/scriptmon.db</c>, else <c>~/.local/share/scriptmon/scriptmon.db</c>.</summary>
    public static string DefaultDatabasePath => DefaultDatabasePathFrom(Environment.GetEnvironmentVariable);

    /// <summary>Resolves where the runs live.</summary>
    /// <param name="providers">The kinds of store this build opens, the default kind first.</param>
    /// <param name="explicitSetting">A setting given explicitly (an option or an argument); null to consult the rest of the path.</param>
    /// <exception cref="ArgumentException">The explicit setting is empty or malformed (a connection string without a host, say).</exception>
    /// <exception cref="ConfigurationException">
    /// <c>SCRIPTMON_DATABASE</c> is malformed, or the configuration file exists but cannot be read or is malformed.
    /// </exception>
    public static StoreLocation Resolve(IReadOnlyList<IStoreProvider> providers, string? explicitSetting = null) =>
        Resolve(providers, explicitSetting, Environment.GetEnvironmentVariable);

    /// <summary>
    /// Reads a setting: the first provider that recognises it opens it. A relative path is taken from the current
    /// directory.
    /// </summary>
    /// <param name="providers">The kinds of store this build opens, the default kind first.</param>
    /// <param name="setting">The setting's text.</param>
    /// <param name="source">Where it came from.</param>
    /// <exception cref="ArgumentException">
    /// The setting is empty, is malformed for the kind it names, or is a URI of a kind no store reads.
    /// </exception>
    public static StoreLocation Parse(IReadOnlyList<IStoreProvider> providers, string setting, StoreLocationSource source) =>
        Parse(providers, setting, source, Directory.GetCurrentDirectory());

    /// <summary>
    /// A path as the configuration path reads it: a leading <c>~</c> is the user's home directory, as a shell has it,
    /// and a relative path is taken from <paramref name="baseDirectory"/>.
    /// </summary>
    /// <param name="path">The path as written.</param>
    /// <param name="baseDirectory">What a relative path is relative to.</param>
    public static string FullPath(string path, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(path);
        var expanded = path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..]
            : path;
        return Path.GetFullPath(expanded, baseDirectory);
    }

    /// <summary>Resolves where the runs live, reading the environment through <paramref name="environment"/>.</summary>
    /// <param name="providers">The kinds of store this build can open.</param>
    /// <param name="explicitSetting">A setting given explicitly; null to consult the rest of the path.</param>
    /// <param name="environment">Reads an environment variable (null when unset): the process's, or a caller's own.</param>
    /// <exception cref="ArgumentException">The explicit setting is empty or malformed.</exception>
    /// <exception cref="ConfigurationException">The environment's setting or the configuration file is malformed.</exception>
    public static StoreLocation Resolve(IReadOnlyList<IStoreProvider> providers, string? explicitSetting, Func<string, string?> environment)
    {
        // Given but empty is a mistake to report, never a reason to fall back to another store without a word.
        if (explicitSetting is not null)
        {
            return Parse(providers, explicitSetting, StoreLocationSource.Explicit);
        }

        // An empty variable counts as unset, as the shell's ${VAR:-default} has it.
        if (environment(DatabaseVariable) is { } fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment))
        {
            try
            {
                return Parse(providers, fromEnvironment, StoreLocationSource.Environment);
            }
            catch (ArgumentException e)
            {
                throw new ConfigurationException($"{DatabaseVariable}: {e.Message.Split(" (Parameter", 2)[0]}", e);
            }
        }

        return FromFile(providers, ConfigFilePathFrom(environment), StoreLocationSource.ConfigFile)
            ?? FromFile(providers, SystemConfigFilePathFrom(environment), StoreLocationSource.SystemConfigFile)
            ?? Parse(providers, DefaultDatabasePathFrom(environment), StoreLocationSource.Default);
    }

    /// <summary>The store a configuration file's <c>database</c> entry names; null when there is no file or no entry.</summary>
    private static StoreLocation? FromFile(IReadOnlyList<IStoreProvider> providers, string path, StoreLocationSource source)
    {
        if (ConfigFile.Read(path) is not { Database: { } setting } file)
        {
            return null;
        }

        try
        {
            // A relative path in the file means beside the file, wherever the command runs from.
            return Parse(providers, setting, source, file.Directory);
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationException($"Configuration file {path}: \"database\": {e.Message.Split(" (Parameter", 2)[0]}", e);
        }
    }

    internal static StoreLocation Parse(IReadOnlyList<IStoreProvider> providers, string setting, StoreLocationSource source, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(providers);
        if (providers.Count == 0)
        {
            throw new ArgumentException("No kind of store is registered.", nameof(providers));
        }

        if (string.IsNullOrWhiteSpace(setting))
        {
            throw new ArgumentException($"The store setting must name {Kinds(providers)}; it is empty.", nameof(setting));
        }

        var trimmed = setting.Trim();
        foreach (var provider in providers.Skip(1).Append(providers[0]))
        {
            if (provider.Recognize(trimmed, baseDirectory) is { } target)
            {
                return new StoreLocation(provider, target, source);
            }
        }

        throw new ArgumentException(
            UriSchemePattern().Match(trimmed) is { Success: true } uri
                ? $"The store setting '{WithoutPasswords(trimmed)}' is a {uri.Groups["scheme"].Value}: URI; a store is {Kinds(providers)}."
                : $"The store setting '{WithoutPasswords(trimmed)}' names no store; a store is {Kinds(providers)}.",
            nameof(setting));
    }

    /// <summary>The configuration file as <see cref="ConfigFilePath"/>, reading the environment through <paramref name="environment"/>.</summary>
    /// <param name="environment">Reads an environment variable (null when unset).</param>
    public static string ConfigFilePathFrom(Func<string, string?> environment) =>
        NonEmpty(environment(ConfigFileVariable))
        ?? Path.Combine(NonEmpty(environment("XDG_CONFIG_HOME")) ?? Path.Combine(Home(environment), ".config"), "scriptmon", "config.json");

    /// <summary>The system configuration file: <c>$SCRIPTMON_SYSTEM_CONFIG</c>, else <see cref="DefaultSystemConfigFilePath"/>.</summary>
    /// <param name="environment">Reads an environment variable (null when unset).</param>
    public static string SystemConfigFilePathFrom(Func<string, string?> environment) =>
        NonEmpty(environment(SystemConfigFileVariable)) ?? DefaultSystemConfigFilePath;

    /// <summary>The embedded default as <see cref="DefaultDatabasePath"/>, reading the environment through <paramref name="environment"/>.</summary>
    /// <param name="environment">Reads an environment variable (null when unset).</param>
    public static string DefaultDatabasePathFrom(Func<string, string?> environment) =>
        Path.Combine(NonEmpty(environment("XDG_DATA_HOME")) ?? Path.Combine(Home(environment), ".local", "share"), "scriptmon", "scriptmon.db");

    /// <summary>The kinds for a sentence: "a SQLite file or a PostgreSQL connection string".</summary>
    private static string Kinds(IReadOnlyList<IStoreProvider> providers) =>
        providers.Count == 1 ? providers[0].SettingKind : $"{string.Join(", ", providers.Take(providers.Count - 1).Select(p => p.SettingKind))} or {providers[^1].SettingKind}";

    /// <summary>A setting for people to read: a password in it, as a keyword (<c>Password=…</c>) or in a URI, is left out.</summary>
    /// <param name="setting">The setting.</param>
    public static string WithoutPasswords(string setting) =>
        UriPasswordPattern().Replace(PasswordPattern().Replace(setting, "${key}=***"), "${user}:***@");

    private static string Home(Func<string, string?> environment) =>
        NonEmpty(environment("HOME")) ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>A URI's scheme (<c>mysql://</c>, <c>http://</c>, <c>file://</c>).</summary>
    [GeneratedRegex(@"^(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://")]
    private static partial Regex UriSchemePattern();

    [GeneratedRegex(@"(?<key>Password|Pwd)\s*=[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordPattern();

    [GeneratedRegex(@"(?<user>^[a-z]+://[^:/@]*):[^@]*@", RegexOptions.IgnoreCase)]
    private static partial Regex UriPasswordPattern();
}

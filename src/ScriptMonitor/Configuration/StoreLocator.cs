namespace ScriptMonitor.Configuration;

/// <summary>
/// The one configuration path every surface shares: an explicit setting, else <c>SCRIPTMON_DATABASE</c>, else the
/// <c>database</c> entry of the configuration file, else the embedded SQLite default under the user's data directory.
/// </summary>
public static class StoreLocator
{
    /// <summary>The environment variable that names the store.</summary>
    public const string DatabaseVariable = "SCRIPTMON_DATABASE";

    /// <summary>The environment variable that names the configuration file, in place of the default path.</summary>
    public const string ConfigFileVariable = "SCRIPTMON_CONFIG";

    /// <summary>
    /// The configuration file: <c>$SCRIPTMON_CONFIG</c>, else <c>$XDG_CONFIG_HOME/scriptmon/config.json</c>, else
    /// <c>~/.config/scriptmon/config.json</c>.
    /// </summary>
    public static string ConfigFilePath => ConfigFilePathFrom(Environment.GetEnvironmentVariable);

    /// <summary>The embedded default: <c>$XDG_DATA_HOME/scriptmon/scriptmon.db</c>, else <c>~/.local/share/scriptmon/scriptmon.db</c>.</summary>
    public static string DefaultDatabasePath => DefaultDatabasePathFrom(Environment.GetEnvironmentVariable);

    /// <summary>Resolves where the runs live.</summary>
    /// <param name="explicitSetting">A setting given explicitly (an option or an argument); null or empty to consult the rest of the path.</param>
    /// <exception cref="ConfigurationException">The configuration file exists but cannot be read or is malformed.</exception>
    public static StoreLocation Resolve(string? explicitSetting = null) => Resolve(explicitSetting, Environment.GetEnvironmentVariable);

    internal static StoreLocation Resolve(string? explicitSetting, Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(explicitSetting))
        {
            return StoreLocation.Parse(explicitSetting, StoreLocationSource.Explicit);
        }

        if (environment(DatabaseVariable) is { } fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return StoreLocation.Parse(fromEnvironment, StoreLocationSource.Environment);
        }

        if (ConfigFile.Read(ConfigFilePathFrom(environment)) is { Database: { } fromFile } && !string.IsNullOrWhiteSpace(fromFile))
        {
            return StoreLocation.Parse(fromFile, StoreLocationSource.ConfigFile);
        }

        return new StoreLocation(StoreKind.Sqlite, DefaultDatabasePathFrom(environment), StoreLocationSource.Default);
    }

    internal static string ConfigFilePathFrom(Func<string, string?> environment) =>
        NonEmpty(environment(ConfigFileVariable))
        ?? Path.Combine(NonEmpty(environment("XDG_CONFIG_HOME")) ?? Path.Combine(Home(environment), ".config"), "scriptmon", "config.json");

    internal static string DefaultDatabasePathFrom(Func<string, string?> environment) =>
        Path.Combine(NonEmpty(environment("XDG_DATA_HOME")) ?? Path.Combine(Home(environment), ".local", "share"), "scriptmon", "scriptmon.db");

    private static string Home(Func<string, string?> environment) =>
        NonEmpty(environment("HOME")) ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

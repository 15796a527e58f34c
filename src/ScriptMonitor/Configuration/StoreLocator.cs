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
    /// <param name="explicitSetting">A setting given explicitly (an option or an argument); null to consult the rest of the path.</param>
    /// <exception cref="ArgumentException">The explicit setting is empty or malformed (a connection string without a host, say).</exception>
    /// <exception cref="ConfigurationException">
    /// <c>SCRIPTMON_DATABASE</c> is malformed, or the configuration file exists but cannot be read or is malformed.
    /// </exception>
    public static StoreLocation Resolve(string? explicitSetting = null) => Resolve(explicitSetting, Environment.GetEnvironmentVariable);

    internal static StoreLocation Resolve(string? explicitSetting, Func<string, string?> environment)
    {
        // Given but empty is a mistake to report, never a reason to fall back to another store without a word.
        if (explicitSetting is not null)
        {
            return StoreLocation.Parse(explicitSetting, StoreLocationSource.Explicit);
        }

        // An empty variable counts as unset, as the shell's ${VAR:-default} has it.
        if (environment(DatabaseVariable) is { } fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment))
        {
            try
            {
                return StoreLocation.Parse(fromEnvironment, StoreLocationSource.Environment);
            }
            catch (ArgumentException e)
            {
                throw new ConfigurationException($"{DatabaseVariable}: {e.Message.Split(" (Parameter", 2)[0]}", e);
            }
        }

        var configPath = ConfigFilePathFrom(environment);
        if (ConfigFile.Read(configPath) is { Database: { } fromFile } file)
        {
            try
            {
                // A relative path in the file means beside the file, wherever the command runs from.
                return StoreLocation.Parse(fromFile, StoreLocationSource.ConfigFile, file.Directory);
            }
            catch (ArgumentException e)
            {
                throw new ConfigurationException($"Configuration file {configPath}: \"database\": {e.Message.Split(" (Parameter", 2)[0]}", e);
            }
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

using ScriptMonitor.Application.Stores;
using ScriptMonitor.Configuration;

namespace ScriptMonitor.Application.Configuration;

/// <summary>
/// The one configuration path of where the data lives, a store or a server, shared by every front end. The steps, first
/// match wins: an explicit setting, the environment (<c>SCRIPTMON_SERVER</c>, <c>SCRIPTMON_DATABASE</c>), the user's
/// configuration file (<c>server</c>, <c>database</c>), the system configuration file (<c>/etc/scriptmon/config.json</c>,
/// the same entries), the embedded SQLite default. At one step a server wins over a
/// database (the database then is the one a server started there keeps); at different steps the earlier step wins, so
/// <c>--database</c> overrides <c>SCRIPTMON_SERVER</c> and <c>SCRIPTMON_DATABASE</c> a <c>server</c> in the file. The
/// key comes from <c>SCRIPTMON_KEY</c>, else the user's file's <c>key</c>, else (for a server the system file names) the
/// system file's.
/// </summary>
public static class MonitorLocator
{
    /// <summary>Resolves where the data lives.</summary>
    /// <param name="explicitDatabase">A store given explicitly (an option, an argument); null to consult the rest of the path.</param>
    /// <param name="explicitServer">A server URL given explicitly; null to consult the rest of the path.</param>
    /// <exception cref="ArgumentException">An explicit setting is empty or malformed.</exception>
    /// <exception cref="ConfigurationException">A setting of the environment or the configuration file is malformed, or the file cannot be read.</exception>
    public static MonitorLocation Resolve(string? explicitDatabase = null, string? explicitServer = null) =>
        Resolve(explicitDatabase, explicitServer, Environment.GetEnvironmentVariable);

    /// <summary>
    /// Resolves where the data lives for an environment other than this process's: another user's, a cron job's (its
    /// <c>HOME</c> and its crontab's variables). Nothing explicit is given.
    /// </summary>
    /// <param name="environment">Reads a variable of that environment (null when unset).</param>
    /// <exception cref="ConfigurationException">A setting of that environment or a configuration file it names is malformed, or such a file cannot be read.</exception>
    public static MonitorLocation ResolveFor(Func<string, string?> environment) => Resolve(null, null, environment);

    internal static MonitorLocation Resolve(string? explicitDatabase, string? explicitServer, Func<string, string?> environment)
    {
        if (explicitServer is not null)
        {
            return MonitorLocation.Of(ServerLocation.Parse(explicitServer, Key(environment, file: null), StoreLocationSource.Explicit));
        }

        if (explicitDatabase is not null)
        {
            return MonitorLocation.Of(StoreLocator.Resolve(ScriptRunStores.Providers, explicitDatabase, environment));
        }

        if (NonEmpty(environment(ServerLocation.ServerVariable)) is { } fromEnvironment)
        {
            return MonitorLocation.Of(Server(fromEnvironment, Key(environment, file: null), StoreLocationSource.Environment, ServerLocation.ServerVariable));
        }

        if (NonEmpty(environment(StoreLocator.DatabaseVariable)) is null)
        {
            var userPath = StoreLocator.ConfigFilePathFrom(environment);
            var user = ConfigFile.Read(userPath);
            if (user is { Server: { } fromFile })
            {
                return MonitorLocation.Of(Server(fromFile, Key(environment, user), StoreLocationSource.ConfigFile, $"Configuration file {userPath}: \"server\""));
            }

            // The system file is the next step only where the user's own names nothing.
            var systemPath = StoreLocator.SystemConfigFilePathFrom(environment);
            if (user is not { Database: not null } && ConfigFile.Read(systemPath) is { Server: { } fromSystem } system)
            {
                var key = NonEmpty(environment(ServerLocation.KeyVariable)) ?? user?.Key ?? system.Key;
                return MonitorLocation.Of(Server(fromSystem, key, StoreLocationSource.SystemConfigFile, $"Configuration file {systemPath}: \"server\""));
            }
        }

        return MonitorLocation.Of(StoreLocator.Resolve(ScriptRunStores.Providers, null, environment));
    }

    /// <summary>How a step of the path reads in a message: the option, the variable, the file's entry, the default.</summary>
    /// <param name="source">The step.</param>
    /// <param name="variable">The environment variable of the setting.</param>
    /// <param name="entry">The configuration file's entry of the setting.</param>
    public static string Describe(StoreLocationSource source, string variable, string entry) => source switch
    {
        StoreLocationSource.Explicit => "given explicitly",
        StoreLocationSource.Environment => variable,
        StoreLocationSource.ConfigFile => $"\"{entry}\" of the configuration file",
        StoreLocationSource.SystemConfigFile => $"\"{entry}\" of the system configuration file",
        _ => "the default",
    };

    private static ServerLocation Server(string setting, string? key, StoreLocationSource source, string name) =>
        ServerLocation.TryParse(setting, key, source, out var location, out var problem)
            ? location
            : throw new ConfigurationException($"{name}: {problem}");

    /// <summary><c>SCRIPTMON_KEY</c>, else the file's <c>key</c> (the file is read only when it is needed).</summary>
    private static string? Key(Func<string, string?> environment, ConfigFile? file) =>
        NonEmpty(environment(ServerLocation.KeyVariable))
        ?? (file ?? ConfigFile.Read(StoreLocator.ConfigFilePathFrom(environment)))?.Key;

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

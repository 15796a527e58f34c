using ScriptMonitor.Configuration;

namespace ScriptMonitor.Application.Configuration;

/// <summary>
/// Where a monitored script keeps its lock files and its spool, and which cron control file it obeys. Each comes
/// from the same path as the store: explicit, environment variable, configuration file, default.
/// </summary>
/// <param name="LockDirectory">The directory of per-script lock files.</param>
/// <param name="SpoolDirectory">The directory of runs waiting for the store.</param>
/// <param name="CronControlPath">The cron control file; it need not exist.</param>
public sealed record ScriptSettings(string LockDirectory, string SpoolDirectory, string CronControlPath)
{
    /// <summary>The environment variable naming the lock directory.</summary>
    public const string LockDirectoryVariable = "SCRIPTMON_LOCK_DIR";

    /// <summary>The environment variable naming the spool directory.</summary>
    public const string SpoolDirectoryVariable = "SCRIPTMON_SPOOL_DIR";

    /// <summary>The environment variable naming the cron control file.</summary>
    public const string CronControlVariable = "SCRIPTMON_CRON_CONTROL";

    /// <summary>The cron control file when nothing names another: shared by every user of the host.</summary>
    public const string DefaultCronControlPath = "/etc/scriptmon/cron-control.ini";

    /// <summary>
    /// Resolves the settings: environment variables, else the user's configuration file, else the system configuration
    /// file, else the defaults
    /// (<c>locks/</c> and <c>spool/</c> beside the default database, <see cref="DefaultCronControlPath"/>).
    /// </summary>
    /// <exception cref="ConfigurationException">The configuration file exists but cannot be read or is malformed.</exception>
    public static ScriptSettings Resolve() => Resolve(Environment.GetEnvironmentVariable);

    internal static ScriptSettings Resolve(Func<string, string?> environment)
    {
        var file = ConfigFile.Read(StoreLocator.ConfigFilePathFrom(environment));
        var system = ConfigFile.Read(StoreLocator.SystemConfigFilePathFrom(environment));
        var dataDirectory = Path.GetDirectoryName(StoreLocator.DefaultDatabasePathFrom(environment))!;
        return new ScriptSettings(
            Pick(environment(LockDirectoryVariable), file, file?.LockDirectory) ?? Pick(null, system, system?.LockDirectory) ?? Path.Combine(dataDirectory, "locks"),
            Pick(environment(SpoolDirectoryVariable), file, file?.SpoolDirectory) ?? Pick(null, system, system?.SpoolDirectory) ?? Path.Combine(dataDirectory, "spool"),
            Pick(environment(CronControlVariable), file, file?.CronControl) ?? Pick(null, system, system?.CronControl) ?? DefaultCronControlPath);
    }

    /// <summary>The variable (relative to the current directory, like any path given to a command), else the file's entry (relative to the file).</summary>
    private static string? Pick(string? fromEnvironment, ConfigFile? file, string? fromFile) =>
        !string.IsNullOrWhiteSpace(fromEnvironment) ? Path.GetFullPath(fromEnvironment)
        : fromFile is not null ? file!.ResolvePath(fromFile)
        : null;
}

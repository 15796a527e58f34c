namespace ScriptMonitor.Configuration;

/// <summary>Which step of the configuration path chose the store.</summary>
public enum StoreLocationSource
{
    /// <summary>Given explicitly: an option or an argument.</summary>
    Explicit,

    /// <summary>The <c>SCRIPTMON_DATABASE</c> environment variable.</summary>
    Environment,

    /// <summary>The <c>database</c> setting of the configuration file.</summary>
    ConfigFile,

    /// <summary>The embedded default under the user's data directory.</summary>
    Default,

    /// <summary>The <c>database</c> setting of the system configuration file, <c>/etc/scriptmon/config.json</c>, which every user of the host reads after their own.</summary>
    SystemConfigFile,
}

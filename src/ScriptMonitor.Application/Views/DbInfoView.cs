namespace ScriptMonitor.Application.Views;

/// <summary>Which store is used and why, what it holds, and where the rest of the configuration points (<c>scriptmon db info --json</c>).</summary>
/// <param name="Store">The store, for people.</param>
/// <param name="Source">Which step of the configuration path chose it.</param>
/// <param name="Exists">Whether it exists; null when that cannot be told.</param>
/// <param name="SchemaVersion">Its schema version, when it exists.</param>
/// <param name="LatestSchemaVersion">The schema version this build migrates to.</param>
/// <param name="SizeBytes">Its size, where the store knows it.</param>
/// <param name="RunCount">How many runs it holds.</param>
/// <param name="ScriptCount">How many scripts it knows.</param>
/// <param name="ConfigFile">The configuration file.</param>
/// <param name="LockDirectory">The lock directory.</param>
/// <param name="SpoolDirectory">The spool directory.</param>
/// <param name="CronControl">The cron control file.</param>
/// <param name="Problem">Why the store cannot be used, if it cannot.</param>
public sealed record DbInfoView(
    string Store,
    string Source,
    bool? Exists,
    int? SchemaVersion,
    int LatestSchemaVersion,
    long? SizeBytes,
    long RunCount,
    long ScriptCount,
    string ConfigFile,
    string LockDirectory,
    string SpoolDirectory,
    string CronControl,
    string? Problem);

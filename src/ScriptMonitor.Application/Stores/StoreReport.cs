using ScriptMonitor.Application.Configuration;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Configuration;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Stores;

/// <summary>Which store is used and why, what it holds, and where the rest of the configuration points.</summary>
public static class StoreReport
{
    /// <summary>
    /// Reads, never writes: a store of an older schema is shown as such. A store that cannot be used is reported
    /// with everything else that is known, and its problem.
    /// </summary>
    /// <param name="access">The store.</param>
    /// <param name="settings">Where locks, spool and cron control are.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static async Task<DbInfoView> InfoAsync(StoreAccess access, ScriptSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(access);
        try
        {
            using var store = access.OpenForReading(acceptOlderSchema: true);
            var info = store is null ? null : await store.GetInfoAsync(cancellationToken).ConfigureAwait(false);
            return View(access.Location, info, settings, problem: null);
        }
        catch (StoreUnavailableException e)
        {
            return View(access.Location, info: null, settings, e.Message.ReplaceLineEndings(" ").Trim());
        }
    }

    /// <summary>Creates the store if needed, brings its schema up to date, and reports on it.</summary>
    /// <param name="access">The store.</param>
    /// <param name="settings">Where locks, spool and cron control are.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="StoreUnavailableException">The store cannot be opened or migrated.</exception>
    public static async Task<DbInfoView> MigrateAsync(StoreAccess access, ScriptSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(access);
        using var store = access.OpenForWriting();
        return View(access.Location, await store.GetInfoAsync(cancellationToken).ConfigureAwait(false), settings, problem: null);
    }

    private static DbInfoView View(StoreLocation location, StoreInfo? info, ScriptSettings settings, string? problem)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new DbInfoView(
            location.ToString(),
            SourceText(location.Source),
            problem is null ? info is not null : null,
            info?.SchemaVersion,
            info?.LatestSchemaVersion ?? location.Provider.LatestSchemaVersion,
            info?.SizeBytes,
            info?.RunCount ?? 0,
            info?.ScriptCount ?? 0,
            StoreLocator.ConfigFilePath,
            settings.LockDirectory,
            settings.SpoolDirectory,
            settings.CronControlPath,
            problem);
    }

    private static string SourceText(StoreLocationSource source) => source switch
    {
        StoreLocationSource.Explicit => "--database",
        StoreLocationSource.Environment => StoreLocator.DatabaseVariable,
        StoreLocationSource.ConfigFile => "the configuration file",
        StoreLocationSource.SystemConfigFile => "the system configuration file",
        _ => "the default",
    };
}

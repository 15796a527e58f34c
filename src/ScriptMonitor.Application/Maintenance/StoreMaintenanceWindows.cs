using ScriptMonitor.Alerts;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Maintenance;

/// <summary>Maintenance windows kept in a store. Listing only reads; nothing is created to look.</summary>
/// <param name="access">The store.</param>
/// <param name="timeProvider">The clock a window's creation and whether it is open are taken from.</param>
public sealed class StoreMaintenanceWindows(StoreAccess access, TimeProvider timeProvider) : IMaintenanceWindows
{
    /// <summary>The path of a window's name in a refusal of a removal.</summary>
    public const string NamePath = "name";

    /// <inheritdoc/>
    public async Task<MaintenanceListView> ListAsync(CancellationToken cancellationToken = default)
    {
        using var store = access.OpenForReading();
        var windows = store is null ? [] : await store.ListMaintenanceWindowsAsync(cancellationToken).ConfigureAwait(false);
        var now = timeProvider.GetUtcNow();
        return new MaintenanceListView(access.Location.ToString(), [.. windows.Select(w => MaintenanceWindowView.From(w, now))]);
    }

    /// <inheritdoc/>
    public async Task<MaintenanceWindowView?> SaveAsync(MaintenanceWindow window, bool replace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(window);
        var now = timeProvider.GetUtcNow();

        // Checked on its own first, so a bad value is refused before the store is opened (or created).
        var valid = MaintenanceWindowValidation.Validate(window with { CreatedAt = now });
        using var store = access.OpenForWriting();
        var existed = (await store.ListMaintenanceWindowsAsync(cancellationToken).ConfigureAwait(false)).Any(w => string.Equals(w.Name, valid.Name, StringComparison.Ordinal));
        if (!await store.SaveMaintenanceWindowAsync(valid, replace, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return MaintenanceWindowView.From(valid, now, existed ? "replaced" : "added");
    }

    /// <inheritdoc/>
    public async Task<MaintenanceRemovedView> RemoveAsync(string name, CancellationToken cancellationToken = default)
    {
        var valid = RunValidation.ScriptName(name, NamePath);
        using var store = access.OpenExisting();
        var removed = store is not null && await store.RemoveMaintenanceWindowAsync(valid, cancellationToken).ConfigureAwait(false);
        return new MaintenanceRemovedView(valid, removed);
    }
}

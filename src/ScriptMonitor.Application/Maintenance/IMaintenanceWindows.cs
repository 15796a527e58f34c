using ScriptMonitor.Alerts;
using ScriptMonitor.Application.Views;

namespace ScriptMonitor.Application.Maintenance;

/// <summary>
/// The maintenance windows and pauses of a store: listed, added or replaced, removed. <c>scriptmon maintenance</c>
/// asks this; a client of a server answers it over HTTP.
/// </summary>
public interface IMaintenanceWindows
{
    /// <summary>Every window, by name, with whether it is open now.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<MaintenanceListView> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a window, or with <paramref name="replace"/> replaces the one of its name.</summary>
    /// <param name="window">The window; its creation instant is set here.</param>
    /// <param name="replace">True to replace a window of the same name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The window as stored, <c>added</c> or <c>replaced</c>; null when the name is taken and <paramref name="replace"/> is false (nothing is written).</returns>
    /// <exception cref="Runs.ValidationException">A field breaks a rule (paths <c>window.…</c>), before anything is written.</exception>
    Task<MaintenanceWindowView?> SaveAsync(MaintenanceWindow window, bool replace, CancellationToken cancellationToken = default);

    /// <summary>Removes a window; the scripts it held are evaluated as usual again.</summary>
    /// <param name="name">The window's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Runs.ValidationException">The name breaks a rule (path <c>name</c>).</exception>
    Task<MaintenanceRemovedView> RemoveAsync(string name, CancellationToken cancellationToken = default);
}

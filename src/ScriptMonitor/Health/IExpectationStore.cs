using ScriptMonitor.Runs;

namespace ScriptMonitor.Health;

/// <summary>
/// Expectations, kept in the same store as the runs, and the bulk read of history the health evaluation needs.
/// Every store implements the same contract.
/// </summary>
public interface IExpectationStore
{
    /// <summary>
    /// Sets a script's expectation, replacing any before it. Setting the same values again changes nothing.
    /// </summary>
    /// <param name="expectation">The expectation; every field is checked first.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when the store changed; false when it already held these values.</returns>
    /// <exception cref="ArgumentException">A field breaks a rule; the message names it, and nothing is written.</exception>
    Task<bool> SetExpectationAsync(ScriptExpectation expectation, CancellationToken cancellationToken = default);

    /// <summary>Returns a script's expectation, or null when none is set.</summary>
    /// <param name="scriptName">The script's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ScriptExpectation?> GetExpectationAsync(string scriptName, CancellationToken cancellationToken = default);

    /// <summary>Lists every expectation, by script name.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ScriptExpectation>> ListExpectationsAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes a script's expectation; its runs stay.</summary>
    /// <param name="scriptName">The script's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when there was one to remove.</returns>
    Task<bool> RemoveExpectationAsync(string scriptName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds a maintenance window, or replaces the one of its name. The scripts it is for (its script, or every script
    /// whose expectation has its tag) appear in the change feed (<see cref="Alerts.IAlertStore.ReadChangesAsync"/>), so
    /// that the alert loop evaluates them again.
    /// </summary>
    /// <param name="window">The window; every field is checked first.</param>
    /// <param name="replace">True to replace a window of the same name; false to refuse it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when saved; false when the name is taken and <paramref name="replace"/> is false.</returns>
    /// <exception cref="ArgumentException">A field breaks a rule; the message names it, and nothing is written.</exception>
    Task<bool> SaveMaintenanceWindowAsync(Alerts.MaintenanceWindow window, bool replace = false, CancellationToken cancellationToken = default);

    /// <summary>Lists every maintenance window, by name.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<Alerts.MaintenanceWindow>> ListMaintenanceWindowsAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes a maintenance window; the scripts it was for appear in the change feed.</summary>
    /// <param name="name">The window's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when there was one to remove.</returns>
    Task<bool> RemoveMaintenanceWindowAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads, in one pass, the expectation and recent history of every script that has runs or an expectation
    /// (or only of <paramref name="scriptNames"/>), by script name. The last success per host is given at least
    /// for every host an expectation lists.
    /// </summary>
    /// <param name="scriptNames">Only these scripts; null for all. A named script with neither runs nor an expectation is left out.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ScriptSnapshot>> ReadSnapshotsAsync(IReadOnlyCollection<string>? scriptNames = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Counts a script's runs that match <paramref name="query"/> (its host, window and outcome; the page is ignored).
    /// The evaluation asks for it only when the recent runs of a snapshot do not reach back far enough to count
    /// exactly, such as a script that ran 300 times where 6 were expected.
    /// </summary>
    /// <param name="query">Which runs; <see cref="RunQuery.Limit"/> and <see cref="RunQuery.Offset"/> are ignored.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<long> CountRunsAsync(RunQuery query, CancellationToken cancellationToken = default);
}

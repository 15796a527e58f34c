using ScriptMonitor.Application.Views;

namespace ScriptMonitor.Application.Status;

/// <summary>
/// The status overview: every script the store knows, one row each, with its health. <c>scriptmon status</c> and the
/// server's status endpoint both ask this, so the two show the same rows; a client of a server answers it over HTTP.
/// </summary>
public interface IStatusQuery
{
    /// <summary>Reads every script's row, by name, and evaluates its health, all at one instant.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The rows; none when the store does not exist yet.</returns>
    /// <exception cref="Runs.StoreUnavailableException">The store cannot be read; the message says which and why.</exception>
    Task<StatusView> ReadAsync(CancellationToken cancellationToken = default);
}

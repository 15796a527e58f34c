using ScriptMonitor.Application.Views;

namespace ScriptMonitor.Application.Alerts;

/// <summary>
/// What the alert loop recorded: a script's flips and the notifications with their delivery. <c>scriptmon flips</c>
/// and <c>scriptmon notifications list</c> ask this, from the store or from a server's API.
/// </summary>
public interface IAlertHistory
{
    /// <summary>A script's flips, newest first.</summary>
    /// <param name="script">The script.</param>
    /// <param name="limit">How many at most (1 to 10,000).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Runs.ValidationException">The name or the limit breaks its rule.</exception>
    Task<FlipsView> FlipsAsync(string script, int limit, CancellationToken cancellationToken = default);

    /// <summary>Notifications newest first, of one script, one channel, or all.</summary>
    /// <param name="script">Only about this script; null for all.</param>
    /// <param name="channel">Only to this channel; null for all.</param>
    /// <param name="limit">How many at most (1 to 10,000).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Runs.ValidationException">A name or the limit breaks its rule.</exception>
    Task<NotificationsView> NotificationsAsync(string? script, string? channel, int limit, CancellationToken cancellationToken = default);
}

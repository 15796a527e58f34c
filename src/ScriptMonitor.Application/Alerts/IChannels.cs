using ScriptMonitor.Alerts;

namespace ScriptMonitor.Application.Alerts;

/// <summary>
/// The channels notifications go to: listed (secrets by name only), added or replaced, removed, tested.
/// <c>scriptmon channel</c> asks this; against a server, a client answers it over HTTP.
/// </summary>
public interface IChannels
{
    /// <summary>Every channel by name.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ChannelListView> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Checks a channel by its kind's rules and saves it.</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="replace">True to replace a channel of the same name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Runs.ValidationException">A rule is broken (paths <c>name</c>, <c>kind</c>, <c>settings.…</c>, <c>secrets.…</c>, <c>tags[i]</c>, <c>scripts[i]</c>, <c>repeatEvery</c>); nothing was saved.</exception>
    /// <exception cref="InvalidOperationException">A channel has the name and <paramref name="replace"/> is false.</exception>
    Task<ChannelSavedView> SaveAsync(AlertChannel channel, bool replace, CancellationToken cancellationToken = default);

    /// <summary>Removes a channel.</summary>
    /// <param name="name">Its name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ChannelRemovedView> RemoveAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Sends a test notification to a channel now; null when there is no channel of that name.</summary>
    /// <param name="name">Its name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ChannelTestView?> TestAsync(string name, CancellationToken cancellationToken = default);
}

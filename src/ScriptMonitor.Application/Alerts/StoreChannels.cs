using ScriptMonitor.Alerts;
using ScriptMonitor.Application.Stores;

namespace ScriptMonitor.Application.Alerts;

/// <summary>
/// The channels of the store this host opens, as its command line manages them: a channel is checked before the store
/// is opened (or created), so a bad one changes nothing. Command channels are added only this way.
/// </summary>
internal sealed class StoreChannels(StoreAccess access, TimeProvider timeProvider) : IChannels
{
    public async Task<ChannelListView> ListAsync(CancellationToken cancellationToken = default)
    {
        using var store = access.OpenForReading();
        var channels = store is null ? [] : await new ChannelService(store, timeProvider).ListAsync(cancellationToken).ConfigureAwait(false);
        return new ChannelListView(access.Location.ToString(), channels);
    }

    public async Task<ChannelSavedView> SaveAsync(AlertChannel channel, bool replace, CancellationToken cancellationToken = default)
    {
        ChannelValidation.Validate(channel);
        using var store = access.OpenForWriting();
        return await new ChannelService(store, timeProvider).SaveAsync(channel, replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ChannelRemovedView> RemoveAsync(string name, CancellationToken cancellationToken = default)
    {
        Runs.RunValidation.ScriptName(name, "name");
        using var store = access.OpenExisting();
        var removed = store is not null && await new ChannelService(store, timeProvider).RemoveAsync(name, cancellationToken).ConfigureAwait(false);
        return new ChannelRemovedView(name, removed);
    }

    public async Task<ChannelTestView?> TestAsync(string name, CancellationToken cancellationToken = default)
    {
        Runs.RunValidation.ScriptName(name, "name");
        using var store = access.OpenForReading();
        return store is null ? null : await new ChannelService(store, timeProvider).TestAsync(name, cancellationToken).ConfigureAwait(false);
    }
}

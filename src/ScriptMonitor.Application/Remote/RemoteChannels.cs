using System.Net.Http.Json;
using ScriptMonitor.Alerts;
using ScriptMonitor.Application.Alerts;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Remote;

/// <summary>
/// The channels of a server, through its API (an admin key). A channel is checked here first, in the same words as
/// against a store; a command channel is refused: it runs a program on the server's host, so it is added there, on the
/// server's own store, never over the network.
/// </summary>
internal sealed class RemoteChannels(ServerConnection server) : IChannels
{
    private const string Channels = ServerPaths.Api + "channels";

    public async Task<ChannelListView> ListAsync(CancellationToken cancellationToken = default) =>
        (await server.GetJsonAsync(Channels, ChannelJsonContext.Default.ChannelListView, cancellationToken).ConfigureAwait(false)).Value;

    public async Task<ChannelSavedView> SaveAsync(AlertChannel channel, bool replace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (channel.Kind == ChannelKind.Command)
        {
            throw new ValidationException([new FieldError("kind", ChannelValidation.OneOfRule,
                $"kind command is added only on the server's host, on its own store ('scriptmon --database STORE channel add'), never through {server.Description}.")]);
        }

        ChannelValidation.Validate(channel);
        var request = new ChannelRequest(
            ChannelSettings.NameOf(channel.Kind),
            channel.Settings,
            channel.Secrets,
            channel.Tags,
            channel.ScriptNames,
            channel.RepeatEvery is { } repeat ? Views.Seconds.Of(repeat) : null);
        var path = ServerPaths.WithQuery(Path(channel.Name), ("replace", replace ? "true" : null));
        return (await server.SendAsync(HttpMethod.Put, path, JsonContent.Create(request, ChannelJsonContext.Default.ChannelRequest), ChannelJsonContext.Default.ChannelSavedView, cancellationToken).ConfigureAwait(false)).Value;
    }

    public async Task<ChannelRemovedView> RemoveAsync(string name, CancellationToken cancellationToken = default)
    {
        RunValidation.ScriptName(name, "name");
        try
        {
            return (await server.SendAsync(HttpMethod.Delete, Path(name), null, ChannelJsonContext.Default.ChannelRemovedView, cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (KeyNotFoundException)
        {
            return new ChannelRemovedView(name, false);
        }
    }

    public async Task<ChannelTestView?> TestAsync(string name, CancellationToken cancellationToken = default)
    {
        RunValidation.ScriptName(name, "name");
        try
        {
            return (await server.SendAsync(HttpMethod.Post, Path(name) + "/test", null, ChannelJsonContext.Default.ChannelTestView, cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (KeyNotFoundException)
        {
            return null;
        }
    }

    private static string Path(string name) => $"{Channels}/{Uri.EscapeDataString(name)}";
}

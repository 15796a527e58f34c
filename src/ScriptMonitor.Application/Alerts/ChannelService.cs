using ScriptMonitor.Alerts;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Alerts;

/// <summary>
/// The channels of one store: saved after their kind's rules are checked, listed with their secrets redacted,
/// removed, and tested by sending a test notification at once, directly rather than through the outbox. The command
/// line on the store's host and the server's API both do it through this.
/// </summary>
/// <param name="store">The store.</param>
/// <param name="timeProvider">The clock of creations and tests.</param>
public sealed class ChannelService(IAlertStore store, TimeProvider timeProvider)
{
    /// <summary>How long a test may take: the dispatcher's default time for one attempt.</summary>
    public static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The script a test notification is about.</summary>
    public const string TestScriptName = "scriptmon-test";

    /// <summary>Checks a channel by its kind's rules and saves it.</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="replace">True to replace a channel of the same name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ValidationException">A rule is broken; nothing was saved.</exception>
    /// <exception cref="InvalidOperationException">A channel has that name and <paramref name="replace"/> is false; nothing was saved.</exception>
    public async Task<ChannelSavedView> SaveAsync(AlertChannel channel, bool replace, CancellationToken cancellationToken = default)
    {
        var valid = ChannelValidation.Validate(channel);
        var existed = (await store.ListChannelsAsync(cancellationToken).ConfigureAwait(false)).Any(c => c.Name == valid.Name);
        if (!await store.SaveChannelAsync(valid with { CreatedAt = timeProvider.GetUtcNow(), BrokenSince = null, BrokenReason = null }, replace, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"a channel named '{valid.Name}' exists already; replace it, or choose another name.");
        }

        var saved = (await store.ListChannelsAsync(cancellationToken).ConfigureAwait(false)).First(c => c.Name == valid.Name);
        return new ChannelSavedView(existed ? "replaced" : "created", ChannelView.From(saved));
    }

    /// <summary>Every channel by name, its secrets by name only.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<ChannelView>> ListAsync(CancellationToken cancellationToken = default) =>
        [.. (await store.ListChannelsAsync(cancellationToken).ConfigureAwait(false)).OrderBy(c => c.Name, StringComparer.Ordinal).Select(ChannelView.From)];

    /// <summary>One channel, its secrets by name only; null when there is none of that name.</summary>
    /// <param name="name">The channel's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<ChannelView?> GetAsync(string name, CancellationToken cancellationToken = default) =>
        await FindAsync(name, cancellationToken).ConfigureAwait(false) is { } channel ? ChannelView.From(channel) : null;

    /// <summary>Removes a channel.</summary>
    /// <param name="name">The channel's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when there was one.</returns>
    public Task<bool> RemoveAsync(string name, CancellationToken cancellationToken = default) =>
        store.RemoveChannelAsync(RunValidation.ScriptName(name, "name"), cancellationToken);

    /// <summary>The kind of a channel; null when there is none of that name.</summary>
    /// <param name="name">The channel's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<ChannelKind?> KindOfAsync(string name, CancellationToken cancellationToken = default) =>
        (await FindAsync(name, cancellationToken).ConfigureAwait(false))?.Kind;

    /// <summary>Sends a test notification to a channel now and says how it went; null when there is no channel of that name.</summary>
    /// <param name="name">The channel's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<ChannelTestView?> TestAsync(string name, CancellationToken cancellationToken = default)
    {
        if (await FindAsync(name, cancellationToken).ConfigureAwait(false) is not { } channel)
        {
            return null;
        }

        var test = TestEvent(channel.Name, timeProvider.GetUtcNow());
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(TestTimeout);
        var result = await NotificationSenders.For(channel.Kind).SendAsync(channel, test, bound.Token).ConfigureAwait(false);
        return new ChannelTestView(channel.Name, test.EventId.ToString("D"), result.Delivered, result.Error);
    }

    /// <summary>The event of a test: about <see cref="TestScriptName"/>, up, saying which channel it tests.</summary>
    internal static AlertEvent TestEvent(string channelName, DateTimeOffset now) => new()
    {
        EventId = Guid.CreateVersion7(now),
        Kind = NotificationKind.Test,
        ScriptName = TestScriptName,
        State = HealthState.Up,
        Summary = $"Test notification from ScriptMonitor to the channel '{channelName}': it reaches you. Nothing needs doing.",
        At = Timestamps.Normalize(now),
    };

    private async Task<AlertChannel?> FindAsync(string name, CancellationToken cancellationToken)
    {
        RunValidation.ScriptName(name, "name");
        return (await store.ListChannelsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(c => c.Name == name);
    }
}

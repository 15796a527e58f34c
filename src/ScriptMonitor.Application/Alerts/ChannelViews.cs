using System.Text.Json.Serialization;
using ScriptMonitor.Alerts;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Alerts;

/// <summary>A channel as lists and the API show it: its settings, and its secrets by name only.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Kind"><c>webhook</c>, <c>slack</c>, <c>email</c> or <c>command</c>.</param>
/// <param name="Settings">How it is reached, by setting name.</param>
/// <param name="Secrets">The names of its secrets; their values are never shown.</param>
/// <param name="Tags">Only scripts with one of these tags (with <paramref name="Scripts"/>); both empty for every script.</param>
/// <param name="Scripts">Only these scripts (or those with one of <paramref name="Tags"/>).</param>
/// <param name="RepeatEverySeconds">How often a script still down is told again; null for never.</param>
/// <param name="CreatedAt">When it was created, ISO 8601 UTC.</param>
/// <param name="BrokenSince">When it answered that it is gone for good; null while it works.</param>
/// <param name="BrokenReason">What it answered then.</param>
public sealed record ChannelView(
    string Name,
    string Kind,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyList<string> Secrets,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Scripts,
    double? RepeatEverySeconds,
    string CreatedAt,
    string? BrokenSince,
    string? BrokenReason)
{
    /// <summary>The view of a channel, its secrets redacted to their names.</summary>
    /// <param name="channel">The channel.</param>
    public static ChannelView From(AlertChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return new ChannelView(
            channel.Name,
            ChannelSettings.NameOf(channel.Kind),
            new SortedDictionary<string, string>(channel.Settings.ToDictionary(), StringComparer.Ordinal),
            [.. channel.Secrets.Keys.Order(StringComparer.Ordinal)],
            channel.Tags,
            channel.ScriptNames,
            channel.RepeatEvery is { } repeat ? Seconds.Of(repeat) : null,
            Timestamps.FormatIso(channel.CreatedAt),
            channel.BrokenSince is { } broken ? Timestamps.FormatIso(broken) : null,
            channel.BrokenReason);
    }
}

/// <summary>Every channel of a store or server, by name.</summary>
/// <param name="Store">Where they are kept.</param>
/// <param name="Channels">The channels.</param>
public sealed record ChannelListView(string Store, IReadOnlyList<ChannelView> Channels);

/// <summary>A channel saved.</summary>
/// <param name="Status"><c>created</c>, or <c>replaced</c> when a channel of the name was replaced.</param>
/// <param name="Channel">The channel as saved.</param>
public sealed record ChannelSavedView(string Status, ChannelView Channel);

/// <summary>A channel removed, or not there.</summary>
/// <param name="Name">The name asked for.</param>
/// <param name="Removed">True when there was one.</param>
public sealed record ChannelRemovedView(string Name, bool Removed);

/// <summary>How a test notification went.</summary>
/// <param name="Name">The channel.</param>
/// <param name="EventId">The test notification's id.</param>
/// <param name="Delivered">True when the channel took it.</param>
/// <param name="Error">What went wrong; null when delivered.</param>
public sealed record ChannelTestView(string Name, string EventId, bool Delivered, string? Error);

/// <summary>
/// The body of <c>PUT /api/v1/channels/{name}</c>: a channel's kind, settings, secrets and routing. Durations in seconds.
/// </summary>
/// <param name="Kind"><c>webhook</c>, <c>slack</c> or <c>email</c> (a command channel is added on the server's host only).</param>
/// <param name="Settings">How it is reached.</param>
/// <param name="Secrets">Values never shown again (an SMTP password, header values).</param>
/// <param name="Tags">Only scripts with one of these tags.</param>
/// <param name="Scripts">Only these scripts.</param>
/// <param name="RepeatEverySeconds">Tell again this often while a script stays down.</param>
public sealed record ChannelRequest(
    string? Kind,
    IReadOnlyDictionary<string, string>? Settings,
    IReadOnlyDictionary<string, string>? Secrets,
    IReadOnlyList<string>? Tags,
    IReadOnlyList<string>? Scripts,
    double? RepeatEverySeconds);

/// <summary>The channel views' JSON, source-generated, for the command's <c>--json</c> and the server's API alike.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ChannelView))]
[JsonSerializable(typeof(ChannelListView))]
[JsonSerializable(typeof(ChannelSavedView))]
[JsonSerializable(typeof(ChannelRemovedView))]
[JsonSerializable(typeof(ChannelTestView))]
[JsonSerializable(typeof(ChannelRequest))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(string[]))]
public sealed partial class ChannelJsonContext : JsonSerializerContext;

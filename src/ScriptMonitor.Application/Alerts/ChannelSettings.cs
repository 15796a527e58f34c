using ScriptMonitor.Alerts;

namespace ScriptMonitor.Application.Alerts;

/// <summary>
/// The names of a channel's settings and secrets, by kind: what <see cref="ChannelValidation"/> accepts and what the
/// senders read. Names are lower case with underscores, as a configuration file or an API body spells them.
/// </summary>
public static class ChannelSettings
{
    /// <summary>The URL a webhook or Slack channel posts to (webhook: a template).</summary>
    public const string Url = "url";

    /// <summary>A webhook's HTTP method: GET, POST, PUT, PATCH or DELETE; POST by default.</summary>
    public const string Method = "method";

    /// <summary>A webhook's body template; the event as JSON (<c>$JSON</c>) by default for POST, PUT and PATCH.</summary>
    public const string Body = "body";

    /// <summary><c>true</c> to let a webhook or Slack channel reach private, loopback and link-local addresses.</summary>
    public const string AllowPrivate = "allow_private";

    /// <summary>The name a Slack message is posted under; <c>ScriptMonitor</c> by default.</summary>
    public const string Username = "username";

    /// <summary>The SMTP server's host name or address.</summary>
    public const string Host = "host";

    /// <summary>The SMTP server's port; 587 for <c>starttls</c>, 465 for <c>tls</c>, 25 for <c>none</c> by default.</summary>
    public const string Port = "port";

    /// <summary>How the SMTP connection is secured: <c>starttls</c> (the default), <c>tls</c> or <c>none</c>.</summary>
    public const string Tls = "tls";

    /// <summary>The sender's address.</summary>
    public const string From = "from";

    /// <summary>The recipients' addresses, separated by commas.</summary>
    public const string To = "to";

    /// <summary>The program a command channel runs: an absolute path, or a name looked up in PATH.</summary>
    public const string Program = "program";

    /// <summary>A command channel's arguments, as a JSON array of strings.</summary>
    public const string Args = "args";

    /// <summary>The SMTP password (a secret), sent when <see cref="Username"/> is set.</summary>
    public const string Password = "password";

    /// <summary>The prefix of a webhook's header secrets: <c>header:Authorization</c> holds that header's value (a template).</summary>
    public const string HeaderPrefix = "header:";

    /// <summary>The settings a kind takes.</summary>
    /// <param name="kind">The channel's kind.</param>
    public static IReadOnlyList<string> SettingsOf(ChannelKind kind) => kind switch
    {
        ChannelKind.Webhook => [Url, Method, Body, AllowPrivate],
        ChannelKind.Slack => [Url, Username, AllowPrivate],
        ChannelKind.Email => [Host, Port, Tls, From, To, Username],
        ChannelKind.Command => [Program, Args],
        _ => [],
    };

    /// <summary>The secrets a kind takes (a webhook: any number of <see cref="HeaderPrefix"/> names).</summary>
    /// <param name="kind">The channel's kind.</param>
    public static IReadOnlyList<string> SecretsOf(ChannelKind kind) => kind switch
    {
        ChannelKind.Webhook => [HeaderPrefix + "NAME"],
        ChannelKind.Email => [Password],
        _ => [],
    };

    /// <summary>The kind's name as people type it: <c>webhook</c>, <c>slack</c>, <c>email</c>, <c>command</c>.</summary>
    /// <param name="kind">The kind.</param>
    public static string NameOf(ChannelKind kind) => kind switch
    {
        ChannelKind.Webhook => "webhook",
        ChannelKind.Slack => "slack",
        ChannelKind.Email => "email",
        ChannelKind.Command => "command",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>Reads a kind's name (any case); null for a name that is no kind.</summary>
    /// <param name="text">The name.</param>
    public static ChannelKind? ParseKind(string? text) => text?.ToLowerInvariant() switch
    {
        "webhook" => ChannelKind.Webhook,
        "slack" => ChannelKind.Slack,
        "email" => ChannelKind.Email,
        "command" => ChannelKind.Command,
        _ => null,
    };

    /// <summary>Whether a channel may reach private addresses (its <see cref="AllowPrivate"/> setting is <c>true</c>).</summary>
    internal static bool AllowsPrivate(AlertChannel channel) =>
        channel.Settings.TryGetValue(AllowPrivate, out var value) && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
}

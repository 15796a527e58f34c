namespace ScriptMonitor.Alerts;

/// <summary>How a channel tells a person.</summary>
public enum ChannelKind
{
    /// <summary>An HTTP request to a URL, with a method, headers and a body template.</summary>
    Webhook = 0,

    /// <summary>A Slack-compatible incoming webhook (also what Mattermost and Rocket.Chat accept).</summary>
    Slack = 1,

    /// <summary>An email over SMTP.</summary>
    Email = 2,

    /// <summary>A program on the server's host, with the event as JSON on its standard input and in its environment.</summary>
    Command = 3,
}

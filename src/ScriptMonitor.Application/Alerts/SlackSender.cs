using System.Net;
using System.Text.Json;
using ScriptMonitor.Alerts;

namespace ScriptMonitor.Application.Alerts;

/// <summary>
/// Slack-compatible incoming webhooks (Slack, Mattermost, Rocket.Chat): one message with an attachment colored by
/// the news (red down, green up, orange flapping), the summary as its text and the last run in its fields. Slack
/// answers 404 or 410, or <c>invalid_token</c>, <c>no_service</c> or <c>channel_is_archived</c>, for a webhook that is
/// gone: the channel is marked broken.
/// </summary>
internal sealed class SlackSender : INotificationSender
{
    private const string DefaultUsername = "ScriptMonitor";

    public ChannelKind Kind => ChannelKind.Slack;

    public async Task<SendResult> SendAsync(AlertChannel channel, AlertEvent alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(alert);
        using var request = new HttpRequestMessage(HttpMethod.Post, channel.Settings[ChannelSettings.Url])
        {
            Content = new ByteArrayContent(Payload(alert, channel.Settings.GetValueOrDefault(ChannelSettings.Username, DefaultUsername))),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", alert.EventId.ToString("D"));
        return await HttpDelivery.SendAsync(AlertHttp.For(ChannelSettings.AllowsPrivate(channel)), request, Gone, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The colour of the attachment: Slack's <c>danger</c>, <c>good</c> and <c>warning</c>.</summary>
    internal static string Color(AlertEvent alert) => alert.Kind switch
    {
        NotificationKind.Flapping => "warning",
        _ => AlertTemplate.Status(alert) == "down" ? "danger" : "good",
    };

    internal static byte[] Payload(AlertEvent alert, string username)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("username", username);
            json.WriteString("text", AlertText.Headline(alert));
            json.WriteStartArray("attachments");
            json.WriteStartObject();
            json.WriteString("color", Color(alert));
            json.WriteString("fallback", alert.Summary);
            json.WriteString("title", AlertText.Headline(alert));
            if (alert.Link is { } link)
            {
                json.WriteString("title_link", link.AbsoluteUri);
            }

            json.WriteString("text", alert.Summary);
            json.WriteStartArray("mrkdwn_in");
            json.WriteStringValue("fields");
            json.WriteEndArray();
            json.WriteStartArray("fields");
            foreach (var (label, value) in AlertText.Fields(alert))
            {
                json.WriteStartObject();
                json.WriteString("title", label);
                json.WriteString("value", value);
                json.WriteBoolean("short", value.Length <= 40);
                json.WriteEndObject();
            }

            if (AlertText.Tail(alert.OutputTail) is { } output && !output.Contains("```", StringComparison.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("title", "Output (its end)");
                json.WriteString("value", "```\n" + output + "\n```");
                json.WriteBoolean("short", false);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteNumber("ts", alert.At.ToUnixTimeSeconds());
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static bool Gone(HttpStatusCode status, string body) =>
        status is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden
        && (body.StartsWith("invalid_token", StringComparison.Ordinal) || body.StartsWith("no_service", StringComparison.Ordinal) || body.StartsWith("channel_is_archived", StringComparison.Ordinal));
}

using System.Net.Http.Headers;
using System.Text;
using ScriptMonitor.Alerts;

namespace ScriptMonitor.Application.Alerts;

/// <summary>
/// Webhook channels: a request to the channel's URL with its method, headers (secrets) and body, every one a template
/// (<see cref="AlertTemplate"/>); the event's id goes in an <c>Idempotency-Key</c> header so a receiver can drop a
/// repeat. Without a body template, POST, PUT and PATCH send the event as JSON.
/// </summary>
internal sealed class WebhookSender : INotificationSender
{
    public ChannelKind Kind => ChannelKind.Webhook;

    public Task<SendResult> SendAsync(AlertChannel channel, AlertEvent alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(alert);
        var method = channel.Settings.GetValueOrDefault(ChannelSettings.Method, "POST");
        var url = AlertTemplate.Render(channel.Settings[ChannelSettings.Url], alert, AlertTemplate.Target.Url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return Task.FromResult(new SendResult(false, $"the URL '{url}' the template made is no http or https URL", Retry: false));
        }

        var request = new HttpRequestMessage(new HttpMethod(method), uri);
        if (method is "POST" or "PUT" or "PATCH")
        {
            var template = channel.Settings.GetValueOrDefault(ChannelSettings.Body);
            var body = template is null ? AlertJson.Serialize(alert) : AlertTemplate.Render(template, alert, AlertTemplate.Target.Body);
            var json = template is null || body.TrimStart().StartsWith('{') || body.TrimStart().StartsWith('[');
            request.Content = new StringContent(body, Encoding.UTF8, json ? "application/json" : "text/plain");
        }

        request.Headers.TryAddWithoutValidation("Idempotency-Key", alert.EventId.ToString("D"));
        foreach (var (name, value) in channel.Secrets.Where(s => s.Key.StartsWith(ChannelSettings.HeaderPrefix, StringComparison.Ordinal)))
        {
            var header = name[ChannelSettings.HeaderPrefix.Length..];
            var rendered = AlertTemplate.Render(value, alert, AlertTemplate.Target.Header);
            if (header.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                if (request.Content is not null && MediaTypeHeaderValue.TryParse(rendered, out var type))
                {
                    request.Content.Headers.ContentType = type;
                }
            }
            else if (!request.Headers.TryAddWithoutValidation(header, rendered))
            {
                request.Content?.Headers.TryAddWithoutValidation(header, rendered);
            }
        }

        return SendDisposingAsync(request, ChannelSettings.AllowsPrivate(channel), cancellationToken);
    }

    private static async Task<SendResult> SendDisposingAsync(HttpRequestMessage request, bool allowPrivate, CancellationToken cancellationToken)
    {
        using (request)
        {
            return await HttpDelivery.SendAsync(AlertHttp.For(allowPrivate), request, gone: null, cancellationToken).ConfigureAwait(false);
        }
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ScriptMonitor.Alerts;
using ScriptMonitor.Application.Alerts;
using ScriptMonitor.Testing;

namespace ScriptMonitor.Tests.Application.Alerts;

/// <summary>Webhooks and Slack payloads sent to a real HTTP server on 127.0.0.1.</summary>
public sealed class WebhookSenderTests : IDisposable
{
    private readonly HttpReceiver _receiver = new();

    public void Dispose() => _receiver.Dispose();

    [Fact]
    public async Task A_webhook_carries_the_event_id_as_idempotency_key_its_rendered_body_and_headers()
    {
        var late = AlertEvents.Late();
        var channel = AlertEvents.Webhook(
            _receiver.Url + "hook/$NAME?status=$STATUS",
            body: "{\"text\": $REASON_JSON, \"exit\": $EXITSTATUS}",
            secrets: new() { ["header:Authorization"] = "Bearer s3cret", ["header:X-Script"] = "$NAME" });

        var result = await new WebhookSender().SendAsync(channel, late, CancellationToken.None);

        Assert.Equal(SendResult.Success, result);
        var request = Assert.Single(_receiver.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/hook/nightly-backup?status=down", request.PathAndQuery);
        Assert.Equal(late.EventId.ToString("D"), request.Headers["Idempotency-Key"]);
        Assert.Equal("Bearer s3cret", request.Headers["Authorization"]);
        Assert.Equal("nightly-backup", request.Headers["X-Script"]);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(late.Summary, body.RootElement.GetProperty("text").GetString());
        Assert.Equal(3, body.RootElement.GetProperty("exit").GetInt32());
    }

    [Fact]
    public async Task Without_a_body_template_the_event_is_sent_as_json()
    {
        var late = AlertEvents.Late();

        await new WebhookSender().SendAsync(AlertEvents.Webhook(_receiver.Url), late, CancellationToken.None);

        var sent = AlertJson.Deserialize(Assert.Single(_receiver.Requests).Body);
        Assert.Equal(late.EventId, sent.EventId);
        Assert.Equal(late.Summary, sent.Summary);
    }

    [Fact]
    public async Task A_get_webhook_sends_no_body()
    {
        await new WebhookSender().SendAsync(AlertEvents.Webhook(_receiver.Url + "ping/$NAME", method: "GET"), AlertEvents.Late(), CancellationToken.None);

        var request = Assert.Single(_receiver.Requests);
        Assert.Equal(("GET", "/ping/nightly-backup", ""), (request.Method, request.PathAndQuery, request.Body));
    }

    [Theory]
    [InlineData(404, false, true)]
    [InlineData(410, false, true)]
    [InlineData(408, true, false)]
    [InlineData(429, true, false)]
    [InlineData(500, true, false)]
    [InlineData(503, true, false)]
    [InlineData(400, false, false)]
    [InlineData(401, false, false)]
    [InlineData(302, false, false)]
    public async Task An_answer_other_than_2xx_says_whether_to_retry_and_whether_the_channel_is_gone(int status, bool retry, bool gone)
    {
        _receiver.Answer = _ => (status, "nope");

        var result = await new WebhookSender().SendAsync(AlertEvents.Webhook(_receiver.Url), AlertEvents.Late(), CancellationToken.None);

        Assert.False(result.Delivered);
        Assert.Equal((retry, gone), (result.Retry, result.ChannelGone));
        Assert.Contains($"answered {status}", result.Error, StringComparison.Ordinal);
        Assert.Contains("nope", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_receiver_that_does_not_listen_is_retried()
    {
        var port = HttpReceiver.FreePort();

        var result = await new WebhookSender().SendAsync(AlertEvents.Webhook($"http://127.0.0.1:{port}/"), AlertEvents.Late(), CancellationToken.None);

        Assert.False(result.Delivered);
        Assert.True(result.Retry);
        Assert.Contains("cannot be reached", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_receiver_that_does_not_answer_in_the_attempts_time_is_retried()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var result = await new WebhookSender().SendAsync(AlertEvents.Webhook($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/"), AlertEvents.Late(), timeout.Token);

        Assert.Equal((false, true), (result.Delivered, result.Retry));
        Assert.Contains("did not answer", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:{0}/", "loopback")]
    [InlineData("http://localhost:{0}/", "loopback")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "metadata")]
    [InlineData("http://[::ffff:127.0.0.1]:{0}/", "loopback")]
    [InlineData("http://10.0.0.1:{0}/", "private")]
    public async Task Private_loopback_and_link_local_targets_are_refused_unless_allowed(string url, string why)
    {
        var channel = AlertEvents.Webhook(string.Format(System.Globalization.CultureInfo.InvariantCulture, url, _receiver.Port), allowPrivate: false);

        var result = await new WebhookSender().SendAsync(channel, AlertEvents.Late(), CancellationToken.None);

        Assert.False(result.Delivered);
        Assert.False(result.Retry);
        Assert.Contains(why, result.Error, StringComparison.Ordinal);
        Assert.Contains("allow_private", result.Error, StringComparison.Ordinal);
        Assert.Empty(_receiver.Requests);
    }

    [Fact]
    public async Task A_hostname_resolving_to_loopback_reaches_the_receiver_when_private_targets_are_allowed()
    {
        var result = await new WebhookSender().SendAsync(AlertEvents.Webhook($"http://localhost:{_receiver.Port}/x", allowPrivate: true), AlertEvents.Late(), CancellationToken.None);

        Assert.Equal(SendResult.Success, result);
        Assert.Single(_receiver.Requests);
    }

    [Fact]
    public async Task A_slack_message_is_an_attachment_colored_by_the_news()
    {
        var slack = ChannelValidation.Validate(new AlertChannel("chat", ChannelKind.Slack)
        {
            Settings = new Dictionary<string, string> { ["url"] = _receiver.Url + "services/T/B/X", ["allow_private"] = "true" },
        });
        var late = AlertEvents.Late();

        Assert.Equal(SendResult.Success, await new SlackSender().SendAsync(slack, late, CancellationToken.None));
        Assert.Equal(SendResult.Success, await new SlackSender().SendAsync(slack, AlertEvents.Recovery(), CancellationToken.None));

        var (down, up) = (_receiver.Requests[0], _receiver.Requests[1]);
        Assert.Equal("/services/T/B/X", down.PathAndQuery);
        Assert.Equal(late.EventId.ToString("D"), down.Headers["Idempotency-Key"]);
        using var downJson = JsonDocument.Parse(down.Body);
        using var upJson = JsonDocument.Parse(up.Body);
        var attachment = downJson.RootElement.GetProperty("attachments")[0];
        Assert.Equal("danger", attachment.GetProperty("color").GetString());
        Assert.Equal(late.Summary, attachment.GetProperty("text").GetString());
        Assert.Equal("nightly-backup is late", attachment.GetProperty("title").GetString());
        Assert.Equal("https://monitor.example/scripts/nightly-backup", attachment.GetProperty("title_link").GetString());
        Assert.Contains(attachment.GetProperty("fields").EnumerateArray(), f => f.GetProperty("title").GetString() == "Exit code" && f.GetProperty("value").GetString() == "3");
        Assert.Equal("good", upJson.RootElement.GetProperty("attachments")[0].GetProperty("color").GetString());
    }

    [Fact]
    public async Task A_slack_webhook_that_answers_invalid_token_is_gone()
    {
        _receiver.Answer = _ => (400, "invalid_token");
        var slack = ChannelValidation.Validate(new AlertChannel("chat", ChannelKind.Slack)
        {
            Settings = new Dictionary<string, string> { ["url"] = _receiver.Url, ["allow_private"] = "true" },
        });

        var result = await new SlackSender().SendAsync(slack, AlertEvents.Late(), CancellationToken.None);

        Assert.True(result.ChannelGone);
    }
}

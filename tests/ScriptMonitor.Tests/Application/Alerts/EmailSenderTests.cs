using MimeKit;
using ScriptMonitor.Alerts;
using ScriptMonitor.Application.Alerts;
using ScriptMonitor.Testing;

namespace ScriptMonitor.Tests.Application.Alerts;

/// <summary>Email through MailKit to a real SMTP server (aiosmtpd) on 127.0.0.1.</summary>
public sealed class EmailSenderTests
{
    [Fact]
    public async Task The_message_has_a_text_and_an_html_part_and_the_event_id_as_message_id()
    {
        using var smtp = new SmtpReceiver();
        var late = AlertEvents.Late();

        var result = await new EmailSender().SendAsync(Channel(smtp.Port), late, CancellationToken.None);

        Assert.Equal(SendResult.Success, result);
        var message = Assert.Single(await smtp.MessagesAsync());
        Assert.Equal($"{late.EventId:D}@scriptmon", message.MessageId);
        Assert.Equal("[ScriptMonitor] nightly-backup is late", message.Subject);
        Assert.Equal("alerts@example.test", Assert.Single(message.From.Mailboxes).Address);
        Assert.Equal(["ops@example.test", "oncall@example.test"], message.To.Mailboxes.Select(m => m.Address));
        Assert.Equal(late.EventId.ToString("D"), message.Headers["X-ScriptMonitor-Event"]);
        Assert.StartsWith(late.Summary, message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Exit code: 3", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("error: &quot;disk&quot; full", message.HtmlBody, StringComparison.Ordinal);
        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType));
    }

    [Fact]
    public async Task An_smtp_server_that_does_not_listen_is_retried_and_named()
    {
        var port = HttpReceiver.FreePort();

        var result = await new EmailSender().SendAsync(Channel(port), AlertEvents.Late(), CancellationToken.None);

        Assert.False(result.Delivered);
        Assert.True(result.Retry);
        Assert.Contains($"127.0.0.1:{port} cannot be reached", result.Error, StringComparison.Ordinal);
    }

    private static AlertChannel Channel(int port) => ChannelValidation.Validate(new AlertChannel("mail", ChannelKind.Email)
    {
        Settings = new Dictionary<string, string>
        {
            ["host"] = "127.0.0.1",
            ["port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["tls"] = "none",
            ["from"] = "ScriptMonitor <alerts@example.test>",
            ["to"] = "ops@example.test, oncall@example.test",
        },
    });
}

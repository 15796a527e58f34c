using System.Globalization;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using ScriptMonitor.Alerts;

namespace ScriptMonitor.Application.Alerts;

/// <summary>
/// Email channels over SMTP with MailKit: STARTTLS (the default), TLS from the first byte, or none; authentication
/// when a user name is set; a plain-text and an HTML part. The Message-ID is the event's id
/// (<c>&lt;event-id@scriptmon&gt;</c>), so a repeat of the same notification is the same message.
/// </summary>
internal sealed class EmailSender : INotificationSender
{
    /// <summary>The domain part of every Message-ID.</summary>
    internal const string MessageIdDomain = "scriptmon";

    public ChannelKind Kind => ChannelKind.Email;

    public async Task<SendResult> SendAsync(AlertChannel channel, AlertEvent alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(alert);
        var host = channel.Settings[ChannelSettings.Host].Trim();
        var tls = channel.Settings.GetValueOrDefault(ChannelSettings.Tls, "starttls");
        var port = channel.Settings.TryGetValue(ChannelSettings.Port, out var text)
            ? int.Parse(text, CultureInfo.InvariantCulture)
            : tls switch { "tls" => 465, "none" => 25, _ => 587 };
        var options = tls switch
        {
            "tls" => SecureSocketOptions.SslOnConnect,
            "none" => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTls,
        };
        var where = $"the SMTP server {host}:{port.ToString(CultureInfo.InvariantCulture)}";

        using var message = Message(channel, alert);
        using var client = new SmtpClient();
        try
        {
            await client.ConnectAsync(host, port, options, cancellationToken).ConfigureAwait(false);
            if (channel.Settings.TryGetValue(ChannelSettings.Username, out var user) && user.Length > 0)
            {
                await client.AuthenticateAsync(user, channel.Secrets.GetValueOrDefault(ChannelSettings.Password, string.Empty), cancellationToken).ConfigureAwait(false);
            }

            await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
            await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
            return SendResult.Success;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new SendResult(false, $"{where} did not answer within the attempt's time", Retry: true);
        }
        catch (SocketException e)
        {
            return new SendResult(false, $"{where} cannot be reached: {e.Message}", Retry: true);
        }
        catch (AuthenticationException e)
        {
            return new SendResult(false, $"{where} refused the user name or password ({ChannelSettings.Username}, secret {ChannelSettings.Password}): {e.Message}", Retry: false);
        }
        catch (SslHandshakeException e)
        {
            return new SendResult(false, $"{where}: the TLS handshake failed ({ChannelSettings.Tls} is {tls}): {OneLine(e.Message)}", Retry: false);
        }
        catch (SmtpCommandException e)
        {
            // 4yz replies are transient by SMTP's own definition; 5yz are final.
            var code = (int)e.StatusCode;
            return new SendResult(false, $"{where} refused the message: {code.ToString(CultureInfo.InvariantCulture)} {OneLine(e.Message)}", Retry: code < 500);
        }
        catch (NotSupportedException e)
        {
            return new SendResult(false, $"{where}: {OneLine(e.Message)} ({ChannelSettings.Tls} is {tls})", Retry: false);
        }
        catch (Exception e) when (e is SmtpProtocolException or IOException or ServiceNotConnectedException or ProtocolException)
        {
            return new SendResult(false, $"{where} broke off: {OneLine(e.Message)}", Retry: true);
        }
    }

    /// <summary>The message: a headline as subject, a plain-text and an HTML part, the event's id as Message-ID.</summary>
    internal static MimeMessage Message(AlertChannel channel, AlertEvent alert)
    {
        var message = new MimeMessage
        {
            Subject = $"[ScriptMonitor] {AlertText.Headline(alert)}",
            MessageId = $"{alert.EventId:D}@{MessageIdDomain}",
            Date = alert.At,
        };
        message.From.Add(MailboxAddress.Parse(channel.Settings[ChannelSettings.From].Trim()));
        foreach (var to in ChannelValidation.Recipients(channel.Settings[ChannelSettings.To]))
        {
            message.To.Add(MailboxAddress.Parse(to));
        }

        message.Headers.Add("X-ScriptMonitor-Event", alert.EventId.ToString("D"));
        message.Headers.Add("X-ScriptMonitor-Script", alert.ScriptName);
        message.Headers.Add("X-ScriptMonitor-Kind", alert.Kind.ToString());
        var body = new BodyBuilder { TextBody = AlertText.Plain(alert), HtmlBody = AlertText.Html(alert) };
        message.Body = body.ToMessageBody();
        return message;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}

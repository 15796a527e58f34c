using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ScriptMonitor.Application.Alerts;

/// <summary>
/// One HTTP attempt and what its answer means for delivery: 2xx delivered; 404 and 410 the channel is gone; 408, 429,
/// 5xx, a timeout or a failed connection worth another attempt; any other answer final. The error quotes the
/// beginning of the receiver's answer, for the person reading the notification list.
/// </summary>
internal static class HttpDelivery
{
    private const int QuotedCharacters = 200;

    internal static async Task<SendResult> SendAsync(HttpClient client, HttpRequestMessage request, Func<HttpStatusCode, string, bool>? gone, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return SendResult.Success;
            }

            var body = await QuoteAsync(response, cancellationToken).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            var answered = $"{request.RequestUri?.Host} answered {code} {response.ReasonPhrase}{(body.Length > 0 ? $": {body}" : string.Empty)}";
            if (code is 404 or 410 || gone?.Invoke(response.StatusCode, body) == true)
            {
                return new SendResult(false, answered + " (the channel is gone)", Retry: false, ChannelGone: true);
            }

            var retry = code is 408 or 429 || code >= 500;
            if (code is >= 300 and < 400)
            {
                answered += $" (redirects are not followed; set the channel's URL to {response.Headers.Location?.ToString() ?? "the new one"})";
            }

            return new SendResult(false, answered, retry);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new SendResult(false, $"{request.RequestUri?.Host} did not answer within the attempt's time", Retry: true);
        }
        catch (HttpRequestException e) when (Find<PrivateAddressException>(e) is { } refused)
        {
            return new SendResult(false, refused.Message, Retry: false);
        }
        catch (HttpRequestException e)
        {
            var cause = Find<SocketException>(e)?.Message ?? e.Message;
            return new SendResult(false, $"{request.RequestUri?.Host} cannot be reached: {cause}", Retry: true);
        }
    }

    private static async Task<string> QuoteAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var buffer = new byte[QuotedCharacters * 4];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            var text = Encoding.UTF8.GetString(buffer, 0, read).ReplaceLineEndings(" ").Trim();
            return text.Length <= QuotedCharacters ? text : text[..QuotedCharacters] + "…";
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return string.Empty;
        }
    }

    private static T? Find<T>(Exception e)
        where T : Exception
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is T found)
            {
                return found;
            }
        }

        return null;
    }
}

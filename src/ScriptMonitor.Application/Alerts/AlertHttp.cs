using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace ScriptMonitor.Application.Alerts;

/// <summary>
/// The HTTP clients of webhook and Slack channels: one that connects only to public addresses, resolving names
/// itself and judging each address it is about to connect to (<see cref="AddressGuard"/>), and one for channels whose
/// <c>allow_private</c> setting lets them reach the server's own network. Two clients rather than one flag, so that a
/// pooled connection made for an allowed channel is never reused for a guarded one. Redirects are not followed: a
/// receiver that moved is told as an answer, not chased.
/// </summary>
internal static class AlertHttp
{
    private static readonly Lazy<HttpClient> Guarded = new(() => Create(guard: true));
    private static readonly Lazy<HttpClient> Open = new(() => Create(guard: false));

    /// <summary>What <c>User-Agent</c> says on every notification.</summary>
    internal static string UserAgent { get; } = "ScriptMonitor/" + Version();

    /// <summary>The client for a channel: guarded unless it allows private addresses.</summary>
    internal static HttpClient For(bool allowPrivate) => allowPrivate ? Open.Value : Guarded.Value;

    private static HttpClient Create(bool guard)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        if (guard)
        {
            handler.ConnectCallback = ConnectGuardedAsync;
        }

        // The dispatcher bounds each attempt; the client's own bound would only cut it shorter.
        var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        return client;
    }

    /// <summary>Resolves the host itself and connects to its first public address; refuses when it has none.</summary>
    internal static async ValueTask<Stream> ConnectGuardedAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        var refused = new List<(IPAddress Address, string Why)>();
        Exception? last = null;
        foreach (var address in addresses)
        {
            if (AddressGuard.Refusal(address) is { } why)
            {
                refused.Add((address, why));
                continue;
            }

            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        if (last is not null)
        {
            throw last;
        }

        if (refused.Count == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        var what = literal is not null
            ? $"{literal} is {refused[0].Why}"
            : $"{host} resolves to {string.Join(", ", refused.Select(r => $"{r.Address}, which is {r.Why}"))}";
        throw new PrivateAddressException($"refused: {what}; a channel reaches such addresses only with its allow_private setting true.");
    }

    private static string Version()
    {
        var version = typeof(AlertHttp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}

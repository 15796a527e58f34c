using System.Net;
using IPNetwork = System.Net.IPNetwork;
using Microsoft.AspNetCore.HttpOverrides;
using ScriptMonitor.Server.Hosting;

namespace ScriptMonitor.Server.Limits;

/// <summary>
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>, believed only from <see cref="ServerOptions.TrustedProxies"/>:
/// the client address (which the anonymous rate limit and logs use) and the scheme become the ones the proxy saw.
/// From any other address the headers are ignored, since a client could claim anything in them.
/// </summary>
internal static class TrustedProxies
{
    /// <summary>Turns the settings into the forwarded-headers options; none set leaves the headers unread.</summary>
    /// <exception cref="ServerStartException">An entry is neither an address nor a network.</exception>
    public static void AddTrustedProxies(this WebApplicationBuilder builder, IReadOnlyList<string> proxies)
    {
        if (proxies.Count == 0)
        {
            return;
        }

        var addresses = new List<IPAddress>();
        var networks = new List<IPNetwork>();
        for (var i = 0; i < proxies.Count; i++)
        {
            var entry = proxies[i].Trim();
            if (entry.Contains('/', StringComparison.Ordinal) && IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                addresses.Add(address);
            }
            else
            {
                throw new ServerStartException($"{ServerOptions.Section}:{nameof(ServerOptions.TrustedProxies)}:{i}: '{proxies[i]}' must be an IP address (10.0.0.5) or a network in CIDR form (10.0.0.0/8)");
            }
        }

        builder.Services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The framework trusts loopback by default; here only what the settings name is trusted.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            addresses.ForEach(forwarded.KnownProxies.Add);
            networks.ForEach(forwarded.KnownIPNetworks.Add);
        });
    }

    public static void UseTrustedProxies(this WebApplication app, IReadOnlyList<string> proxies)
    {
        if (proxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }
    }
}

using System.Net;
using System.Net.Sockets;

namespace ScriptMonitor.Application.Alerts;

/// <summary>
/// Keeps webhooks off addresses inside the server's own network: loopback, private (RFC 1918, fc00::/7), link-local
/// (169.254/16 with the cloud metadata service, fe80::/10), unspecified, carrier-grade NAT (100.64/10), multicast and
/// broadcast. It judges the address a connection is about to be made to, after DNS resolution, so a name that
/// resolves (or re-resolves) to such an address is refused as well as the address itself.
/// </summary>
internal static class AddressGuard
{
    /// <summary>What is wrong with an address; null when it is a public one.</summary>
    internal static string? Refusal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return Refusal4(address.GetAddressBytes());
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return "loopback";
        }

        if (address.Equals(IPAddress.IPv6Any))
        {
            return "unspecified";
        }

        var bytes = address.GetAddressBytes();
        if ((bytes[0] & 0xFE) == 0xFC)
        {
            return "private (fc00::/7)";
        }

        if (bytes[0] == 0xFE && (bytes[1] & 0xC0) == 0x80)
        {
            return "link-local (fe80::/10)";
        }

        if (bytes[0] == 0xFF)
        {
            return "multicast";
        }

        // IPv4 inside IPv6: NAT64 (64:ff9b::/96), IPv4-compatible (::a.b.c.d) and 6to4 (2002::/16) reach the IPv4
        // address they carry, so they are judged by it.
        if (bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xFF && bytes[3] == 0x9B && bytes.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
        {
            return Refusal4(bytes[12..16]);
        }

        if (bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
        {
            return Refusal4(bytes[12..16]);
        }

        if (bytes[0] == 0x20 && bytes[1] == 0x02)
        {
            return Refusal4(bytes[2..6]);
        }

        return null;
    }

    private static string? Refusal4(byte[] b) => b switch
    {
        [127, ..] => "loopback",
        [0, ..] => "unspecified",
        [10, ..] => "private (10.0.0.0/8)",
        [172, >= 16 and <= 31, ..] => "private (172.16.0.0/12)",
        [192, 168, ..] => "private (192.168.0.0/16)",
        [169, 254, 169, 254] => "the cloud metadata service (link-local)",
        [169, 254, ..] => "link-local (169.254.0.0/16)",
        [100, >= 64 and <= 127, ..] => "carrier-grade NAT (100.64.0.0/10)",
        [192, 0, 0, ..] => "reserved for protocol assignments (192.0.0.0/24)",
        [>= 224 and <= 239, ..] => "multicast",
        [255, 255, 255, 255] => "broadcast",
        [>= 240, ..] => "reserved (240.0.0.0/4)",
        _ => null,
    };
}

/// <summary>A connection refused because every address of the target is inside the server's network.</summary>
internal sealed class PrivateAddressException : Exception
{
    public PrivateAddressException()
    {
    }

    public PrivateAddressException(string message)
        : base(message)
    {
    }

    public PrivateAddressException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

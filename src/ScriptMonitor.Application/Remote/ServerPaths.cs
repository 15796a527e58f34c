using System.Globalization;
using System.Text;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Remote;

/// <summary>The native API's paths and queries, with every value escaped (a script's name may hold '/', '?' or '&amp;').</summary>
internal static class ServerPaths
{
    public const string Api = "api/v1/";

    /// <summary>A script's resource: <c>api/v1/scripts/NAME/…</c>.</summary>
    public static string Script(string name, string? rest = null) => $"{Api}scripts/{Uri.EscapeDataString(name)}{(rest is null ? string.Empty : "/" + rest)}";

    /// <summary>A path with the query parameters that have a value.</summary>
    public static string WithQuery(string path, params (string Name, string? Value)[] parameters)
    {
        var query = new StringBuilder(path);
        var separator = '?';
        foreach (var (name, value) in parameters)
        {
            if (value is not null)
            {
                query.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value));
                separator = '&';
            }
        }

        return query.ToString();
    }

    public static string? Instant(DateTimeOffset? value) => value is { } instant ? Timestamps.FormatIso(instant) : null;

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}

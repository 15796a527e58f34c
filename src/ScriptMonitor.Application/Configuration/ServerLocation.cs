using ScriptMonitor.Configuration;

namespace ScriptMonitor.Application.Configuration;

/// <summary>A ScriptMonitor server that keeps the runs, to record through and read from, and the key to present.</summary>
/// <param name="Url">The server's base URL, <c>http</c> or <c>https</c>.</param>
/// <param name="Key">The key to present; null where none is configured.</param>
/// <param name="Source">Which step of the configuration path chose the server.</param>
public sealed record ServerLocation(Uri Url, string? Key, StoreLocationSource Source)
{
    /// <summary>The environment variable that names the server.</summary>
    public const string ServerVariable = "SCRIPTMON_SERVER";

    /// <summary>The environment variable that holds the key.</summary>
    public const string KeyVariable = "SCRIPTMON_KEY";

    /// <summary>Reads a server setting: an absolute <c>http://</c> or <c>https://</c> URL.</summary>
    /// <param name="setting">The setting's text.</param>
    /// <param name="key">The key to present, if one is configured.</param>
    /// <param name="source">Where the setting came from.</param>
    /// <exception cref="ArgumentException">The setting is empty or not an http(s) URL.</exception>
    public static ServerLocation Parse(string setting, string? key, StoreLocationSource source) =>
        TryParse(setting, key, source, out var location, out var problem) ? location : throw new ArgumentException(problem, nameof(setting));

    /// <summary>Reads a server setting, or says what is wrong with it.</summary>
    /// <param name="setting">The setting's text.</param>
    /// <param name="key">The key to present, if one is configured.</param>
    /// <param name="source">Where the setting came from.</param>
    /// <param name="location">The server, when the setting is one.</param>
    /// <param name="problem">Why it is not, when it is not.</param>
    public static bool TryParse(string? setting, string? key, StoreLocationSource source, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ServerLocation? location, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? problem)
    {
        if (Uri.TryCreate(setting?.Trim(), UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) && url.UserInfo.Length == 0)
        {
            location = new ServerLocation(url, string.IsNullOrWhiteSpace(key) ? null : key.Trim(), source);
            problem = null;
            return true;
        }

        location = null;
        problem = $"the server setting '{setting}' must be an http:// or https:// URL without credentials (the key goes in {KeyVariable}).";
        return false;
    }

    /// <summary>The server for people to read: its URL, never the key.</summary>
    public override string ToString() => $"server:{Url.GetLeftPart(UriPartial.Path)}";
}

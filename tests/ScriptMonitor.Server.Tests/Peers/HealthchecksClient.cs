using System.Text;
using System.Text.Json;
using ScriptMonitor.Server.Tests.Support;

namespace ScriptMonitor.Server.Tests.Peers;

/// <summary>Healthchecks' management API as its clients call it: JSON bodies, the key in <c>X-Api-Key</c>.</summary>
internal static class HealthchecksClient
{
    public static async Task<HttpResponseMessage> SendAsync(ServerProcess server, HttpMethod method, string path, string? key, string? body = null)
    {
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.RelativeOrAbsolute));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return await client.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}

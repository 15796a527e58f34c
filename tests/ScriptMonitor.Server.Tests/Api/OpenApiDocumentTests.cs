using System.Net;
using System.Text.Json;
using ScriptMonitor.Server.Tests.Support;

namespace ScriptMonitor.Server.Tests.Api;

public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task The_server_describes_its_native_api_without_asking_for_a_key()
    {
        using var folder = new TempFolder();
        await using var server = await ServerProcess.Start(folder.File("scriptmon.db")).WaitUntilListeningAsync();
        using var client = server.CreateClient();

        using var response = await client.GetAsync(new Uri("/api/v1/openapi.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        Assert.StartsWith("3.", root.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var status = root.GetProperty("paths").GetProperty("/api/v1/status").GetProperty("get");
        Assert.Equal("#/components/schemas/StatusView", status.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        Assert.True(status.GetProperty("responses").TryGetProperty("401", out _), "the 401 of a call without a key is described");
        Assert.True(root.GetProperty("components").GetProperty("schemas").TryGetProperty("ScriptStatusView", out _));

        // Every route that reads a JSON body describes it, though none lets routing match on the content type.
        var paths = root.GetProperty("paths");
        foreach (var (path, method) in new[]
        {
            ("/api/v1/runs", "post"), ("/api/v1/runs/batch", "post"), ("/api/v1/runs/start", "post"), ("/api/v1/runs/{id}/complete", "post"),
            ("/api/v1/skips", "post"), ("/api/v1/scripts/{name}/expectation", "put"), ("/api/v1/scripts/{name}/pause", "post"), ("/api/v1/keys", "post"),
        })
        {
            var body = paths.GetProperty(path).GetProperty(method).GetProperty("requestBody");
            Assert.True(body.GetProperty("content").TryGetProperty("application/json", out var json), $"{method} {path}");
            Assert.Equal(JsonValueKind.Object, json.GetProperty("schema").ValueKind);
        }
    }
}

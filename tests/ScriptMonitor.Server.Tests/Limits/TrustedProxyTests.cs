using System.Net;
using ScriptMonitor.Server.Tests.Support;

namespace ScriptMonitor.Server.Tests.Limits;

/// <summary>
/// Observed through the rate limit of anonymous callers, which is kept per client address and names it when it
/// refuses: one call per address, then 429.
/// </summary>
public sealed class TrustedProxyTests
{
    private static readonly Uri Status = new("/api/v1/status", UriKind.Relative);

    [Fact]
    public async Task From_a_trusted_proxy_the_forwarded_client_address_is_the_callers()
    {
        using var folder = new TempFolder();
        await using var server = await StartAsync(folder, "127.0.0.0/8");

        using var first = await GetStatusAsync(server, "203.0.113.7");
        using var again = await GetStatusAsync(server, "203.0.113.7");
        using var another = await GetStatusAsync(server, "203.0.113.8");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        Assert.Contains("the address 203.0.113.7 ", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, another.StatusCode);
    }

    [Fact]
    public async Task From_an_address_that_is_not_trusted_the_forwarded_headers_are_ignored()
    {
        using var folder = new TempFolder();
        await using var server = await StartAsync(folder, "192.0.2.10");

        using var first = await GetStatusAsync(server, "203.0.113.7");
        using var claimingAnother = await GetStatusAsync(server, "203.0.113.8");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, claimingAnother.StatusCode);
        Assert.Contains("the address 127.0.0.1 ", await claimingAnother.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static Task<ServerProcess> StartAsync(TempFolder folder, string trusted) =>
        ServerProcess.Start(
            folder.File("scriptmon.db"),
            "--Server:AnonymousRead=true",
            $"--Server:TrustedProxies:0={trusted}",
            "--Server:RateLimit:PermitsPerSecond=0.01",
            "--Server:RateLimit:Burst=1").WaitUntilListeningAsync();

    private static async Task<HttpResponseMessage> GetStatusAsync(ServerProcess server, string forwardedFor)
    {
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Status);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        request.Headers.Add("X-Forwarded-Proto", "https");
        return await client.SendAsync(request);
    }
}

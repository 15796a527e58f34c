using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ScriptMonitor.Server.Tests.Support;

namespace ScriptMonitor.Server.Tests.Hosting;

public sealed class HttpsTests
{
    [Fact]
    public async Task The_server_answers_over_https_with_the_certificate_its_settings_name()
    {
        using var folder = new TempFolder();
        using var certificate = SelfSigned("127.0.0.1");
        var pfx = folder.File("server.pfx");
        const string password = "test-only";
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, password));

        await using var server = await ServerProcess.Start(
            folder.File("scriptmon.db"),
            "--Kestrel:Endpoints:Https:Url=https://127.0.0.1:0",
            $"--Kestrel:Endpoints:Https:Certificate:Path={pfx}",
            $"--Kestrel:Endpoints:Https:Certificate:Password={password}").WaitUntilListeningAsync();
        X509Certificate2? presented = null;
        using var handler = new HttpClientHandler
        {
            // Trust exactly this certificate, as a client pinning a self-signed one does.
            ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
            {
                presented = cert is null ? null : X509CertificateLoader.LoadCertificate(cert.RawData);
                return cert?.Thumbprint == certificate.Thumbprint;
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };

        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(Uri.UriSchemeHttps, server.BaseAddress.Scheme);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(certificate.Thumbprint, presented?.Thumbprint);
    }

    [Fact]
    public async Task A_certificate_it_cannot_open_stops_the_start_with_status_1_and_the_reason()
    {
        using var folder = new TempFolder();
        using var certificate = SelfSigned("127.0.0.1");
        var pfx = folder.File("server.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "right"));

        await using var server = ServerProcess.Start(
            folder.File("scriptmon.db"),
            "--Kestrel:Endpoints:Https:Url=https://127.0.0.1:0",
            $"--Kestrel:Endpoints:Https:Certificate:Path={pfx}",
            "--Kestrel:Endpoints:Https:Certificate:Password=wrong");
        var status = await server.WaitForExitAsync();

        Assert.Equal(1, status);
        Assert.Contains("scriptmon-server: cannot listen:", server.Output, StringComparison.Ordinal);
    }

    private static X509Certificate2 SelfSigned(string address)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={address}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Parse(address));
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }
}

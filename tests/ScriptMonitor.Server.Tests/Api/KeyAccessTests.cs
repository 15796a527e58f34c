using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Access;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Server.Tests.Support;

namespace ScriptMonitor.Server.Tests.Api;

/// <summary>Keys issued as <c>scriptmon key create</c> issues them, presented to a running server.</summary>
public sealed class KeyAccessTests : IAsyncLifetime
{
    private static readonly Uri Status = new("/api/v1/status", UriKind.Relative);
    private static readonly Uri Metrics = new("/metrics", UriKind.Relative);

    private readonly TempFolder _folder = new();
    private ServerProcess? _server;
    private string _read = string.Empty;
    private string _ingest = string.Empty;
    private string _admin = string.Empty;
    private string _revoked = string.Empty;

    public async Task InitializeAsync()
    {
        var database = _folder.File("scriptmon.db");
        using (var store = ScriptRunStores.Open(database))
        {
            var keys = new KeyService(store, TimeProvider.System);
            _read = (await keys.CreateAsync("grafana", KeyScope.Read, [], "cli")).Secret;
            _ingest = (await keys.CreateAsync("db1", KeyScope.Ingest, ["backup-*"], "cli")).Secret;
            _admin = (await keys.CreateAsync("ops", KeyScope.Admin, [], "cli")).Secret;
            _revoked = (await keys.CreateAsync("old", KeyScope.Read, [], "cli")).Secret;
            Assert.True(await keys.RevokeAsync("old", "cli"));
        }

        _server = await ServerProcess.Start(database).WaitUntilListeningAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _folder.Dispose();
    }

    [Fact]
    public async Task A_read_key_reads_the_status_in_either_header()
    {
        using var bearer = await GetAsync(Status, request => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _read));
        using var header = await GetAsync(Status, request => request.Headers.Add("X-Api-Key", _read));

        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, header.StatusCode);
    }

    [Fact]
    public async Task Whoami_names_the_key_and_its_scope_and_never_the_secret()
    {
        var whoami = new Uri("/api/v1/whoami", UriKind.Relative);
        using var admin = await GetAsync(whoami, request => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _admin));
        using var read = await GetAsync(whoami, request => request.Headers.Add("X-Api-Key", _read));
        using var anonymous = await GetAsync(whoami, _ => { });

        using var adminBody = JsonDocument.Parse(await admin.Content.ReadAsStringAsync());
        Assert.Equal("ops", adminBody.RootElement.GetProperty("name").GetString());
        Assert.Equal("admin", adminBody.RootElement.GetProperty("scope").GetString());
        Assert.False(adminBody.RootElement.GetProperty("anonymous").GetBoolean());
        var readText = await read.Content.ReadAsStringAsync();
        using var readBody = JsonDocument.Parse(readText);
        Assert.Equal("read", readBody.RootElement.GetProperty("scope").GetString());
        Assert.DoesNotContain(_read, readText, StringComparison.Ordinal);
        // Without a key, and anonymous reading off (the default), the dashboard learns it must ask for one.
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task An_admin_key_may_read_too()
    {
        using var response = await GetAsync(Metrics, request => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _admin));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_ingest_key_reading_is_refused_with_403_naming_both_scopes_and_never_the_key()
    {
        using var status = await GetAsync(Status, request => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _ingest));
        using var metrics = await GetAsync(Metrics, request => request.Headers.Add("X-Api-Key", _ingest));

        Assert.Equal(HttpStatusCode.Forbidden, status.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, metrics.StatusCode);
        var body = await status.Content.ReadAsStringAsync();
        using var problem = JsonDocument.Parse(body);
        Assert.Equal("the key 'db1' has the ingest scope; this call needs read", problem.RootElement.GetProperty("detail").GetString());
        Assert.DoesNotContain(_ingest, body, StringComparison.Ordinal);
        Assert.DoesNotContain(_ingest, _server!.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_key_is_401_as_an_unknown_one()
    {
        using var response = await GetAsync(Status, request => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _revoked));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_caller_who_may_not_record_is_refused_before_the_body_is_read()
    {
        // Broken JSON and a body of the wrong shape: a caller without the right key learns only that it may not call.
        foreach (var body in new[] { "{\"id\": ", "{\"startedAt\": \"yesterday\"}" })
        {
            using var none = await PostAsync(body, present: null);
            using var unknown = await PostAsync(body, "smk_notakeyanyoneissued");
            using var reader = await PostAsync(body, _read);

            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, reader.StatusCode);
        }

        using var admin = await PostAsync("{\"id\": ", _admin);
        Assert.Equal(HttpStatusCode.BadRequest, admin.StatusCode);
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string? present)
    {
        using var client = _server!.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/runs", UriKind.Relative))
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        if (present is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", present);
        }

        return await client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> GetAsync(Uri path, Action<HttpRequestMessage> present)
    {
        using var client = _server!.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        present(request);
        return await client.SendAsync(request);
    }
}

using System.Net;
using ScriptMonitor.Testing;
using static ScriptMonitor.Server.Tests.Api.ApiServer;

namespace ScriptMonitor.Server.Tests.Api;

/// <summary>The channel routes over real HTTP, for admin keys only; secrets are written and never come back.</summary>
public sealed class ChannelRouteTests(ApiServer api) : IClassFixture<ApiServer>
{
    private const string Secret = "Bearer hunter2-the-secret";

    [Fact]
    public async Task A_channel_is_created_listed_replaced_and_removed_and_its_secrets_never_come_back()
    {
        using var admin = api.Client(api.Admin);
        var body = $$"""{"kind": "webhook", "settings": {"url": "https://hooks.example.test/$NAME", "method": "put"}, "secrets": {"header:Authorization": "{{Secret}}"}, "tags": ["nightly"], "repeatEverySeconds": 3600}""";

        using var created = await admin.PutAsync(Url("/api/v1/channels/ops"), Body(body));
        using var taken = await admin.PutAsync(Url("/api/v1/channels/ops"), Body(body));
        using var replaced = await admin.PutAsync(Url("/api/v1/channels/ops?replace=true"), Body(body));
        using var list = await admin.GetAsync(Url("/api/v1/channels"));
        using var one = await admin.GetAsync(Url("/api/v1/channels/ops"));
        var audit = await JsonAsync(await admin.GetAsync(Url("/api/v1/audit")));
        using var removed = await admin.DeleteAsync(Url("/api/v1/channels/ops"));
        using var again = await admin.DeleteAsync(Url("/api/v1/channels/ops"));
        using var gone = await admin.GetAsync(Url("/api/v1/channels/ops"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/v1/channels/ops", created.Headers.Location?.OriginalString);
        var saved = await JsonAsync(created);
        Assert.Equal("created", saved.GetProperty("status").GetString());
        Assert.Equal("PUT", saved.GetProperty("channel").GetProperty("settings").GetProperty("method").GetString());
        Assert.Equal(["header:Authorization"], saved.GetProperty("channel").GetProperty("secrets").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal("replaced", (await JsonAsync(replaced)).GetProperty("status").GetString());
        var listed = Assert.Single((await JsonAsync(list)).GetProperty("channels").EnumerateArray());
        Assert.Equal(3600, listed.GetProperty("repeatEverySeconds").GetDouble());
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        foreach (var response in new[] { created, replaced, list, one })
        {
            Assert.DoesNotContain("hunter2", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Contains(audit.GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetString() == "channel.put" && e.GetProperty("target").GetString() == "ops" && e.GetProperty("actor").GetString() == "ops");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Theory]
    [InlineData("""{"kind": "command", "settings": {"program": "/bin/true"}}""", "kind")]
    [InlineData("""{"kind": "pager"}""", "kind")]
    [InlineData("""{"settings": {"url": "https://x.example.test/"}}""", "kind")]
    [InlineData("""{"kind": "webhook", "settings": {"url": "ftp://x.example.test/", "body": "$NAME is $STAUTS"}}""", "settings.url,settings.body")]
    [InlineData("""{"kind": "webhook", "settings": {"url": "https://x.example.test/"}, "secrets": {"header:Bad Header": "x"}}""", "secrets.header:Bad Header")]
    [InlineData("""{"kind": "email", "settings": {"host": "smtp.example.test", "from": "a@example.test", "to": "b@example.test", "tls": "ssl", "username": "u"}}""", "settings.tls,secrets.password")]
    [InlineData("""{"kind": "slack", "settings": {"url": "https://hooks.slack.example.test/x"}, "repeatEverySeconds": 5}""", "repeatEverySeconds")]
    [InlineData("""{"kind": "slack", "settings": {"url": 5}}""", "settings.url")]
    public async Task Bad_configuration_is_a_400_naming_the_fields_and_nothing_is_saved(string body, string paths)
    {
        using var admin = api.Client(api.Admin);

        using var response = await admin.PutAsync(Url("/api/v1/channels/refused"), Body(body));
        using var after = await admin.GetAsync(Url("/api/v1/channels/refused"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(paths.Split(','), await ErrorPathsAsync(response));
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    [Fact]
    public async Task Test_sends_to_a_real_webhook_now_and_says_whether_it_was_delivered()
    {
        using var receiver = new HttpReceiver();
        using var admin = api.Client(api.Admin);
        using var put = await admin.PutAsync(Url("/api/v1/channels/hook"), Body($$$"""{"kind": "webhook", "settings": {"url": "{{{receiver.Url}}}notify/$STATUS", "allow_private": "true"}, "secrets": {"header:X-Token": "t0k"}}"""));
        using var guarded = await admin.PutAsync(Url("/api/v1/channels/guarded"), Body($$$"""{"kind": "slack", "settings": {"url": "{{{receiver.Url}}}"}}"""));

        var delivered = await JsonAsync(await admin.PostAsync(Url("/api/v1/channels/hook/test"), null));
        var refused = await JsonAsync(await admin.PostAsync(Url("/api/v1/channels/guarded/test"), null));
        using var unknown = await admin.PostAsync(Url("/api/v1/channels/nothing/test"), null);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.True(delivered.GetProperty("delivered").GetBoolean(), delivered.ToString());
        var request = Assert.Single(receiver.Requests);
        Assert.Equal(delivered.GetProperty("eventId").GetString(), request.Headers["Idempotency-Key"]);
        Assert.Equal("t0k", request.Headers["X-Token"]);
        Assert.Equal("/notify/up", request.PathAndQuery);
        Assert.False(refused.GetProperty("delivered").GetBoolean());
        Assert.Contains("loopback", refused.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Keys_that_are_not_admin_are_refused()
    {
        using var read = api.Client(api.Read);
        using var ingest = api.Client(api.Ingest);

        Assert.Equal(HttpStatusCode.Forbidden, (await read.GetAsync(Url("/api/v1/channels"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await read.PutAsync(Url("/api/v1/channels/x"), Body("""{"kind": "slack", "settings": {"url": "https://x.example.test/"}}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ingest.PostAsync(Url("/api/v1/channels/x/test"), null)).StatusCode);
    }

    private static Uri Url(string path) => new(path, UriKind.Relative);
}

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Server.Tests.Support;

namespace ScriptMonitor.Server.Tests.Api;

public sealed class StatusEndpointTests
{
    private static readonly Uri Status = new("/api/v1/status", UriKind.Relative);

    [Fact]
    public async Task Status_without_a_key_is_refused_with_401_a_problem_and_a_Bearer_challenge()
    {
        using var folder = new TempFolder();
        await using var server = await ServerProcess.Start(folder.File("scriptmon.db")).WaitUntilListeningAsync();
        using var client = server.CreateClient();

        using var response = await client.GetAsync(Status);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(401, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains("read scope", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Authorization")]
    [InlineData("X-Api-Key")]
    public async Task Status_with_an_unknown_key_is_401_and_the_key_is_not_echoed(string header)
    {
        using var folder = new TempFolder();
        await using var server = await ServerProcess.Start(folder.File("scriptmon.db"), "--Server:AnonymousRead=true").WaitUntilListeningAsync();
        using var client = server.CreateClient();
        const string key = "smk_not-a-key-anyone-was-given";
        using var request = new HttpRequestMessage(HttpMethod.Get, Status);
        if (header == "Authorization")
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        else
        {
            request.Headers.Add(header, key);
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(key, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(key, server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_anonymous_read_switched_on_status_answers_the_rows_scriptmon_status_shows()
    {
        using var folder = new TempFolder();
        var database = folder.File("scriptmon.db");
        var started = DateTimeOffset.UtcNow.AddMinutes(-5);
        Guid backupRun;
        using (var store = ScriptRunStores.Open(database))
        {
            backupRun = (await store.RecordStartAsync("backup", started, "db1")).RunId;
            await store.CompleteRunAsync(backupRun, started.AddSeconds(42), ScriptMonitor.Runs.RunOutcome.Succeeded, exitCode: 0);
            await store.RecordFailureAsync("report", started, started.AddSeconds(3), exitCode: 2, message: "disk full", hostname: "web1");
        }

        await using var server = await ServerProcess.Start(database, "--Server:AnonymousRead=true").WaitUntilListeningAsync();
        using var client = server.CreateClient();

        using var response = await client.GetAsync(Status);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal($"sqlite:{database}", status.RootElement.GetProperty("store").GetString());
        var scripts = status.RootElement.GetProperty("scripts").EnumerateArray().ToList();
        Assert.Equal(["backup", "report"], scripts.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(backupRun, scripts[0].GetProperty("lastSuccess").GetProperty("runId").GetGuid());
        Assert.Equal(42, scripts[0].GetProperty("lastSuccess").GetProperty("durationSeconds").GetDouble());
        Assert.Equal(JsonValueKind.Null, scripts[1].GetProperty("lastSuccess").ValueKind);
        Assert.Equal(2, scripts[1].GetProperty("lastFailure").GetProperty("exitCode").GetInt32());
        Assert.Equal(1, scripts[1].GetProperty("runsLast24Hours").GetInt32());
    }

    [Fact]
    public async Task An_unknown_path_under_the_api_is_the_apis_own_404_problem()
    {
        using var folder = new TempFolder();
        await using var server = await ServerProcess.Start(folder.File("scriptmon.db")).WaitUntilListeningAsync();
        using var client = server.CreateClient();

        using var response = await client.GetAsync(new Uri("/api/v1/no-such-thing", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

using System.Globalization;
using System.Net;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Server.Tests.Peers;

/// <summary>CronitorCLI's and the SDKs' telemetry, and an Uptime Kuma push, replayed against the server.</summary>
public sealed class CronitorAndKumaTests(HealthchecksServer fixture) : IClassFixture<HealthchecksServer>
{
    [Fact]
    public async Task CronitorCLIs_sequence_records_the_run_with_its_host_times_message_and_exit_code()
    {
        var started = DateTimeOffset.UtcNow.AddSeconds(-20);
        var stamp = Stamp(started);
        var key = fixture.PingKey;

        // cronitor exec nightly-etl ./etl.sh: a run ping, then complete (or fail) with the same series.
        using var run = await GetAsync($"/cronitor/ping/{key}/nightly-etl?state=run&try=1&stamp={stamp}&host=db1&series={stamp}");
        using var complete = await GetAsync($"/cronitor/ping/{key}/nightly-etl?state=complete&try=1&stamp={Stamp(started.AddSeconds(12.5))}&host=db1&duration=12.500&series={stamp}&status_code=0&msg=loaded%2012%20rows");
        using var run2 = await GetAsync($"/cronitor/ping/{key}/nightly-etl?state=run&try=1&stamp={Stamp(started.AddSeconds(15))}&host=db1&series=second");
        using var fail = await GetAsync($"/cronitor/ping/{key}/nightly-etl?state=fail&try=1&stamp={Stamp(started.AddSeconds(17))}&host=db1&series=second&status_code=2&msg=timeout");

        Assert.All([run, complete, run2, fail], response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        var runs = (await fixture.RunsAsync("nightly-etl")).OrderBy(r => r.StartedAt).ToList();
        Assert.Equal(2, runs.Count);
        Assert.Equal((RunOutcome.Succeeded, (int?)0, "loaded 12 rows", "db1"), (runs[0].Outcome, runs[0].ExitCode, runs[0].Output, runs[0].Hostname));
        Assert.Equal(TimeSpan.FromSeconds(12.5), runs[0].Duration);
        Assert.Equal((RunOutcome.Failed, (int?)2, "timeout"), (runs[1].Outcome, runs[1].ExitCode, runs[1].Output));
        Assert.Equal(TimeSpan.FromSeconds(2), runs[1].Duration);
    }

    [Fact]
    public async Task An_sdk_completion_without_a_run_takes_its_duration_metric_and_makes_the_monitor()
    {
        using var response = await GetAsync($"/cronitor/p/{fixture.PingKey}/sdk-job?state=complete&message=hi&metric=duration:30&env=production");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var run = Assert.Single(await fixture.RunsAsync("sdk-job"));
        Assert.Equal((RunOutcome.Succeeded, "hi"), (run.Outcome, run.Output));
        Assert.Equal(TimeSpan.FromSeconds(30), run.Duration);
        Assert.False(run.DurationUnknown);
    }

    [Fact]
    public async Task A_completion_without_a_run_or_a_duration_has_an_unknown_duration()
    {
        using var response = await GetAsync($"/cronitor/p/{fixture.PingKey}/sdk-unknown?state=complete");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var run = Assert.Single(await fixture.RunsAsync("sdk-unknown"));
        Assert.Equal((RunOutcome.Succeeded, true), (run.Outcome, run.DurationUnknown));
        Assert.Null(run.Duration);
    }

    [Fact]
    public async Task Cronitor_refuses_a_wrong_key_and_a_wrong_state_and_records_nothing()
    {
        using var wrongKey = await GetAsync("/cronitor/p/0123456789abcdef0123456789abcdef/refused-job?state=complete");
        using var wrongState = await GetAsync($"/cronitor/p/{fixture.PingKey}/refused-job?state=done");

        Assert.Equal(HttpStatusCode.Forbidden, wrongKey.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, "state must be run, complete, fail or ok"), (wrongState.StatusCode, await wrongState.Content.ReadAsStringAsync()));
        Assert.Empty(await fixture.RunsAsync("refused-job"));
    }

    [Fact]
    public async Task A_kuma_push_records_a_run_and_answers_ok_true()
    {
        var token = fixture.Uuids["kuma-disk"].ToString("N");

        using var up = await GetAsync($"/uptime-kuma/api/push/{token}?status=up&msg=OK&ping=");
        using var down = await GetAsync($"/uptime-kuma/api/push/{token}?status=down&msg=disk%2095%25&ping=12.5");
        using var unknown = await GetAsync("/uptime-kuma/api/push/AbCdEfGhIjKlMnOpQrStUvWxYz012345?status=up");

        Assert.Equal((HttpStatusCode.OK, """{"ok":true}"""), (up.StatusCode, await up.Content.ReadAsStringAsync()));
        Assert.Equal((HttpStatusCode.OK, """{"ok":true}"""), (down.StatusCode, await down.Content.ReadAsStringAsync()));
        Assert.Equal((HttpStatusCode.NotFound, """{"ok":false,"msg":"Monitor not found or not active."}"""), (unknown.StatusCode, await unknown.Content.ReadAsStringAsync()));
        var runs = (await fixture.RunsAsync("kuma-disk")).OrderBy(r => r.Outcome).ToList();
        Assert.Equal([(RunOutcome.Succeeded, "OK"), (RunOutcome.Failed, "disk 95%")], runs.Select(r => (r.Outcome, r.Output)));
    }

    private static string Stamp(DateTimeOffset at) => (at.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);

    private async Task<HttpResponseMessage> GetAsync(string path)
    {
        using var client = fixture.Server.CreateClient();
        client.DefaultRequestHeaders.UserAgent.ParseAdd("CronitorCLI/30.3");
        return await client.GetAsync(new Uri(path, UriKind.Relative));
    }
}

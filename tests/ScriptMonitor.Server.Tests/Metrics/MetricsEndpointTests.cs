using System.Diagnostics;
using System.Globalization;
using System.Net;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Server.Tests.Support;

namespace ScriptMonitor.Server.Tests.Metrics;

public sealed class MetricsEndpointTests
{
    private static readonly Uri Metrics = new("/metrics", UriKind.Relative);

    [Fact]
    public async Task Metrics_need_a_read_key_unless_anonymous_reading_is_on()
    {
        using var folder = new TempFolder();
        await using var server = await ServerProcess.Start(folder.File("scriptmon.db")).WaitUntilListeningAsync();
        using var client = server.CreateClient();

        using var response = await client.GetAsync(Metrics);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_are_valid_exposition_format_with_each_scripts_state_and_last_success()
    {
        using var folder = new TempFolder();
        var database = folder.File("scriptmon.db");
        var started = new DateTimeOffset(DateTimeOffset.UtcNow.Year, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1234560);
        const string oddName = "we\"ird\\name";
        using (var store = ScriptRunStores.Open(database))
        {
            await store.RecordSuccessAsync("backup", started, started.AddSeconds(42), "db1");
            await store.RecordFailureAsync(oddName, started, started.AddSeconds(3), exitCode: 2, message: "disk full", hostname: "web1");
        }

        await using var server = await ServerProcess.Start(database, "--Server:AnonymousRead=true").WaitUntilListeningAsync();
        using var client = server.CreateClient();

        using var response = await client.GetAsync(Metrics);
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var (status, lint) = await PromtoolCheckAsync(page);
        Assert.True(status == 0, $"promtool check metrics failed ({status}):\n{lint}");
        Assert.Contains("scriptmon_script_state{script=\"backup\",state=\"learning\"} 1\n", page, StringComparison.Ordinal);
        Assert.Contains("scriptmon_script_state{script=\"backup\",state=\"up\"} 0\n", page, StringComparison.Ordinal);
        var completed = (started.AddSeconds(42).UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond;
        Assert.Contains($"scriptmon_script_last_success_timestamp_seconds{{script=\"backup\"}} {completed.ToString("R", CultureInfo.InvariantCulture)}\n", page, StringComparison.Ordinal);
        Assert.Contains("scriptmon_script_last_run_duration_seconds{script=\"we\\\"ird\\\\name\"} 3\n", page, StringComparison.Ordinal);
        Assert.Equal(Enum.GetValues<ScriptMonitor.Health.HealthState>().Length, page.Split('\n').Count(line => line.StartsWith("scriptmon_script_state{script=\"backup\"", StringComparison.Ordinal)));
    }

    /// <summary>Prometheus' own linter, from Debian's prometheus package (test.sh installs it where it is missing).</summary>
    internal static async Task<(int Status, string Output)> PromtoolCheckAsync(string page)
    {
        var start = new ProcessStartInfo("promtool", ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var promtool = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start");
        var output = promtool.StandardOutput.ReadToEndAsync();
        var error = promtool.StandardError.ReadToEndAsync();
        await promtool.StandardInput.WriteAsync(page);
        promtool.StandardInput.Close();
        await promtool.WaitForExitAsync();
        return (promtool.ExitCode, await output + await error);
    }
}

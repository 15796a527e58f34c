using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ScriptMonitor.Cli.Tests.Support;

namespace ScriptMonitor.Cli.Tests.Commands;

/// <summary>
/// The monitor tells the truth, run as real processes: failures alert from the first run, one script that cannot be
/// evaluated leaves the others reported, runs from the future are a problem, and a run whose wrapper was killed is
/// closed as abandoned instead of running for good.
/// </summary>
public sealed class HealthTruthTests : IDisposable
{
    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private void Run(params string[] args)
    {
        var result = _sandbox.Run(args);
        Assert.True(result.ExitCode == 0, $"scriptmon {string.Join(' ', args)}: {result}");
    }

    private static string HealthOf(CliResult status, string script) =>
        status.Json().GetProperty("scripts").EnumerateArray().Single(s => s.GetProperty("name").GetString() == script).GetProperty("health").GetString()!;

    [Fact]
    public void A_script_that_failed_every_run_is_critical_without_an_expectation()
    {
        foreach (var hours in new[] { "-3h", "-2h", "-1h" })
        {
            Run("record", "always-fails", "--started", hours, "--completed", hours, "--host", "db1", "--failed", "--exit-code", "124");
        }

        var check = _sandbox.Run("check");

        Assert.True(check.ExitCode == 2, check.ToString());
        Assert.Contains("always-fails: CRITICAL Failing: the last 3 runs failed", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("with exit code 124", check.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void One_script_that_cannot_be_evaluated_is_unknown_and_the_others_are_reported_as_usual()
    {
        // Five successes two years apart used to make the learned period 731 days, and every script UNKNOWN.
        for (var i = 4; i >= 0; i--)
        {
            var started = $"-{(i * 731) + 30}d";
            Run("record", "biennial", "--started", started, "--completed", started, "--host", "db1");
        }

        Run("record", "hourly", "--started", "-30m", "--completed", "-29m", "--host", "db1");
        Run("record", "report", "--started", "-30m", "--completed", "-29m", "--host", "db1");

        Run("expect", "hourly", "--every", "1h", "--grace", "10m");
        Run("expect", "report", "--every", "1h", "--grace", "10m");

        var learned = _sandbox.Run("check");
        Assert.True(learned.ExitCode == 0, learned.ToString());
        Assert.Contains("biennial: OK Up:", learned.Stdout, StringComparison.Ordinal);
        Assert.Contains("about every 366d (learned)", learned.Stdout, StringComparison.Ordinal);

        // An expectation this version cannot read (written by another version, or by hand).
        using (var connection = new SqliteConnection($"Data Source={_sandbox.Database};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE expectations SET period_us = 731 * 86400 * 1000000 WHERE script_name = 'report'";
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        var check = _sandbox.Run("check");
        var status = _sandbox.Run("status", "--json");

        Assert.True(check.ExitCode == 3, check.ToString());
        Assert.StartsWith("SCRIPTMON UNKNOWN - 0 critical, 0 warning, 1 unknown, 2 ok of 3 scripts: report Unknown: the health of report cannot be evaluated", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("hourly: OK Up:", check.Stdout, StringComparison.Ordinal);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal("Unknown", HealthOf(status, "report"));
        Assert.Equal("Up", HealthOf(status, "hourly"));
    }

    [Fact]
    public void A_run_from_the_future_is_a_problem_and_hides_no_stopped_job()
    {
        for (var hour = 6; hour >= 3; hour--)
        {
            Run("record", "stopped", "--started", $"-{hour}h", "--completed", $"-{hour}h", "--host", "db1");
        }

        // A host whose clock is ahead recorded the last run 20 hours "from now"; the job has not run for 3 hours.
        Run("record", "stopped", "--started", FromNow(TimeSpan.FromHours(20)), "--completed", FromNow(TimeSpan.FromHours(20)), "--host", "db2");
        Run("record", "running", "--started", "-10m", "--completed", "-9m", "--host", "db1");
        Run("record", "running", "--started", FromNow(TimeSpan.FromHours(2)), "--completed", FromNow(TimeSpan.FromHours(2)), "--host", "db2");
        Run("expect", "stopped", "--every", "1h", "--grace", "10m");
        Run("expect", "running", "--every", "1h", "--grace", "10m");

        var check = _sandbox.Run("check");

        Assert.True(check.ExitCode == 2, check.ToString());
        Assert.Contains("stopped: CRITICAL Missing: no successful run since", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("running: WARNING FutureRun: a run started", check.Stdout, StringComparison.Ordinal);
        Assert.Contains("the clock of db2 or of the evaluating host is wrong", check.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_whose_wrapper_was_killed_is_closed_as_abandoned_and_holds_nothing_once_a_later_run_completes()
    {
        var started = _sandbox.File("started");
        var jobPid = _sandbox.File("job.pid");
        using var wrapper = _sandbox.Start("exec", "victim", "--", "sh", "-c", $"echo $$ > '{jobPid}'; touch '{started}'; exec sleep 60");
        var done = Sandbox.CompleteAsync(wrapper);
        await Sandbox.WaitForFileAsync(started);
        try
        {
            await WaitForRunAsync("victim");
            Sandbox.Signal(wrapper, "KILL");
            await done;

            // check only reads: it shows the run as abandoned and leaves it running in the store.
            var seen = _sandbox.Run("check", "victim");
            Assert.True(seen.ExitCode == 2, seen.ToString());
            Assert.Contains("victim: CRITICAL Abandoned: the last run (started ", seen.Stdout, StringComparison.Ordinal);
            Assert.Equal("running", OnlyRun("victim").GetProperty("outcome").GetString());

            // Any later exec on this host closes the runs whose wrapper is gone.
            Run("exec", "other", "--", "true");
            var abandoned = OnlyRun("victim");
            Assert.Equal("abandoned", abandoned.GetProperty("outcome").GetString());
            Assert.Contains($"[abandoned] its runner (pid {wrapper.Id} on ", abandoned.GetProperty("output").GetString(), StringComparison.Ordinal);

            Run("exec", "victim", "--", "true");
            var after = _sandbox.Run("check", "victim");
            Assert.True(after.ExitCode == 0, after.ToString());

            Run("prune", "--older-than", "1s");
            var kept = _sandbox.Run("runs", "victim", "--json").Json().GetProperty("runs").EnumerateArray().ToList();
            Assert.Equal(["succeeded"], kept.Select(r => r.GetProperty("outcome").GetString()));
        }
        finally
        {
            KillJob(jobPid);
        }
    }

    [Fact]
    public async Task An_operator_closes_a_run_by_id_and_its_late_completion_still_wins()
    {
        var started = _sandbox.File("started");
        var go = _sandbox.File("go");
        using var wrapper = _sandbox.Start("exec", "long", "--", "sh", "-c", $"touch '{started}'; while [ ! -e '{go}' ]; do sleep 0.05; done");
        var done = Sandbox.CompleteAsync(wrapper);
        await Sandbox.WaitForFileAsync(started);
        var runId = (await WaitForRunAsync("long")).GetProperty("runId").GetString()!;

        var close = _sandbox.Run("close", runId, "--reason", "the host was rebooted by hand");
        var again = _sandbox.Run("close", runId);
        var closed = OnlyRun("long");
        await File.WriteAllTextAsync(go, string.Empty);
        var exec = await done;

        Assert.True(close.ExitCode == 0, close.ToString());
        Assert.StartsWith($"Closed the run {runId} of long on ", close.Stdout, StringComparison.Ordinal);
        Assert.True(again.ExitCode == 1, again.ToString());
        Assert.Contains("is not running: it has already ended, so nothing changed", again.Stderr, StringComparison.Ordinal);
        Assert.Equal("abandoned", closed.GetProperty("outcome").GetString());
        Assert.EndsWith("with 'scriptmon close': the host was rebooted by hand", closed.GetProperty("output").GetString(), StringComparison.Ordinal);
        Assert.True(exec.ExitCode == 0, exec.ToString());
        Assert.Equal("succeeded", OnlyRun("long").GetProperty("outcome").GetString());
    }

    [Theory]
    [InlineData("not-a-run-id", 2, "RUN_ID must be a run id")]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e", 1, "no run has the id 0f8fad5b-d9cb-469f-a165-70867728950e")]
    public void Close_refuses_what_is_not_a_run_it_knows(string runId, int exitCode, string message)
    {
        Run("record", "known", "--started", "-1h", "--completed", "-1h");

        var result = _sandbox.Run("close", runId);

        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }

    private static string FromNow(TimeSpan offset) => DateTimeOffset.UtcNow.Add(offset).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>The wrapper records the start beside the job, not before it: wait until the run is there.</summary>
    private async Task<JsonElement> WaitForRunAsync(string script)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var runs = await _sandbox.RunAsync("runs", script, "--json");
            if (runs.ExitCode == 0)
            {
                return Assert.Single(runs.Json().GetProperty("runs").EnumerateArray());
            }

            await Task.Delay(50, timeout.Token);
        }
    }

    private JsonElement OnlyRun(string script)
    {
        var runs = _sandbox.Run("runs", script, "--json");
        Assert.True(runs.ExitCode == 0, runs.ToString());
        return Assert.Single(runs.Json().GetProperty("runs").EnumerateArray());
    }

    /// <summary>The job outlives its killed wrapper: end it by the id it wrote.</summary>
    private static void KillJob(string pidFile)
    {
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            try
            {
                using var job = Process.GetProcessById(pid);
                job.Kill();
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }
    }
}

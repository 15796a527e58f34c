using System.Globalization;
using System.Text.Json;
using ScriptMonitor.Cli.Tests.Support;

namespace ScriptMonitor.Cli.Tests.Commands;

public sealed class QueryCommandTests : IDisposable
{
    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void Record_stores_a_success_that_last_then_shows_in_text_and_json_alike()
    {
        var recorded = _sandbox.Run("record", "backup", "--started", "2026-01-10T02:00:00Z", "--completed", "2026-01-10T02:01:30Z", "--host", "db-01");
        Assert.True(recorded.ExitCode == 0, recorded.ToString());

        var text = _sandbox.Run("last", "backup");
        var json = _sandbox.Run("last", "backup", "--json").Json();

        Assert.Equal(0, text.ExitCode);
        Assert.Equal("2026-01-10T02:00:00.000000+00:00", text.Field("started"));
        Assert.Equal(text.Field("started"), json.GetProperty("startedAt").GetString());
        Assert.Equal(text.Field("completed"), json.GetProperty("completedAt").GetString());
        Assert.Equal(text.Field("host"), json.GetProperty("host").GetString());
        Assert.Equal(text.Field("run id"), json.GetProperty("runId").GetString());
        Assert.Equal("1m 30s", text.Field("duration"));
        Assert.Equal(90, json.GetProperty("durationSeconds").GetDouble());
    }

    [Fact]
    public void Record_accepts_relative_times_and_offsets()
    {
        Assert.Equal(0, _sandbox.Run("record", "rel", "--started", "-2h", "--completed", "now").ExitCode);
        Assert.Equal(0, _sandbox.Run("record", "rel", "--started", "2026-01-10T03:00:00+01:00", "--completed", "2026-01-10 02:30:00Z").ExitCode);

        var runs = _sandbox.Run("runs", "rel", "--json").Json().GetProperty("runs");

        Assert.Equal(2, runs.GetArrayLength());
        Assert.Equal("2026-01-10T02:00:00.000000+00:00", runs[1].GetProperty("startedAt").GetString());
        Assert.Equal(7200, runs[0].GetProperty("durationSeconds").GetDouble(), precision: 0);
    }

    [Fact]
    public void Record_failed_stores_a_failure_with_its_exit_code_that_last_ignores()
    {
        var recorded = _sandbox.Run("record", "import", "--started", "-1h", "--completed", "-50m", "--failed", "--exit-code", "9", "--message", "no input", "--json");

        Assert.Equal(0, recorded.ExitCode);
        Assert.Equal("failed", recorded.Json().GetProperty("outcome").GetString());
        Assert.Equal(9, recorded.Json().GetProperty("exitCode").GetInt32());
        var last = _sandbox.Run("last", "import");
        Assert.Equal(1, last.ExitCode);
        Assert.Equal("scriptmon: import has never succeeded.\n", last.Stderr);
        Assert.Equal(string.Empty, last.Stdout);
    }

    [Fact]
    public void Last_filters_by_host()
    {
        _sandbox.Run("record", "sync", "--started", "-3h", "--completed", "-3h", "--host", "a");
        _sandbox.Run("record", "sync", "--started", "-1h", "--completed", "-1h", "--host", "b");

        Assert.Equal("b", _sandbox.Run("last", "sync", "--json").Json().GetProperty("host").GetString());
        Assert.Equal("a", _sandbox.Run("last", "sync", "--host", "a", "--json").Json().GetProperty("host").GetString());
        Assert.Equal(1, _sandbox.Run("last", "sync", "--host", "c").ExitCode);
    }

    [Fact]
    public void Runs_lists_newest_first_within_the_window_and_limit_and_json_matches_the_table()
    {
        for (var hour = 1; hour <= 5; hour++)
        {
            var started = new DateTimeOffset(2026, 2, 1, hour, 0, 0, TimeSpan.Zero).ToString("O", CultureInfo.InvariantCulture);
            Assert.Equal(0, _sandbox.Run("record", "hourly", "--started", started, "--completed", started).ExitCode);
        }

        var args = new[] { "runs", "hourly", "--since", "2026-02-01T02:00:00Z", "--until", "2026-02-01T05:00:00Z", "--limit", "2" };
        var text = _sandbox.Run(args);
        var json = _sandbox.Run([.. args, "--json"]).Json().GetProperty("runs");

        Assert.Equal(0, text.ExitCode);
        var lines = text.Stdout.TrimEnd('\n').Split('\n');
        Assert.StartsWith("STARTED", lines[0], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
        Assert.Equal(2, json.GetArrayLength());
        Assert.Equal("2026-02-01T04:00:00.000000+00:00", json[0].GetProperty("startedAt").GetString());
        Assert.Equal("2026-02-01T03:00:00.000000+00:00", json[1].GetProperty("startedAt").GetString());
        for (var i = 0; i < 2; i++)
        {
            Assert.StartsWith(json[i].GetProperty("startedAt").GetString()!, lines[i + 1], StringComparison.Ordinal);
            Assert.EndsWith(json[i].GetProperty("runId").GetString()!, lines[i + 1], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Status_shows_every_script_in_text_and_json_alike()
    {
        _sandbox.Run("exec", "alpha", "--", "true");
        _sandbox.Run("exec", "beta", "--", "false");
        _sandbox.Run("record", "gamma", "--started", "-3d", "--completed", "-3d");

        var text = _sandbox.Run("status");
        var json = _sandbox.Run("status", "--json").Json();

        Assert.Equal(0, text.ExitCode);
        var lines = text.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(["SCRIPT", "LAST", "SUCCESS", "AGE", "LAST", "FAILURE", "RUNS", "24H", "MEDIAN", "HEALTH", "REASON"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var scripts = json.GetProperty("scripts").EnumerateArray().ToList();
        Assert.Equal(["alpha", "beta", "gamma"], scripts.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(4, lines.Length);
        for (var i = 0; i < scripts.Count; i++)
        {
            var cells = lines[i + 1].Split("  ", StringSplitOptions.RemoveEmptyEntries).Select(c => c.Trim()).ToArray();
            var script = scripts[i];
            Assert.Equal(script.GetProperty("name").GetString(), cells[0]);
            var lastSuccess = script.GetProperty("lastSuccess");
            Assert.Equal(lastSuccess.ValueKind == JsonValueKind.Null ? "never" : lastSuccess.GetProperty("startedAt").GetString(), cells[1]);
            var lastFailure = script.GetProperty("lastFailure");
            Assert.Equal(lastFailure.ValueKind == JsonValueKind.Null ? "-" : lastFailure.GetProperty("startedAt").GetString(), cells[3]);
            Assert.Equal(script.GetProperty("runsLast24Hours").GetInt32().ToString(CultureInfo.InvariantCulture), cells[4]);
            Assert.Equal(script.GetProperty("health").GetString(), cells[6]);
            Assert.Equal(script.GetProperty("reason").GetString(), cells[7]);
        }

        Assert.Equal(0, scripts[2].GetProperty("runsLast24Hours").GetInt32());
        Assert.Equal(1, scripts[0].GetProperty("runsLast24Hours").GetInt32());
    }

    [Fact]
    public void Status_of_a_store_that_does_not_exist_yet_says_so_and_creates_nothing()
    {
        var result = _sandbox.Run("status");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("No runs recorded yet", result.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(_sandbox.Database));
    }

    [Fact]
    public void Stats_shows_runtime_statistics_and_a_histogram_that_json_agrees_with()
    {
        foreach (var seconds in new[] { 10, 20, 30, 40, 100 })
        {
            var recorded = _sandbox.Run("record", "report", "--started", "-10800s", "--completed", $"-{10800 - seconds}s");
            Assert.True(recorded.ExitCode == 0, recorded.ToString());
        }

        var text = _sandbox.Run("stats", "report", "--since", "-4h");
        var json = _sandbox.Run("stats", "report", "--since", "-4h", "--json").Json();

        Assert.Equal(0, text.ExitCode);
        Assert.Equal(5, json.GetProperty("count").GetInt32());
        Assert.Equal($"{json.GetProperty("count").GetInt32()} successful", text.Field("runs"));
        Assert.Equal("1m 40s", text.Field("max"));
        Assert.Equal(100, json.GetProperty("maxSeconds").GetDouble());
        Assert.Equal(30, json.GetProperty("medianSeconds").GetDouble());
        Assert.Equal("30s", text.Field("median"));
        Assert.Equal([10.0, 20, 30, 40, 100], json.GetProperty("durationsSeconds").EnumerateArray().Select(d => d.GetDouble()));
        Assert.Equal(5, json.GetProperty("histogram").EnumerateArray().Sum(b => b.GetProperty("count").GetInt32()));
        Assert.Contains("histogram:", text.Stdout, StringComparison.Ordinal);
        Assert.Equal(5, text.Field("trend").TakeWhile(c => c != ' ').Count());
    }

    [Fact]
    public void Prune_deletes_old_runs_but_keeps_the_last_success()
    {
        _sandbox.Run("record", "old", "--started", "-20d", "--completed", "-20d");
        _sandbox.Run("record", "old", "--started", "-15d", "--completed", "-15d");
        _sandbox.Run("record", "old", "--started", "-12d", "--completed", "-12d", "--failed");
        _sandbox.Run("record", "old", "--started", "-1h", "--completed", "-1h", "--failed");

        var pruned = _sandbox.Run("prune", "--older-than", "7d", "--json");

        Assert.Equal(0, pruned.ExitCode);
        Assert.Equal(2, pruned.Json().GetProperty("deleted").GetInt64());
        var runs = _sandbox.Run("runs", "old", "--json").Json().GetProperty("runs");
        Assert.Equal(2, runs.GetArrayLength());
        Assert.Equal("succeeded", runs[1].GetProperty("outcome").GetString());
    }

    [Fact]
    public void Prune_keeps_the_newest_runs_of_every_script_with_keep_last()
    {
        for (var day = 10; day < 15; day++)
        {
            _sandbox.Run("record", "kept", "--started", $"-{day}d", "--completed", $"-{day}d", "--failed");
        }

        var pruned = _sandbox.Run("prune", "--older-than", "1d", "--keep-last", "3");

        Assert.Equal(0, pruned.ExitCode);
        Assert.StartsWith("Deleted 2 runs", pruned.Stdout, StringComparison.Ordinal);
        Assert.Equal(3, _sandbox.Run("runs", "kept", "--json").Json().GetProperty("runs").GetArrayLength());
    }

    [Fact]
    public void Db_info_names_the_store_and_why_and_migrate_creates_it()
    {
        var before = _sandbox.Run("db", "info", "--json").Json();

        Assert.Equal($"sqlite:{_sandbox.Database}", before.GetProperty("store").GetString());
        Assert.Equal("SCRIPTMON_DATABASE", before.GetProperty("source").GetString());
        Assert.False(before.GetProperty("exists").GetBoolean());
        Assert.False(File.Exists(_sandbox.Database));

        var migrated = _sandbox.Run("db", "migrate");
        _sandbox.Run("exec", "one", "--", "true");
        var after = _sandbox.Run("db", "info", "--json").Json();
        var text = _sandbox.Run("db", "info");

        Assert.Equal(0, migrated.ExitCode);
        Assert.True(after.GetProperty("exists").GetBoolean());
        Assert.Equal(after.GetProperty("latestSchemaVersion").GetInt32(), after.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(1, after.GetProperty("runCount").GetInt64());
        Assert.Equal(1, after.GetProperty("scriptCount").GetInt64());
        Assert.Equal(after.GetProperty("store").GetString(), text.Field("store"));
        Assert.Equal(_sandbox.SpoolDirectory, text.Field("spool"));
        Assert.Equal(_sandbox.LockDirectory, text.Field("lock directory"));
    }

    [Fact]
    public void The_database_option_overrides_the_environment()
    {
        var other = _sandbox.File("other.db");

        _sandbox.Run("--database", other, "exec", "elsewhere", "--", "true");
        var info = _sandbox.Run("db", "info", "--database", other, "--json").Json();

        Assert.Equal("--database", info.GetProperty("source").GetString());
        Assert.Equal(1, info.GetProperty("runCount").GetInt64());
        Assert.False(File.Exists(_sandbox.Database));
    }

    [Fact]
    public void Plain_output_has_no_colour_codes_when_redirected()
    {
        _sandbox.Run("exec", "plain", "--", "false");

        Assert.DoesNotContain('\u001b', _sandbox.Run("status").Stdout);
        Assert.DoesNotContain('\u001b', _sandbox.Run("runs", "plain").Stdout);
    }
}

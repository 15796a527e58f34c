using ScriptMonitor.Cli.Tests.Support;

namespace ScriptMonitor.Cli.Tests.Commands;

/// <summary><c>expect</c>, <c>check</c> and the health columns of <c>status</c>, run as real processes against runs recorded relative to now.</summary>
public sealed class HealthCommandTests : IDisposable
{
    private readonly Sandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private void Record(string name, string started, string completed, string host = "db1", bool failed = false)
    {
        string[] args = failed
            ? ["record", name, "--started", started, "--completed", completed, "--host", host, "--failed"]
            : ["record", name, "--started", started, "--completed", completed, "--host", host];
        var result = _sandbox.Run(args);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private void RecordHourly(string name, int runs = 6)
    {
        for (var hour = runs; hour >= 1; hour--)
        {
            Record(name, $"-{hour}h", $"-{hour}h", "db1");
        }
    }

    [Fact]
    public void Expect_sets_shows_and_lists_and_setting_the_same_again_changes_nothing()
    {
        var set = _sandbox.Run("expect", "backup", "--cron", "30 2 * * *", "--tz", "Europe/Berlin", "--grace", "30m", "--max-runtime", "2h", "--hosts", "db2,db1", "--tag", "ops");
        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.Equal("at '30 2 * * *' (Europe/Berlin)", set.Field("schedule"));
        Assert.Equal("on each of db1, db2", set.Field("hosts"));
        Assert.Equal("set", set.Field("change"));

        var again = _sandbox.Run("expect", "backup", "--cron", "30 2 * * *", "--tz", "Europe/Berlin", "--grace", "30m", "--max-runtime", "2h", "--hosts", "db1,db2", "--tag", "ops", "--json");
        Assert.Equal(0, again.ExitCode);
        Assert.Equal("unchanged", again.Json().GetProperty("change").GetString());

        var show = _sandbox.Run("expect", "backup", "--show", "--json").Json();
        Assert.Equal("cron", show.GetProperty("scheduleKind").GetString());
        Assert.Equal("Europe/Berlin", show.GetProperty("timeZone").GetString());
        Assert.Equal(1800, show.GetProperty("graceSeconds").GetDouble());
        Assert.Equal(7200, show.GetProperty("maxRuntimeSeconds").GetDouble());
        Assert.Equal("each", show.GetProperty("hostMode").GetString());
        Assert.Equal("ops", show.GetProperty("tags")[0].GetString());

        var list = _sandbox.Run("expect", "--list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("backup", list.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, _sandbox.Run("expect", "--list", "--json").Json().GetProperty("expectations").GetArrayLength());
    }

    [Fact]
    public void Expect_merges_options_into_the_current_expectation_and_pause_and_resume_toggle()
    {
        Assert.Equal(0, _sandbox.Run("expect", "sync", "--every", "1h", "--grace", "10m").ExitCode);

        var paused = _sandbox.Run("expect", "sync", "--pause", "--until", "2099-01-01T00:00:00Z", "--json").Json();
        Assert.Equal(3600, paused.GetProperty("everySeconds").GetDouble());
        Assert.Equal(600, paused.GetProperty("graceSeconds").GetDouble());
        Assert.True(paused.GetProperty("paused").GetBoolean());
        Assert.Equal("2099-01-01T00:00:00.000000+00:00", paused.GetProperty("pausedUntil").GetString());

        var resumed = _sandbox.Run("expect", "sync", "--resume", "--hosts", "a,b,c", "--at-least", "2", "--json").Json();
        Assert.False(resumed.GetProperty("paused").GetBoolean());
        Assert.Equal("atLeast", resumed.GetProperty("hostMode").GetString());
        Assert.Equal(2, resumed.GetProperty("atLeast").GetInt32());
        Assert.Equal("updated", resumed.GetProperty("change").GetString());
    }

    [Fact]
    public void Expect_remove_keeps_the_runs_and_a_second_remove_or_show_exits_1()
    {
        Record("nightly", "-2h", "-1h");
        Assert.Equal(0, _sandbox.Run("expect", "nightly", "--every", "1d").ExitCode);

        var removed = _sandbox.Run("expect", "nightly", "--remove");
        Assert.Equal(0, removed.ExitCode);
        Assert.Contains("runs are kept", removed.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, _sandbox.Run("expect", "nightly", "--remove").ExitCode);
        var show = _sandbox.Run("expect", "nightly", "--show");
        Assert.Equal(1, show.ExitCode);
        Assert.Contains("nightly has no expectation", show.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, _sandbox.Run("last", "nightly").ExitCode);
    }

    [Fact]
    public void Expect_learn_shows_the_inferred_period_and_save_makes_it_the_expectation()
    {
        RecordHourly("hourly", 6);

        var learned = _sandbox.Run("expect", "hourly", "--learn");
        Assert.True(learned.ExitCode == 0, learned.ToString());
        Assert.Equal("1h", learned.Field("period"));
        Assert.StartsWith("no", learned.Field("saved"), StringComparison.Ordinal);
        Assert.Equal(1, _sandbox.Run("expect", "hourly", "--show").ExitCode);

        var saved = _sandbox.Run("expect", "hourly", "--learn", "--save", "--json").Json();
        Assert.Equal(3600, saved.GetProperty("periodSeconds").GetDouble());
        Assert.Equal(6, saved.GetProperty("sampleCount").GetInt32());
        Assert.True(saved.GetProperty("saved").GetBoolean());
        Assert.Equal(3600, _sandbox.Run("expect", "hourly", "--show", "--json").Json().GetProperty("everySeconds").GetDouble());
    }

    [Fact]
    public void Expect_learn_with_too_little_history_exits_1()
    {
        Record("young", "-2h", "-2h");

        var result = _sandbox.Run("expect", "young", "--learn");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("too little history", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_is_ok_exit_0_when_every_script_is_up()
    {
        RecordHourly("hourly");
        Assert.Equal(0, _sandbox.Run("expect", "hourly", "--every", "1h", "--grace", "10m").ExitCode);

        var result = _sandbox.Run("check");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("SCRIPTMON OK - 0 critical, 0 warning, 1 ok of 1 script |", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("hourly: OK Up:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("'hourly_age'=", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_is_warning_exit_1_for_a_script_that_never_ran()
    {
        Assert.Equal(0, _sandbox.Run("expect", "fresh", "--every", "1h").ExitCode);

        var result = _sandbox.Run("check", "fresh");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("SCRIPTMON WARNING - 0 critical, 1 warning, 0 ok of 1 script: fresh NeverRan:", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_is_critical_exit_2_for_a_late_script_and_names_it_with_the_numbers()
    {
        RecordHourly("hourly");
        Record("stale", "-5h", "-5h");
        Assert.Equal(0, _sandbox.Run("expect", "stale", "--every", "1h", "--grace", "10m").ExitCode);

        var result = _sandbox.Run("check");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("SCRIPTMON CRITICAL - 1 critical, 0 warning, 1 ok of 2 scripts: stale ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("expected every 1h with 10m grace", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("critical=1;;;0", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_is_critical_for_a_failing_script()
    {
        Record("import", "-10m", "-9m", failed: true);
        Assert.Equal(0, _sandbox.Run("expect", "import", "--every", "1h").ExitCode);

        var result = _sandbox.Run("check", "import");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("import: CRITICAL Failing:", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_map_moves_a_state_to_another_status_and_tag_selects_scripts()
    {
        RecordHourly("hourly");
        Record("stale", "-5h", "-5h");
        Assert.Equal(0, _sandbox.Run("expect", "stale", "--every", "1h", "--tag", "batch").ExitCode);
        Assert.Equal(0, _sandbox.Run("expect", "hourly", "--every", "1h", "--tag", "web").ExitCode);

        var mapped = _sandbox.Run("check", "--map", "late=warning,missing=warning");
        Assert.True(mapped.ExitCode == 1, mapped.ToString());
        Assert.StartsWith("SCRIPTMON WARNING", mapped.Stdout, StringComparison.Ordinal);

        var web = _sandbox.Run("check", "--tag", "web");
        Assert.True(web.ExitCode == 0, web.ToString());
        Assert.Contains("1 ok of 1 script", web.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "check", "--map", "late=sometimes" }, "--map: 'sometimes' is not a status")]
    [InlineData(new[] { "check", "--map", "slow=warning" }, "--map: 'slow' is not a state")]
    [InlineData(new[] { "check", "nope" }, "no script named 'nope'")]
    [InlineData(new[] { "check", "--window", "ten", "db1:hourly" }, "MINUTES must be a whole number")]
    [InlineData(new[] { "check", "--window", "60", "hourly" }, "'hourly' must be HOST:SCRIPT")]
    [InlineData(new[] { "check", "--window", "60" }, "at least one HOST:SCRIPT")]
    [InlineData(new[] { "check", "--window" }, "--window")]
    [InlineData(new[] { "check", "--tag", "" }, "--tag")]
    public void Check_answers_bad_arguments_unknown_exit_3_on_stdout(string[] args, string expected)
    {
        RecordHourly("hourly", 1);
        var before = File.ReadAllBytes(_sandbox.Database);

        var result = _sandbox.Run(args);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.StartsWith("SCRIPTMON UNKNOWN - ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(expected, result.Stdout, StringComparison.Ordinal);
        Assert.Single(result.Stdout.TrimEnd('\n').Split('\n'));
        Assert.Equal(before, File.ReadAllBytes(_sandbox.Database));
    }

    [Fact]
    public void Check_without_a_store_is_unknown_and_creates_none()
    {
        var result = _sandbox.Run("check");

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith("SCRIPTMON UNKNOWN - no runs recorded yet", result.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(_sandbox.Database));
    }

    [Fact]
    public void Check_window_is_ok_when_each_pair_completed_a_success_on_its_host_in_the_window()
    {
        Record("backup:full", "-50m", "-40m", "db1");
        Record("report", "-20m", "-10m", "db2");

        var result = _sandbox.Run("check", "--window", "60", "db1:backup:full", "db2:report");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("SCRIPTMON OK - all 2 scripts ran in the last 60 minutes |", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_window_is_critical_with_the_original_message_for_a_pair_that_did_not_run()
    {
        Record("report", "-3h", "-2h", "db1");
        Record("report", "-20m", "-10m", "db2");

        var result = _sandbox.Run("check", "--window", "60", "db1:report", "db2:report", "db3:report");

        Assert.True(result.ExitCode == 2, result.ToString());
        var lines = result.Stdout.TrimEnd('\n').Split('\n');
        Assert.StartsWith("SCRIPTMON CRITICAL - The script 'report' didn't run on 'db1' between ", lines[0], StringComparison.Ordinal);
        Assert.Contains("(and 1 more) | checked=3;;;0 failed=2;;;0", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^The script 'report' didn't run on 'db1' between \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?\+00:00 and \S+ \S+ \(last seen \S+ \S+\)$", lines[1]);
        Assert.Matches(@"^The script 'report' didn't run on 'db3' between \S+ \S+ and \S+ \S+$", lines[2]);
    }

    [Fact]
    public void Status_shows_the_health_and_first_reason_in_the_table_and_json_alike()
    {
        RecordHourly("hourly");
        Record("stale", "-5h", "-5h");
        Assert.Equal(0, _sandbox.Run("expect", "stale", "--every", "1h", "--grace", "10m").ExitCode);
        Assert.Equal(0, _sandbox.Run("expect", "fresh", "--every", "1d").ExitCode);

        var text = _sandbox.Run("status");
        var json = _sandbox.Run("status", "--json").Json().GetProperty("scripts");

        Assert.True(text.ExitCode == 0, text.ToString());
        var lines = text.Stdout.TrimEnd('\n').Split('\n');
        Assert.Contains("HEALTH", lines[0], StringComparison.Ordinal);
        Assert.Contains("REASON", lines[0], StringComparison.Ordinal);
        Assert.Equal(3, json.GetArrayLength());
        foreach (var script in json.EnumerateArray())
        {
            var line = Assert.Single(lines, l => l.StartsWith(script.GetProperty("name").GetString() + " ", StringComparison.Ordinal));
            Assert.Contains(script.GetProperty("health").GetString()!, line, StringComparison.Ordinal);
            Assert.EndsWith(script.GetProperty("reason").GetString()!, line, StringComparison.Ordinal);
        }

        Assert.Equal("NeverRan", json[0].GetProperty("health").GetString());
        Assert.Equal("Up", json[1].GetProperty("health").GetString());
        Assert.Contains(json[2].GetProperty("health").GetString(), new[] { "Late", "Missing" });
        Assert.Contains("expected every 1h with 10m grace", json[2].GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("expect", "x", "--show")]
    [InlineData("expect", "x", "--every", "1h")]
    [InlineData("check")]
    public void A_store_that_cannot_be_used_is_exit_3_with_one_line(params string[] args)
    {
        var result = _sandbox.Run([.. args, "--database", "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=1"]);

        Assert.True(result.ExitCode == 3, result.ToString());
        var message = args[0] == "check" ? result.Stdout : result.Stderr;
        Assert.Single(message.TrimEnd('\n').Split('\n'));
    }
}

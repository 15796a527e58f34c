using ScriptMonitor.Health;
using static ScriptMonitor.Tests.Health.History;

namespace ScriptMonitor.Tests.Health;

public sealed class NagiosCheckTests
{
    private static readonly DateTimeOffset Now = Utc(2026, 3, 2, 12, 0);

    private static ScriptHealth Health(string name, HealthState state, string reason, HistoryRun? lastSuccess = null) =>
        new(name, state, [new HealthReason(state, null, reason)], [], Now) { LastSuccess = lastSuccess };

    [Theory]
    [InlineData(HealthState.Up, 0)]
    [InlineData(HealthState.Paused, 0)]
    [InlineData(HealthState.Learning, 0)]
    [InlineData(HealthState.TooOften, 1)]
    [InlineData(HealthState.TooRare, 1)]
    [InlineData(HealthState.RuntimeTooShort, 1)]
    [InlineData(HealthState.RuntimeTooLong, 1)]
    [InlineData(HealthState.NeverRan, 1)]
    [InlineData(HealthState.RunningTooLong, 2)]
    [InlineData(HealthState.Late, 2)]
    [InlineData(HealthState.Missing, 2)]
    [InlineData(HealthState.Failing, 2)]
    [InlineData(HealthState.FutureRun, 1)]
    [InlineData(HealthState.Unknown, 3)]
    public void Each_state_exits_with_its_default_status(HealthState state, int exitCode)
    {
        var report = NagiosFormat.Format([Health("backup", state, "because")], CheckPolicy.Default, Now);

        Assert.Equal(exitCode, report.ExitCode);
    }

    [Fact]
    public void The_output_is_a_status_line_details_and_performance_data()
    {
        var scripts = new[]
        {
            Health("report", HealthState.Up, "last successful run on db1 started 2026-03-02 11:30:00+00:00", Ok(Utc(2026, 3, 2, 11, 30), TimeSpan.FromSeconds(62))),
            Health("backup", HealthState.Late, "no successful run since 2026-03-02 10:45:00+00:00, expected every 1h with 10m grace", Ok(Utc(2026, 3, 2, 10, 45))),
            Health("import", HealthState.TooRare, "2 runs started between A and B, but every 1h means 6"),
        };

        var report = NagiosFormat.Format(scripts, CheckPolicy.Default, Now);

        Assert.Equal(2, report.ExitCode);
        Assert.Equal(
            """
            SCRIPTMON CRITICAL - 1 critical, 1 warning, 1 ok of 3 scripts: backup Late: no successful run since 2026-03-02 10:45:00+00:00, expected every 1h with 10m grace | scripts=3;;;0 ok=1;;;0 warning=1;;;0 critical=1;;;0 unknown=0;;;0
            backup: CRITICAL Late: no successful run since 2026-03-02 10:45:00+00:00, expected every 1h with 10m grace
            import: WARNING TooRare: 2 runs started between A and B, but every 1h means 6
            report: OK Up: last successful run on db1 started 2026-03-02 11:30:00+00:00
            | 'backup_age'=4500s;;;0 'backup_runtime'=60s;;;0 'report_age'=1800s;;;0 'report_runtime'=62s;;;0

            """,
            report.Text);
    }

    [Fact]
    public void All_up_is_ok_with_the_count()
    {
        var report = NagiosFormat.Format([Health("report", HealthState.Up, "fine")], CheckPolicy.Default, Now);

        Assert.Equal(0, report.ExitCode);
        Assert.StartsWith("SCRIPTMON OK - 0 critical, 0 warning, 1 ok of 1 script | ", report.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_script_that_cannot_be_evaluated_is_unknown_for_itself_and_the_others_are_reported_as_usual()
    {
        var scripts = new[]
        {
            Health("report", HealthState.Up, "fine"),
            Health("broken", HealthState.Unknown, "the health of broken cannot be evaluated: its stored expectation cannot be read"),
        };

        var report = NagiosFormat.Format(scripts, CheckPolicy.Default, Now);

        Assert.Equal(3, report.ExitCode);
        Assert.StartsWith("SCRIPTMON UNKNOWN - 0 critical, 0 warning, 1 unknown, 1 ok of 2 scripts: broken Unknown: the health of broken cannot be evaluated", report.Text, StringComparison.Ordinal);
        Assert.Contains("\nreport: OK Up: fine\n", report.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_critical_script_outweighs_one_that_cannot_be_evaluated()
    {
        var scripts = new[]
        {
            Health("broken", HealthState.Unknown, "cannot be evaluated"),
            Health("backup", HealthState.Late, "late"),
        };

        var report = NagiosFormat.Format(scripts, CheckPolicy.Default, Now);

        Assert.Equal(2, report.ExitCode);
        Assert.StartsWith("SCRIPTMON CRITICAL - 1 critical, 0 warning, 1 unknown, 0 ok of 2 scripts: backup Late: late", report.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void No_script_to_check_is_unknown()
    {
        var report = NagiosFormat.Format([], CheckPolicy.Default, Now);

        Assert.Equal(3, report.ExitCode);
        Assert.Equal("SCRIPTMON UNKNOWN - no script matched", report.Text);
    }

    [Fact]
    public void A_pipe_in_a_name_cannot_start_performance_data_early()
    {
        var report = NagiosFormat.Format([Health("a|b", HealthState.Late, "x|y")], CheckPolicy.Default, Now);

        Assert.Single(report.Text.Split('\n')[0].Split('|').Skip(1));
    }

    [Fact]
    public void The_policy_moves_named_states_and_keeps_the_rest()
    {
        var policy = CheckPolicy.Parse("late=warning, TooRare=CRITICAL,learning=unknown");

        Assert.Equal(CheckStatus.Warning, policy.StatusOf(HealthState.Late));
        Assert.Equal(CheckStatus.Critical, policy.StatusOf(HealthState.TooRare));
        Assert.Equal(CheckStatus.Unknown, policy.StatusOf(HealthState.Learning));
        Assert.Equal(CheckStatus.Critical, policy.StatusOf(HealthState.Failing));
        Assert.Equal(1, NagiosFormat.Format([Health("backup", HealthState.Late, "late")], policy, Now).ExitCode);
    }

    [Theory]
    [InlineData("late", "must be STATE=STATUS")]
    [InlineData("sleepy=warning", "'sleepy' is not a state")]
    [InlineData("late=bad", "'bad' is not a status")]
    [InlineData("9=warning", "'9' is not a state")]
    [InlineData("late=1", "'1' is not a status")]
    public void A_bad_policy_says_what_is_wrong(string pairs, string message)
    {
        var error = Assert.Throws<FormatException>(() => CheckPolicy.Parse(pairs));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("db1:backup", "db1", "backup")]
    [InlineData("db1.example.com:nightly-backup", "db1.example.com", "nightly-backup")]
    [InlineData("db1:backup:full", "db1", "backup:full")]
    public void Host_and_script_split_at_the_first_colon(string text, string host, string script)
    {
        Assert.True(HostScript.TryParse(text, out var pair, out _));
        Assert.Equal(new HostScript(host, script), pair);
    }

    [Theory]
    [InlineData("backup")]
    [InlineData(":backup")]
    [InlineData("db1:")]
    [InlineData("db1: backup")]
    public void A_pair_without_host_or_script_is_refused(string text)
    {
        Assert.False(HostScript.TryParse(text, out _, out var error));
        Assert.StartsWith($"'{text}' must be HOST:SCRIPT", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_window_check_is_ok_when_every_pair_completed_in_the_window()
    {
        var results = new (HostScript, DateTimeOffset?)[] { (new("db1", "backup"), Now.AddMinutes(-59)), (new("db2", "backup"), Now.AddMinutes(-1)) };

        var report = WindowCheck.Report(results, Now, TimeSpan.FromMinutes(60));

        Assert.Equal(0, report.ExitCode);
        Assert.Equal("SCRIPTMON OK - all 2 scripts ran in the last 60 minutes | checked=2;;;0 failed=0;;;0\n", report.Text);
    }

    [Fact]
    public void The_window_check_names_each_pair_that_did_not_run_with_when_it_was_last_seen()
    {
        var results = new (HostScript, DateTimeOffset?)[]
        {
            (new("db1", "backup"), Utc(2026, 3, 2, 9, 58)),
            (new("db2", "backup"), null),
            (new("db3", "backup"), Now.AddMinutes(-5)),
        };

        var report = WindowCheck.Report(results, Now, TimeSpan.FromMinutes(60));

        Assert.Equal(2, report.ExitCode);
        Assert.Equal(
            """
            SCRIPTMON CRITICAL - The script 'backup' didn't run on 'db1' between 2026-03-02 11:00:00+00:00 and 2026-03-02 12:00:00+00:00 (last seen 2026-03-02 09:58:00+00:00) (and 1 more) | checked=3;;;0 failed=2;;;0
            The script 'backup' didn't run on 'db1' between 2026-03-02 11:00:00+00:00 and 2026-03-02 12:00:00+00:00 (last seen 2026-03-02 09:58:00+00:00)
            The script 'backup' didn't run on 'db2' between 2026-03-02 11:00:00+00:00 and 2026-03-02 12:00:00+00:00

            """,
            report.Text);
    }

    [Theory]
    [InlineData("0", new[] { "db1:backup" }, "MINUTES must be a whole number")]
    [InlineData("ten", new[] { "db1:backup" }, "MINUTES must be a whole number")]
    [InlineData("-5", new[] { "db1:backup" }, "MINUTES must be a whole number")]
    [InlineData("60", new string[0], "at least one HOST:SCRIPT must be given")]
    [InlineData("60", new[] { "db1:backup", "backup" }, "'backup' must be HOST:SCRIPT")]
    public void Bad_window_arguments_are_refused_with_the_reason(string minutes, string[] pairs, string message)
    {
        Assert.False(WindowCheck.TryParse(minutes, pairs, out _, out _, out var error));
        Assert.StartsWith(message, error, StringComparison.Ordinal);
        Assert.Equal(3, CheckReport.Unknown(error!).ExitCode);
    }

    [Fact]
    public async Task The_window_check_reads_the_last_success_on_each_host_from_the_store()
    {
        var directory = Directory.CreateTempSubdirectory("scriptmon-window-").FullName;
        try
        {
            var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now);
            await using var store = ScriptMonitor.Sqlite.SqliteScriptRunStore.Open(Path.Combine(directory, "runs.db"), new ScriptMonitor.Sqlite.SqliteStoreOptions { TimeProvider = clock });
            await store.RecordSuccessAsync("backup", Now.AddMinutes(-20), Now.AddMinutes(-10), "db1");
            await store.RecordSuccessAsync("backup", Now.AddHours(-3), Now.AddHours(-3).AddMinutes(2), "db2");
            await store.RecordFailureAsync("backup", Now.AddMinutes(-20), Now.AddMinutes(-10), hostname: "db2");
            Assert.True(WindowCheck.TryParse("30", ["db1:backup", "db2:backup"], out var window, out var pairs, out _));

            var report = await WindowCheck.RunAsync(store, pairs, window, clock.GetUtcNow());

            Assert.Equal(2, report.ExitCode);
            Assert.Equal(
                "The script 'backup' didn't run on 'db2' between 2026-03-02 11:30:00+00:00 and 2026-03-02 12:00:00+00:00 (last seen 2026-03-02 09:02:00+00:00)",
                report.Text.Split('\n')[1]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

using ScriptMonitor.Alerts;
using ScriptMonitor.Health;
using static ScriptMonitor.Tests.Health.History;

namespace ScriptMonitor.Tests.Health;

/// <summary>A script in an open maintenance window is in maintenance, a pause window pauses it, and after the window its real state shows.</summary>
public sealed class MaintenanceEvaluationTests
{
    /// <summary>Late at <see cref="History.Now"/>: the last success 75 minutes before, hourly with 10 minutes' grace.</summary>
    private static readonly HistoryRun[] LateRuns = [Ok(Now.AddMinutes(-75))];

    private static readonly ScriptExpectation Tagged = Hourly with { Tags = ["ops"] };

    /// <summary>Open from 11:00 to 13:00 UTC (14:00 in Berlin, winter time) on the day of <see cref="History.Now"/>.</summary>
    private static readonly MaintenanceWindow Deploy = new("deploy") { ScriptName = Script, StartsAt = Now.AddHours(-1), Duration = TimeSpan.FromHours(2), TimeZone = "Europe/Berlin" };

    private static ScriptHealth Evaluate(ScriptExpectation? expectation, IEnumerable<HistoryRun> runs, DateTimeOffset now, params MaintenanceWindow[] windows) =>
        HealthEvaluator.Evaluate(
            HealthMonitor.WithWindows(new ScriptSnapshot(Script, expectation, ScriptHistory.FromRuns(runs)), windows),
            now);

    [Fact]
    public void A_late_script_in_an_open_window_is_in_maintenance_until_the_window_closes()
    {
        var health = Evaluate(Hourly, LateRuns, Now, Deploy);

        Assert.Equal(HealthState.Maintenance, health.State);
        Assert.Equal("nightly-backup is in maintenance window deploy until 2026-03-02 14:00:00+01:00 (Europe/Berlin)", health.Summary);
        var facts = Assert.Single(health.Reasons).Facts;
        Assert.Equal(("deploy", Now.AddHours(1)), (facts.WindowName, facts.WindowEndsAt));
        Assert.Equal(Now.AddMinutes(-75), facts.LastSuccessAt);
        Assert.Equal(Now.AddHours(1), health.WindowChangeAt);
        Assert.Equal(CheckStatus.Ok, CheckPolicy.Default.StatusOf(health.State));
    }

    [Fact]
    public void When_the_window_closes_the_real_state_shows_again()
    {
        var closed = Now.AddHours(1);

        var health = Evaluate(Hourly, [Ok(closed.AddMinutes(-135))], closed, Deploy);

        Assert.Equal(HealthState.Late, health.State);
        Assert.Null(health.WindowChangeAt);
        Assert.Null(health.Reasons[0].Facts.WindowName);
    }

    [Fact]
    public void A_window_not_yet_open_leaves_the_state_and_says_when_it_opens()
    {
        var health = Evaluate(Hourly, LateRuns, Now.AddHours(-2), Deploy);

        Assert.NotEqual(HealthState.Maintenance, health.State);
        Assert.Equal(Now.AddHours(-1), health.WindowChangeAt);
    }

    [Fact]
    public void A_tag_window_holds_the_scripts_with_the_tag_and_no_others()
    {
        var forOps = Deploy with { ScriptName = null, Tag = "ops" };

        Assert.Equal(HealthState.Maintenance, Evaluate(Tagged, LateRuns, Now, forOps).State);
        Assert.Equal("nightly-backup is in maintenance window deploy of tag ops until 2026-03-02 14:00:00+01:00 (Europe/Berlin)", Evaluate(Tagged, LateRuns, Now, forOps).Summary);
        Assert.Equal(HealthState.Late, Evaluate(Hourly, LateRuns, Now, forOps).State);
        Assert.Equal(HealthState.Late, Evaluate(Hourly, LateRuns, Now, Deploy with { ScriptName = "other" }).State);
    }

    [Fact]
    public void A_pause_window_of_a_tag_pauses_the_script_until_it_is_removed()
    {
        var pause = new MaintenanceWindow("pause-tag-ops") { Tag = "ops", StartsAt = Now.AddDays(-1) };

        var health = Evaluate(Tagged, LateRuns, Now, pause, Deploy);

        Assert.Equal(HealthState.Paused, health.State);
        Assert.Equal("alerts for nightly-backup are paused by maintenance window pause-tag-ops of tag ops until it is removed", health.Summary);
        Assert.Equal("pause-tag-ops", health.Reasons[0].Facts.WindowName);
        Assert.Null(health.Reasons[0].Facts.WindowEndsAt);
    }

    [Fact]
    public void The_scripts_own_pause_still_wins()
    {
        var health = Evaluate(Hourly with { Paused = true }, LateRuns, Now, Deploy);

        Assert.Equal(HealthState.Paused, health.State);
        Assert.Equal("alerts for nightly-backup are paused until the pause is lifted", health.Summary);
    }

    [Fact]
    public void Of_several_open_windows_the_one_that_closes_last_is_named()
    {
        var longer = Deploy with { Name = "migration", Duration = TimeSpan.FromHours(5) };

        var health = Evaluate(Hourly, LateRuns, Now, Deploy, longer);

        Assert.Equal("migration", health.Reasons[0].Facts.WindowName);
        Assert.Equal(Now.AddHours(1), health.WindowChangeAt);
    }

    [Fact]
    public void A_script_that_never_ran_is_in_maintenance_too()
    {
        Assert.Equal(HealthState.Maintenance, Evaluate(Hourly, [], Now, Deploy).State);
    }

    [Fact]
    public void A_window_that_cannot_be_read_makes_only_its_script_unknown()
    {
        var unreadable = Deploy with { TimeZone = "Mars/Olympus_Mons" };

        var health = Evaluate(Hourly, LateRuns, Now, unreadable);

        Assert.Equal(HealthState.Unknown, health.State);
        Assert.Contains("maintenance window deploy cannot be read", health.Summary, StringComparison.Ordinal);
    }
}

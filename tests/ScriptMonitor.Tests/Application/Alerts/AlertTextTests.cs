using ScriptMonitor.Alerts;
using ScriptMonitor.Application.Alerts;
using ScriptMonitor.Health;

namespace ScriptMonitor.Tests.Application.Alerts;

public sealed class AlertTextTests
{
    [Fact]
    public void A_late_script_is_told_with_its_due_time_in_its_zone_and_the_age_of_its_last_success()
    {
        var late = AlertEvents.Late();

        Assert.Equal("nightly-backup on db1 is late: due 03:30 +01:00 Europe/Berlin, last success 1d 1h ago", late.Summary);
    }

    [Fact]
    public void A_recovery_says_how_long_the_script_was_down()
    {
        Assert.Equal("nightly-backup is up again after 1h 35m down", AlertEvents.Recovery().Summary);
    }

    [Fact]
    public void A_due_time_on_another_day_than_the_change_carries_its_date()
    {
        var facts = new HealthFacts { DueAt = new DateTimeOffset(2026, 12, 5, 23, 0, 0, TimeSpan.Zero) };

        var summary = AlertText.Summary(NotificationKind.Down, "weekly", HealthState.Missing, facts with { ObservedCount = 2 }, null, AlertEvents.At, "America/New_York", null);

        Assert.Equal("weekly is missing: due 2026-12-05 18:00 -05:00 America/New_York, 2 runs missed, no success yet", summary);
    }

    [Fact]
    public void A_failing_script_is_told_with_its_failures_and_exit_code()
    {
        var facts = new HealthFacts { ObservedCount = 3, LimitCount = 1, ExitCode = 2 };

        var summary = AlertText.Summary(NotificationKind.Repeat, "sync", HealthState.Failing, facts, null, AlertEvents.At, "UTC", null);

        Assert.Equal("sync is still failing: 3 failures in a row, 1 tolerated, exit code 2", summary);
    }

    [Fact]
    public void The_plain_text_and_html_carry_the_exit_code_the_output_tail_the_link_and_the_event()
    {
        var late = AlertEvents.Late();

        var plain = AlertText.Plain(late);
        var html = AlertText.Html(late);

        Assert.StartsWith(late.Summary + "\n\n", plain, StringComparison.Ordinal);
        Assert.Contains("Exit code: 3\n", plain, StringComparison.Ordinal);
        Assert.Contains("Link: https://monitor.example/scripts/nightly-backup\n", plain, StringComparison.Ordinal);
        Assert.Contains($"Event: {late.EventId:D}\n", plain, StringComparison.Ordinal);
        Assert.Contains("error: \"disk\" full", plain, StringComparison.Ordinal);
        Assert.Contains("At: 2026-12-07 03:35 +01:00 Europe/Berlin (2026-12-07T02:35:00+00:00)", plain, StringComparison.Ordinal);
        Assert.Contains("error: &quot;disk&quot; full", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://monitor.example/scripts/nightly-backup\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_event_round_trips_through_its_json()
    {
        var late = AlertEvents.Late();

        var json = AlertJson.Serialize(late);
        var back = AlertJson.Deserialize(json);

        Assert.Contains("\"state\":\"Late\"", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"Down\"", json, StringComparison.Ordinal);
        Assert.Equal(late with { Tags = back.Tags }, back);
        Assert.Equal(late.Tags, back.Tags);
    }
}

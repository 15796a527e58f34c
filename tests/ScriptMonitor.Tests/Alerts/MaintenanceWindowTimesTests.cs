using ScriptMonitor.Alerts;

namespace ScriptMonitor.Tests.Alerts;

/// <summary>When a window is open, when it closes and when it next changes: cron windows across clock changes, intervals, once, pauses.</summary>
public sealed class MaintenanceWindowTimesTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    /// <summary>02:30 in Berlin, for an hour: a time the spring change skips and the autumn change repeats.</summary>
    private static readonly MaintenanceWindow Berlin = new("nightly") { ScriptName = "backup", Cron = "30 2 * * *", Duration = Hour, TimeZone = "Europe/Berlin" };

    public static TheoryData<string, DateTimeOffset, bool, DateTimeOffset?> BerlinCases => new()
    {
        // 2026-03-28, winter time (+01:00): 02:30 is 01:30 UTC.
        { "before the opening", Utc(2026, 3, 28, 1, 29), false, null },
        { "at the opening", Utc(2026, 3, 28, 1, 30), true, Utc(2026, 3, 28, 2, 30) },
        { "at the end, which is not in it", Utc(2026, 3, 28, 2, 30), false, null },

        // 2026-03-29: the clock goes from 02:00 to 03:00, so 02:30 never comes; cron runs the job right after the change.
        { "right after the spring change", Utc(2026, 3, 29, 1, 0), true, Utc(2026, 3, 29, 2, 0) },
        { "the skipped time's UTC instant a day on", Utc(2026, 3, 29, 1, 30), true, Utc(2026, 3, 29, 2, 0) },
        { "summer time (+02:00): 02:30 is 00:30 UTC", Utc(2026, 3, 30, 0, 45), true, Utc(2026, 3, 30, 1, 30) },

        // 2026-10-25: the clock goes from 03:00 back to 02:00, so 02:30 comes twice; a fixed-time job runs in the first pass only.
        { "the first 02:30", Utc(2026, 10, 25, 0, 30), true, Utc(2026, 10, 25, 1, 30) },
        { "the second 02:30", Utc(2026, 10, 25, 1, 30), false, null },
        { "winter time again", Utc(2026, 10, 26, 2, 0), true, Utc(2026, 10, 26, 2, 30) },
    };

    [Theory]
    [MemberData(nameof(BerlinCases))]
    public void A_cron_window_opens_as_cron_runs_its_job_in_the_zone(string why, DateTimeOffset at, bool open, DateTimeOffset? closes)
    {
        Assert.True(open == Berlin.IsOpenAt(at), why);
        Assert.Equal(closes, Berlin.ClosesAt(at));
    }

    [Fact]
    public void A_cron_window_prints_its_end_in_its_zone_with_the_offset_in_force_then()
    {
        Assert.Equal("2026-03-29 04:00:00+02:00 (Europe/Berlin)", Berlin.FormatInZone(Berlin.ClosesAt(Utc(2026, 3, 29, 1, 15))!.Value));
        Assert.Equal("2026-10-25 02:30:00+01:00 (Europe/Berlin)", Berlin.FormatInZone(Berlin.ClosesAt(Utc(2026, 10, 25, 1, 0))!.Value));
    }

    [Fact]
    public void The_next_change_of_a_cron_window_is_its_end_while_open_and_its_next_opening_while_closed()
    {
        Assert.Equal(Utc(2026, 3, 29, 1, 0), Berlin.NextChangeAfter(Utc(2026, 3, 28, 12, 0)));
        Assert.Equal(Utc(2026, 3, 29, 2, 0), Berlin.NextChangeAfter(Utc(2026, 3, 29, 1, 0)));
        Assert.Equal(Utc(2026, 3, 30, 0, 30), Berlin.NextChangeAfter(Utc(2026, 3, 29, 2, 0)));

        // The repeated 02:30 of the autumn change opens nothing: the next opening is the next night's.
        Assert.Equal(Utc(2026, 10, 26, 1, 30), Berlin.NextOpeningAfter(Utc(2026, 10, 25, 0, 30)));
    }

    [Fact]
    public void Overlapping_and_touching_cron_openings_run_together()
    {
        var touching = new MaintenanceWindow("hourly") { Tag = "ops", Cron = "0 * * * *", Duration = Hour };
        var at = Utc(2026, 3, 2, 12, 30);

        Assert.True(touching.IsOpenAt(at));
        Assert.True(touching.IsOpenAt(Utc(2026, 3, 2, 13, 0)));
        Assert.Equal(Utc(2026, 3, 2, 12, 0) + (Hour * MaintenanceWindow.MaxJoinedOpenings), touching.ClosesAt(at));

        var overlapping = new MaintenanceWindow("deploys") { Tag = "ops", Cron = "0 9,10 * * *", Duration = TimeSpan.FromMinutes(90) };
        Assert.Equal(Utc(2026, 3, 2, 11, 30), overlapping.ClosesAt(Utc(2026, 3, 2, 9, 15)));
        Assert.Equal(Utc(2026, 3, 2, 11, 30), overlapping.ClosesAt(Utc(2026, 3, 2, 10, 45)));
        Assert.False(overlapping.IsOpenAt(Utc(2026, 3, 2, 11, 30)));
    }

    [Fact]
    public void An_interval_window_opens_every_interval_of_elapsed_time_from_its_start()
    {
        // 23:00 in Berlin on the day before the spring change; a day of elapsed time later it is midnight there.
        var daily = new MaintenanceWindow("patching") { Tag = "db", StartsAt = Utc(2026, 3, 28, 22, 0), Every = TimeSpan.FromDays(1), Duration = TimeSpan.FromHours(2), TimeZone = "Europe/Berlin" };

        Assert.False(daily.IsOpenAt(Utc(2026, 3, 28, 21, 59)));
        Assert.Equal(Utc(2026, 3, 28, 22, 0), daily.NextChangeAfter(Utc(2026, 3, 28, 21, 59)));
        Assert.Equal(Utc(2026, 3, 30, 0, 0), daily.ClosesAt(Utc(2026, 3, 29, 23, 0)));
        Assert.Equal("2026-03-30 02:00:00+02:00 (Europe/Berlin)", daily.FormatInZone(daily.ClosesAt(Utc(2026, 3, 29, 23, 0))!.Value));
        Assert.False(daily.IsOpenAt(Utc(2026, 3, 30, 0, 0)));
        Assert.Equal(Utc(2026, 3, 30, 22, 0), daily.NextChangeAfter(Utc(2026, 3, 30, 0, 0)));
        Assert.Equal(Utc(2026, 4, 30, 22, 0), daily.NextOpeningAfter(Utc(2026, 4, 30, 21, 0)));
        Assert.Equal(Utc(2026, 5, 1, 22, 0), daily.NextOpeningAfter(Utc(2026, 4, 30, 22, 0)));
    }

    [Fact]
    public void A_window_that_opens_once_closes_for_good()
    {
        var once = new MaintenanceWindow("migration") { ScriptName = "backup", StartsAt = Utc(2026, 3, 2, 22, 0), Duration = TimeSpan.FromHours(3) };

        Assert.Equal(Utc(2026, 3, 2, 22, 0), once.NextChangeAfter(Utc(2026, 3, 1, 0, 0)));
        Assert.True(once.IsOpenAt(Utc(2026, 3, 2, 22, 0)));
        Assert.Equal(Utc(2026, 3, 3, 1, 0), once.NextChangeAfter(Utc(2026, 3, 2, 23, 0)));
        Assert.False(once.IsOpenAt(Utc(2026, 3, 3, 1, 0)));
        Assert.Null(once.NextChangeAfter(Utc(2026, 3, 3, 1, 0)));
    }

    [Fact]
    public void A_pause_is_open_from_its_start_until_it_is_removed()
    {
        var pause = new MaintenanceWindow("pause-tag-ops") { Tag = "ops", StartsAt = Utc(2026, 3, 2, 12, 0) };

        Assert.True(pause.IsPause);
        Assert.False(pause.IsOpenAt(Utc(2026, 3, 2, 11, 59)));
        Assert.Equal(Utc(2026, 3, 2, 12, 0), pause.NextChangeAfter(Utc(2026, 3, 2, 11, 59)));
        Assert.True(pause.IsOpenAt(Utc(2036, 3, 2, 12, 0)));
        Assert.Null(pause.ClosesAt(Utc(2026, 3, 2, 12, 0)));
        Assert.Null(pause.NextChangeAfter(Utc(2026, 3, 2, 12, 0)));
    }

    [Fact]
    public void A_window_applies_to_its_script_or_to_the_scripts_with_its_tag()
    {
        var forScript = new MaintenanceWindow("w") { ScriptName = "backup", StartsAt = Utc(2026, 3, 2, 12, 0) };
        var forTag = new MaintenanceWindow("w") { Tag = "ops", StartsAt = Utc(2026, 3, 2, 12, 0) };

        Assert.True(forScript.AppliesTo("backup", []));
        Assert.False(forScript.AppliesTo("backup2", ["ops"]));
        Assert.True(forTag.AppliesTo("anything", ["db", "ops"]));
        Assert.False(forTag.AppliesTo("backup", ["Ops"]));
    }
}

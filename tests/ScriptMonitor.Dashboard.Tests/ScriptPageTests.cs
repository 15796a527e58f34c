using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using ScriptMonitor.Dashboard.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace ScriptMonitor.Dashboard.Tests;

/// <summary>A script's page in a real browser, against a real server on a seeded store.</summary>
public sealed class ScriptPageTests(DashboardServer dashboard) : IClassFixture<DashboardServer>
{
    [Fact]
    public async Task The_chart_has_a_point_per_run_in_range_and_the_expected_band()
    {
        var page = await dashboard.OpenAsync(dashboard.Read, "backup");
        var chart = page.Locator("#chart");
        await Expect(chart).ToHaveAttributeAsync("data-points", dashboard.BackupRunCount.ToString(CultureInfo.InvariantCulture));

        Assert.Equal("30-120", await chart.GetAttributeAsync("data-band"));
        Assert.NotEqual("0", await chart.GetAttributeAsync("data-due"));
        Assert.Contains($"{dashboard.BackupRunCount} runs", await page.Locator("#chart-summary").TextContentAsync(), StringComparison.Ordinal);

        // The last 24 hours hold the runs of the last 24 hours only.
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "24 h" }).ClickAsync();
        await Expect(chart).ToHaveAttributeAsync("data-points", "24");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_runs_output_opens_on_demand()
    {
        var page = await dashboard.OpenAsync(dashboard.Read, "backup");
        var failedRow = page.Locator("#runs tbody tr").Filter(new LocatorFilterOptions { HasText = "failed" });
        await Expect(failedRow).ToHaveCountAsync(1);
        await Expect(page.Locator("#output-panel")).ToBeHiddenAsync();

        await failedRow.GetByRole(AriaRole.Button).ClickAsync();

        await Expect(page.Locator("#output")).ToHaveTextAsync("tar: disk full\n");
        await Expect(page.Locator("#output")).ToBeFocusedAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Pause_with_an_admin_key_changes_the_state_and_resume_lifts_it()
    {
        var page = await dashboard.OpenAsync(dashboard.Admin, "pausable");
        await Expect(page.Locator("#script-health")).ToHaveTextAsync("Up");

        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Pause alerting" }).ClickAsync();
        await Expect(page.Locator("#script-health")).ToHaveTextAsync("Paused");
        await Expect(page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Resume alerting" })).ToBeFocusedAsync();

        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Resume alerting" }).ClickAsync();
        await Expect(page.Locator("#script-health")).ToHaveTextAsync("Up");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task With_a_read_key_there_is_no_pause_or_resume_control()
    {
        var page = await dashboard.OpenAsync(dashboard.Read, "healthy");
        await Expect(page.Locator("#script-health")).ToHaveTextAsync("Up");
        await Expect(page.Locator("#who")).ToContainTextAsync("read");

        await Expect(page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Pause alerting" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Resume alerting" })).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Output_and_a_name_that_are_markup_are_shown_as_text_and_run_nothing()
    {
        var page = await dashboard.OpenAsync(dashboard.Read, DashboardServer.HostileName);
        await Expect(page.Locator("#script-title")).ToHaveTextAsync(DashboardServer.HostileName);
        await Expect(page.Locator("#runs tbody tr")).ToHaveCountAsync(1);

        await page.Locator("#runs tbody tr").GetByRole(AriaRole.Button).ClickAsync();

        await Expect(page.Locator("#output")).ToHaveTextAsync(DashboardServer.HostileOutput);
        await Expect(page.Locator("#runs tbody td").Nth(1)).ToHaveTextAsync("<i>evil-host</i>");
        Assert.Equal(0, await page.Locator("main script, main img, main b, main i").CountAsync());
        await page.Locator("#output").HoverAsync();
        Assert.Null(await PageChecks.PwnedAsync(page));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Times_switch_to_utc()
    {
        var context = await dashboard.Browser.NewContextAsync(new BrowserNewContextOptions { TimezoneId = "Asia/Tokyo" });
        var page = await context.NewPageAsync();
        await page.GotoAsync(dashboard.Url("backup"));
        await page.GetByLabel("API key").FillAsync(dashboard.Read);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Use key" }).ClickAsync();
        var firstStart = page.Locator("#runs tbody tr").First.Locator("td").First;
        await Expect(firstStart).ToContainTextAsync("GMT+9");

        await page.GetByLabel("Times in").SelectOptionAsync("utc");

        await Expect(firstStart).ToContainTextAsync("UTC");
        await context.CloseAsync();
    }

    [Fact]
    public async Task A_scripts_page_has_no_serious_accessibility_violation_and_is_photographed_light_and_dark()
    {
        var page = await dashboard.OpenAsync(dashboard.Admin, "backup");
        await Expect(page.Locator("#chart")).ToHaveAttributeAsync("data-points", dashboard.BackupRunCount.ToString(CultureInfo.InvariantCulture));
        await page.Locator("#runs tbody tr").First.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(page.Locator("#output-panel")).ToBeVisibleAsync();

        Assert.Empty(await PageChecks.SeriousAccessibilityViolationsAsync(page));
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Dark });
        Assert.Empty(await PageChecks.SeriousAccessibilityViolationsAsync(page));
        await PageChecks.ScreenshotsAsync(page, "script");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Cron_due_times_are_drawn_as_ticks_and_the_next_ones_listed_in_the_scripts_zone()
    {
        var page = await dashboard.OpenAsync(dashboard.Read, "rotate");
        var chart = page.Locator("#chart");
        await Expect(chart).ToHaveAttributeAsync("data-points", "7");

        // Every hour of the 7-day range (168 or 169 depending on where the range starts in the hour).
        var due = int.Parse((await chart.GetAttributeAsync("data-due"))!, CultureInfo.InvariantCulture);
        Assert.InRange(due, 168, 169);
        await Expect(page.Locator("#chart-summary")).ToContainTextAsync($"{due} due times");
        await Expect(page.Locator("#next-due-title")).ToContainTextAsync("Asia/Tokyo");
        await Expect(page.Locator("#next-due li")).ToHaveCountAsync(5);
        await Expect(page.Locator("#next-due li").First).ToContainTextAsync("GMT+9");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Keys_on_the_focused_chart_zoom_in_and_out_and_move_the_range()
    {
        var page = await dashboard.OpenAsync(dashboard.Read, "backup");
        var chart = page.Locator("#chart");
        await Expect(chart).ToHaveAttributeAsync("data-points", dashboard.BackupRunCount.ToString(CultureInfo.InvariantCulture));
        var before = await RangeAsync(chart);

        await chart.FocusAsync();
        var zoomed = await PressAsync(page, chart, "+");
        var moved = await PressAsync(page, chart, "ArrowLeft");
        var out_ = await PressAsync(page, chart, "-");

        await Expect(chart).ToBeFocusedAsync();
        Assert.Equal((before.To - before.From) / 2, zoomed.To - zoomed.From);
        Assert.True(zoomed.From > before.From && zoomed.To < before.To);
        Assert.Equal(zoomed.From - ((zoomed.To - zoomed.From) / 4), moved.From);
        Assert.Equal((moved.To - moved.From) * 2, out_.To - out_.From);
        await page.Context.CloseAsync();
    }

    /// <summary>Presses a key on the chart and reads the range drawn after it.</summary>
    private static async Task<(DateTimeOffset From, DateTimeOffset To)> PressAsync(IPage page, ILocator chart, string key)
    {
        var before = await chart.GetAttributeAsync("data-from");
        await page.Keyboard.PressAsync(key);
        // A range inside what was read is drawn at once; one reaching outside it is read first.
        await Expect(chart).Not.ToHaveAttributeAsync("data-from", before!);
        return await RangeAsync(chart);
    }

    private static async Task<(DateTimeOffset From, DateTimeOffset To)> RangeAsync(ILocator chart)
    {
        var from = DateTimeOffset.Parse((await chart.GetAttributeAsync("data-from"))!, CultureInfo.InvariantCulture);
        var to = DateTimeOffset.Parse((await chart.GetAttributeAsync("data-to"))!, CultureInfo.InvariantCulture);
        return (from, to);
    }

    [Fact]
    public async Task A_run_recorded_through_the_api_appears_on_the_scripts_page_within_5_seconds()
    {
        var page = await dashboard.OpenAsync(dashboard.Read, "livefeed");
        var chart = page.Locator("#chart");
        await Expect(chart).ToHaveAttributeAsync("data-points", "3");
        await Expect(page.Locator("#runs tbody tr")).ToHaveCountAsync(3);
        await Expect(page.Locator("#script-health")).ToHaveTextAsync("Up");

        await dashboard.PostRunAsync("livefeed", "app9", dashboard.Now.AddSeconds(-20), 7, "failed", "boom\n");

        var within5 = new LocatorAssertionsToHaveAttributeOptions { Timeout = 5000 };
        await Expect(chart).ToHaveAttributeAsync("data-points", "4", within5);
        await Expect(page.Locator("#runs tbody tr").First).ToContainTextAsync("app9");
        await Expect(page.Locator("#script-health")).ToHaveTextAsync("Failing");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_admin_edits_the_expectation_and_a_value_the_server_refuses_is_shown_at_its_field()
    {
        var page = await dashboard.OpenAsync(dashboard.Admin, "editable");
        var editor = page.Locator("#editor");
        await Expect(editor).ToBeVisibleAsync();

        await page.GetByLabel("Grace (seconds)").FillAsync("600");
        await page.GetByLabel("Maximum runtime (seconds)").FillAsync("90");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Save expectation" }).ClickAsync();
        await Expect(page.Locator("#editor-status")).ToHaveTextAsync("Saved.");
        await Expect(page.Locator("#expectation")).ToContainTextAsync("at most 90 s");
        var saved = await dashboard.ExpectationAsync("editable");
        Assert.Equal(600, saved.GetProperty("graceSeconds").GetDouble());
        Assert.Equal(90, saved.GetProperty("maxRuntimeSeconds").GetDouble());

        await page.GetByLabel("Minimum runtime (seconds)").FillAsync("120");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Save expectation" }).ClickAsync();

        await Expect(page.Locator("#err-minRuntimeSeconds")).ToContainTextAsync("must not be more than");
        await Expect(page.GetByLabel("Minimum runtime (seconds)")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#editor-status")).ToContainTextAsync("Not saved");
        var unchanged = await dashboard.ExpectationAsync("editable");
        Assert.Equal(JsonValueKind.Null, unchanged.GetProperty("minRuntimeSeconds").ValueKind);
        Assert.Equal(90, unchanged.GetProperty("maxRuntimeSeconds").GetDouble());
        Assert.Empty(await PageChecks.SeriousAccessibilityViolationsAsync(page));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_admin_sees_the_ping_addresses()
    {
        var page = await dashboard.OpenAsync(dashboard.Admin, "healthy");

        await Expect(page.Locator("#ping-section")).ToContainTextAsync("/hc/ping/");
        await Expect(page.Locator("#ping-section")).ToContainTextAsync("/uptime-kuma/api/push/");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task With_a_read_key_there_is_no_editor_and_no_ping_address()
    {
        var page = await dashboard.OpenAsync(dashboard.Read, "healthy");
        await Expect(page.Locator("#script-health")).ToHaveTextAsync("Up");
        await Expect(page.Locator("#next-due li")).ToHaveCountAsync(5);

        await Expect(page.Locator("#editor")).ToHaveCountAsync(0);
        await Expect(page.Locator("#ping-section")).ToHaveCountAsync(0);
        await Expect(page.GetByText("/hc/ping/")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }
}

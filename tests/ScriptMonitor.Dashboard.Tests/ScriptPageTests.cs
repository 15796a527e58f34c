using System.Globalization;
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
}

using Microsoft.Playwright;
using ScriptMonitor.Dashboard.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace ScriptMonitor.Dashboard.Tests;

/// <summary>The overview in a real browser, against a real server on a seeded store.</summary>
public sealed class OverviewTests(DashboardServer dashboard) : IClassFixture<DashboardServer>
{
    private static readonly PageGetByLabelOptions Exact = new() { Exact = true };

    private static ILocator Row(IPage page, string script) => page.Locator($"#scripts tbody tr[data-script=\"{script}\"]");

    private static ILocator Names(IPage page) => page.Locator("#scripts tbody td.name");

    private static async Task<List<string>> NamesAsync(IPage page) =>
        [.. await page.Locator("#scripts tbody td.name").AllTextContentsAsync()];

    [Fact]
    public async Task Every_script_is_listed_with_its_state_as_a_word_problems_first_and_counted()
    {
        var page = await dashboard.OpenAsync(dashboard.Read);
        await Expect(Row(page, "healthy")).ToBeVisibleAsync();

        var names = await NamesAsync(page);
        Assert.Superset(new HashSet<string>(["backup", "report", "cleanup", "healthy", "pausable", DashboardServer.HostileName]), new HashSet<string>(names));
        Assert.Equal("Up", (await Row(page, "healthy").Locator(".badge").TextContentAsync())?.Trim());
        Assert.Equal("Failing", (await Row(page, "backup").Locator(".badge").TextContentAsync())?.Trim());
        Assert.Contains("db1", await Row(page, "backup").Locator("td.hosts").TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("ago", await Row(page, "backup").Locator("td.last").TextContentAsync(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(await Row(page, "backup").Locator("td.reason").TextContentAsync()));
        // Problems first: every failing script comes before the one that is up.
        var healthyAt = names.IndexOf("healthy");
        Assert.True(names.IndexOf("backup") < healthyAt && names.IndexOf("report") < healthyAt, string.Join(", ", names));
        await Expect(page.Locator("#counts button[data-state=\"Failing\"]")).ToContainTextAsync("3");
        await Expect(page.Locator("#counts button[data-state=\"\"]")).ToContainTextAsync($"All {names.Count}");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Each_row_has_a_runtime_sparkline_and_its_next_due_time()
    {
        var page = await dashboard.OpenAsync(dashboard.Read);
        await Expect(Row(page, "healthy")).ToBeVisibleAsync();

        // healthy ran six times, 20 s each: one line through its six runtimes, described for screen readers.
        var spark = Row(page, "healthy").Locator("td.spark svg");
        await Expect(spark).ToHaveAttributeAsync("data-points", "6");
        await Expect(spark).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("last 6 runs"));
        Assert.Equal(1, await spark.Locator("path").CountAsync());
        // Hourly, last started ten minutes ago: due in about fifty minutes.
        await Expect(Row(page, "healthy").Locator("td.due")).ToContainTextAsync("in ");
        // cleanup never ran: an interval has nothing to count from, and there are no runtimes to draw.
        await Expect(Row(page, "cleanup").Locator("td.due")).ToHaveTextAsync("—");
        await Expect(Row(page, "cleanup").Locator("td.spark svg")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task State_tag_host_and_search_narrow_the_list()
    {
        var page = await dashboard.OpenAsync(dashboard.Read);
        await Expect(Row(page, "healthy")).ToBeVisibleAsync();

        await page.GetByLabel("State", Exact).SelectOptionAsync("Failing");
        // The server filters: the rows change when its answer is in.
        await Expect(Names(page)).ToHaveTextAsync([DashboardServer.HostileName, "backup", "report"]);
        await page.GetByLabel("State", Exact).SelectOptionAsync(string.Empty);

        await page.GetByLabel("Tag", Exact).SelectOptionAsync("nightly");
        await Expect(Names(page)).ToHaveTextAsync(["backup"]);
        await page.GetByLabel("Tag", Exact).SelectOptionAsync(string.Empty);

        await page.GetByLabel("Host", Exact).SelectOptionAsync("web1");
        await Expect(Names(page)).ToHaveTextAsync(["report"]);
        await page.GetByLabel("Host", Exact).SelectOptionAsync(string.Empty);

        await page.GetByLabel("Search", Exact).FillAsync("HEAL");
        await Expect(Names(page)).ToHaveTextAsync(["healthy"]);
        await page.GetByLabel("Search", Exact).FillAsync(string.Empty);

        await page.Locator("#counts button[data-state=\"Up\"]").ClickAsync();
        await Expect(Row(page, "backup")).ToHaveCountAsync(0);
        await Expect(Row(page, "healthy")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_run_recorded_through_the_api_appears_without_a_reload_within_5_seconds()
    {
        var page = await dashboard.OpenAsync(dashboard.Read);
        await Expect(Row(page, "healthy")).ToBeVisibleAsync();

        await dashboard.PostRunAsync("arrived-live", "app2", dashboard.Now.AddSeconds(-30), 4, "succeeded", "done\n");

        await Expect(Row(page, "arrived-live")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 5000 });
        await Expect(Row(page, "arrived-live").Locator("td.hosts")).ToHaveTextAsync("app2");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_name_that_is_markup_is_shown_as_text_and_runs_nothing_under_a_policy_without_inline_script()
    {
        var context = await dashboard.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(dashboard.Url());
        await page.GetByLabel("API key").FillAsync(dashboard.Read);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Use key" }).ClickAsync();
        await Expect(Row(page, "healthy")).ToBeVisibleAsync();

        var csp = await response!.HeaderValueAsync("content-security-policy");
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Contains(DashboardServer.HostileName, await NamesAsync(page));
        Assert.Equal(0, await page.Locator("#scripts img").CountAsync());
        Assert.Null(await PageChecks.PwnedAsync(page));
        await context.CloseAsync();
    }

    [Fact]
    public async Task The_overview_has_no_serious_accessibility_violation_and_is_photographed_light_and_dark()
    {
        var page = await dashboard.OpenAsync(dashboard.Read);
        await Expect(Row(page, "healthy")).ToBeVisibleAsync();

        Assert.Empty(await PageChecks.SeriousAccessibilityViolationsAsync(page));
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Dark });
        Assert.Empty(await PageChecks.SeriousAccessibilityViolationsAsync(page));
        await PageChecks.ScreenshotsAsync(page, "overview");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_key_is_kept_in_session_storage_and_never_put_in_an_address()
    {
        var page = await dashboard.OpenAsync(dashboard.Read);
        var requests = new List<string>();
        page.Request += (_, request) => requests.Add(request.Url);
        await Expect(Row(page, "healthy")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Expect(Row(page, "healthy")).ToBeVisibleAsync();

        Assert.Equal(dashboard.Read, await page.EvaluateAsync<string>("() => sessionStorage.getItem('scriptmon.key')"));
        Assert.DoesNotContain(page.Url, dashboard.Read, StringComparison.Ordinal);
        Assert.All(requests, url => Assert.DoesNotContain(dashboard.Read, url, StringComparison.Ordinal));
        Assert.Empty(await page.Context.CookiesAsync());
        await page.Context.CloseAsync();
    }
}

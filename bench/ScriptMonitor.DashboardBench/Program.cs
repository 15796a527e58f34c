using System.Globalization;
using Microsoft.Playwright;

// The dashboard's times in headless Chromium (Debian's), read from the page's own performance marks, for
// docs/dashboard.md: run by bench/dashboard.sh against a server on a seeded store.
//   scriptmon-dashbench URL KEY SCRIPT [LOADS]
//     URL     the server (http://127.0.0.1:PORT/)
//     KEY     a read key
//     SCRIPT  a script whose page to time (the one with 10,000 runs in its 7-day range)
//     LOADS   how many fresh loads of each page (5)
if (args.Length is < 3 or > 4)
{
    Console.Error.WriteLine("usage: scriptmon-dashbench URL KEY SCRIPT [LOADS]");
    return 2;
}

var server = new Uri(args[0]);
var key = args[1];
var script = args[2];
var loads = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5;
const string Chromium = "/usr/lib/chromium/chromium";

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = Chromium,
    Headless = true,
    Args = ["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1"],
});

// The key is in session storage before the page's script runs, as after a reload: the figure is the page's, not typing's.
async Task<IPage> OpenAsync(string address)
{
    var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
    await context.AddInitScriptAsync($"sessionStorage.setItem('scriptmon.key', {System.Text.Json.JsonSerializer.Serialize(key)})");
    var page = await context.NewPageAsync();
    await page.GotoAsync(address);
    return page;
}

async Task<double> MarkAsync(IPage page, string name)
{
    await page.WaitForFunctionAsync($"() => performance.getEntriesByName('{name}').length > 0", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
    return await page.EvaluateAsync<double>($"() => performance.getEntriesByName('{name}')[0].startTime");
}

async Task<double> MeasureAsync(IPage page, string name)
{
    await page.WaitForFunctionAsync($"() => performance.getEntriesByName('{name}').length > 0", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
    return await page.EvaluateAsync<double>($"() => performance.getEntriesByName('{name}').at(-1).duration");
}

var overview = new Uri(server, "/ui/").ToString();
for (var load = 1; load <= loads; load++)
{
    var page = await OpenAsync(overview);
    var rows = await MarkAsync(page, "overview-rows");
    // A keystroke in Search: the server filters, the page draws the new first 50 rows.
    await page.GetByLabel("Search", new PageGetByLabelOptions { Exact = true }).PressSequentiallyAsync("7");
    var filter = await MeasureAsync(page, "filter");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"overview\tload={load}\tfirst_rows_ms={rows:0}\tfilter_ms={filter:0}\trows_then_filter_ms={rows + filter:0}"));
    await page.Context.CloseAsync();
}

var scriptPage = overview + "#/script/" + Uri.EscapeDataString(script);
for (var load = 1; load <= loads; load++)
{
    var page = await OpenAsync(scriptPage);
    var drawn = await MarkAsync(page, "chart-drawn");
    var draw = await MeasureAsync(page, "chart-draw");
    var points = await page.Locator("#chart").GetAttributeAsync("data-points");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"script\tload={load}\tchart_drawn_ms={drawn:0}\tcanvas_ms={draw:0}\tpoints={points}"));
    // Where the time went: each API request's start and duration, from navigation start.
    var requests = await page.EvaluateAsync<string>("() => performance.getEntriesByType('resource').filter(e => e.name.includes('/api/v1/')).map(e => e.name.split('/api/v1')[1].split('?')[0] + ' ' + Math.round(e.startTime) + '+' + Math.round(e.duration)).join('; ')");
    Console.WriteLine("  requests: " + requests);
    await page.Context.CloseAsync();
}

return 0;

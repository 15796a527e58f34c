using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace ScriptMonitor.Dashboard.Tests.Support;

/// <summary>What every page of the dashboard must pass: no script of the data ran, no serious accessibility fault.</summary>
internal static class PageChecks
{
    /// <summary>The flag the hostile name and output would set if either ever became markup.</summary>
    public static async Task<string?> PwnedAsync(IPage page) =>
        await page.EvaluateAsync<string?>("() => window.__pwned === undefined ? null : String(window.__pwned)");

    /// <summary>The serious and critical violations an axe scan of the page finds, one line each.</summary>
    public static async Task<List<string>> SeriousAccessibilityViolationsAsync(IPage page)
    {
        AxeResult result = await page.RunAxe();
        return [.. result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target.ToString()))}")];
    }

    /// <summary>Screenshots of the page in light and dark, at desktop and phone width, into the artifacts folder.</summary>
    public static async Task ScreenshotsAsync(IPage page, string name)
    {
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = scheme });
            foreach (var (width, height, label) in new[] { (1280, 900, "desktop"), (390, 844, "phone") })
            {
                await page.SetViewportSizeAsync(width, height);
                var file = Path.Combine(DashboardServer.ArtifactsFolder, $"{name}-{scheme.ToString().ToLowerInvariant()}-{label}.png");
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
                Assert.True(new FileInfo(file).Length > 0, file);
            }
        }

        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Light });
        await page.SetViewportSizeAsync(1280, 900);
    }
}

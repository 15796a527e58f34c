using System.Net.Http.Headers;
using System.Text;
using Microsoft.Playwright;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Access;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Tests.Support;

namespace ScriptMonitor.Dashboard.Tests.Support;

/// <summary>
/// A real server on a seeded SQLite store and one headless Chromium (Debian's), shared by the tests of a class.
/// The store, as an on-call engineer would meet it: <c>backup</c> ran hourly on db1 and just failed on db2,
/// <c>report</c> failed on web1, <c>cleanup</c> never ran, <c>healthy</c> runs hourly on app1, <c>pausable</c> is up,
/// <c>rotate</c> runs at the top of every hour on a cron schedule in Tokyo's zone, <c>editable</c> runs hourly and is
/// changed by the editor's tests, <c>livefeed</c> gets a run while its page is open, and one script's name and output are markup with script in them.
/// </summary>
public class DashboardServer : IAsyncLifetime
{
    /// <summary>Debian's Chromium; test.sh installs it when it is missing.</summary>
    public const string Chromium = "/usr/lib/chromium/chromium";

    /// <summary>A script name that is markup: an image whose error handler would set a flag if it ever became an element.</summary>
    public const string HostileName = "<img src=x onerror=\"window.__pwned='name'\">";

    /// <summary>Output that is markup with a script in it.</summary>
    public const string HostileOutput = "<script>window.__pwned='output'</script><b onmouseover=\"window.__pwned='b'\">bold</b>";

    private readonly TempFolder _folder = new();
    private IPlaywright? _playwright;

    public ServerProcess Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string Read { get; private set; } = string.Empty;

    public string Ingest { get; private set; } = string.Empty;

    public string Admin { get; private set; } = string.Empty;

    /// <summary>How many runs <c>backup</c> has, all in the last two days.</summary>
    public int BackupRunCount { get; private set; }

    public DateTimeOffset Now { get; } = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    /// <summary>Where screenshots go: the repository's ignored artifacts folder.</summary>
    public static string ArtifactsFolder
    {
        get
        {
            // tests/ScriptMonitor.Dashboard.Tests/bin/<Configuration>/<tfm>/ → artifacts/dashboard/
            var root = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
            return Directory.CreateDirectory(Path.Combine(root, "artifacts", "dashboard")).FullName;
        }
    }

    public async Task InitializeAsync()
    {
        var database = _folder.File("scriptmon.db");
        using (var store = ScriptRunStores.Open(database))
        {
            await SeedAsync(store);
        }

        Server = await ServerProcess.Start(database).WaitUntilListeningAsync();
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"Chromium is not installed at {Chromium}: apt-get install chromium (test.sh does).");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // Without it Chromium looks up Google's hosts; pages on 127.0.0.1 must still resolve.
            Args = ["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        _folder.Dispose();
    }

    /// <summary>The dashboard's address: <c>/ui/</c>, or a script's page.</summary>
    public string Url(string? script = null) =>
        new Uri(Server.BaseAddress, "/ui/").ToString() + (script is null ? string.Empty : "#/script/" + Uri.EscapeDataString(script));

    /// <summary>A new browser page (its own session storage) that has typed <paramref name="key"/> into the key form.</summary>
    public async Task<IPage> OpenAsync(string key, string? script = null, ColorScheme scheme = ColorScheme.Light, int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ColorScheme = scheme,
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(Url(script));
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Use key" }).ClickAsync();
        return page;
    }

    /// <summary>A script's expectation as the API gives it.</summary>
    public async Task<System.Text.Json.JsonElement> ExpectationAsync(string script)
    {
        using var client = Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Read);
        using var response = await client.GetAsync(new Uri($"/api/v1/scripts/{Uri.EscapeDataString(script)}/expectation", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    /// <summary>Records a run through the API, as a client on a host would.</summary>
    public async Task PostRunAsync(string script, string host, DateTimeOffset startedAt, double seconds, string outcome, string output)
    {
        using var client = Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Ingest);
        var body = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = Guid.NewGuid(),
            ["script"] = script,
            ["host"] = host,
            ["startedAt"] = startedAt.ToString("O"),
            ["completedAt"] = startedAt.AddSeconds(seconds).ToString("O"),
            ["outcome"] = outcome,
            ["exitCode"] = outcome == "succeeded" ? 0 : 1,
            ["output"] = output,
        });
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri("/api/v1/runs", UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
    }

    private async Task SeedAsync(IScriptRunStore store)
    {
        for (var hour = 30; hour >= 1; hour--)
        {
            var run = await store.RecordStartAsync("backup", Now.AddHours(-hour), "db1");
            await store.CompleteRunAsync(run.RunId, run.StartedAt.AddSeconds(50 + (hour % 7) * 5), RunOutcome.Succeeded, 0, $"backed up {hour}\n");
            BackupRunCount++;
        }

        var failed = await store.RecordStartAsync("backup", Now.AddMinutes(-20), "db2");
        await store.CompleteRunAsync(failed.RunId, failed.StartedAt.AddSeconds(5), RunOutcome.Failed, 2, "tar: disk full\n");
        BackupRunCount++;

        await store.RecordFailureAsync("report", Now.AddHours(-1), Now.AddHours(-1).AddSeconds(3), exitCode: 1, message: "no data", hostname: "web1");
        for (var hour = 5; hour >= 0; hour--)
        {
            foreach (var name in new[] { "healthy", "pausable" })
            {
                var run = await store.RecordStartAsync(name, Now.AddHours(-hour).AddMinutes(-10), "app1");
                await store.CompleteRunAsync(run.RunId, run.StartedAt.AddSeconds(20), RunOutcome.Succeeded, 0);
            }
        }

        // rotate runs at the top of every hour in Tokyo's zone; editable is changed by the editor's tests.
        var hour0 = new DateTimeOffset(Now.Year, Now.Month, Now.Day, Now.Hour, 0, 0, TimeSpan.Zero);
        for (var hour = 6; hour >= 0; hour--)
        {
            var run = await store.RecordStartAsync("rotate", hour0.AddHours(-hour), "app1");
            await store.CompleteRunAsync(run.RunId, run.StartedAt.AddSeconds(12), RunOutcome.Succeeded, 0);
            if (hour < 3)
            {
                var fed = await store.RecordStartAsync("livefeed", Now.AddHours(-hour).AddMinutes(-2), "app1");
                await store.CompleteRunAsync(fed.RunId, fed.StartedAt.AddSeconds(15), RunOutcome.Succeeded, 0);
            }

            var edited = await store.RecordStartAsync("editable", Now.AddHours(-hour).AddMinutes(-5), "app1");
            await store.CompleteRunAsync(edited.RunId, edited.StartedAt.AddSeconds(30), RunOutcome.Succeeded, 0);
        }

        var hostile = await store.RecordStartAsync(HostileName, Now.AddMinutes(-30), "<i>evil-host</i>");
        await store.CompleteRunAsync(hostile.RunId, hostile.StartedAt.AddSeconds(2), RunOutcome.Failed, 1, HostileOutput);

        await store.SetExpectationAsync(new ScriptExpectation("backup")
        {
            Schedule = Schedule.Every(TimeSpan.FromHours(1)),
            MinRuntime = TimeSpan.FromSeconds(30),
            MaxRuntime = TimeSpan.FromSeconds(120),
            Tags = ["nightly"],
        });
        await store.SetExpectationAsync(new ScriptExpectation("cleanup") { Schedule = Schedule.Every(TimeSpan.FromDays(1)), Tags = ["weekly"] });
        await store.SetExpectationAsync(new ScriptExpectation("healthy") { Schedule = Schedule.Every(TimeSpan.FromHours(1)), Tags = ["hourly"] });
        await store.SetExpectationAsync(new ScriptExpectation("pausable") { Schedule = Schedule.Every(TimeSpan.FromHours(1)), Tags = ["hourly"] });
        await store.SetExpectationAsync(new ScriptExpectation("rotate") { Schedule = Schedule.Cron("0 * * * *", "Asia/Tokyo"), Tags = ["hourly"] });
        await store.SetExpectationAsync(new ScriptExpectation("livefeed") { Schedule = Schedule.Every(TimeSpan.FromHours(1)) });
        await store.SetExpectationAsync(new ScriptExpectation("editable") { Schedule = Schedule.Every(TimeSpan.FromHours(1)), Tags = ["hourly"] });

        var keys = new KeyService(store, TimeProvider.System);
        Read = (await keys.CreateAsync("grafana", KeyScope.Read, [], "cli")).Secret;
        Ingest = (await keys.CreateAsync("agent", KeyScope.Ingest, [], "cli")).Secret;
        Admin = (await keys.CreateAsync("ops", KeyScope.Admin, [], "cli")).Secret;
    }
}

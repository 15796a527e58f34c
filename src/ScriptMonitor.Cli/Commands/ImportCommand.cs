using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Expectations;
using ScriptMonitor.Application.Lifecycle;
using ScriptMonitor.Cli.Hosting;
using ScriptMonitor.Cli.Input;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Cli.Commands;

/// <summary>
/// <c>scriptmon import healthchecks --url URL --key KEY</c>: copies a Healthchecks project's checks into the store,
/// each as a script with its expectation, keeping each check's UUID as the script's ping UUID, so that the ping URLs
/// in a team's crontabs keep working once their base URL points here. Running it again updates what it made.
/// </summary>
internal static class ImportCommand
{
    internal const string Name = "import";

    /// <summary>Exit status when some checks were left out (each said why on stderr) and the rest imported.</summary>
    internal const int SomeSkipped = ExitCodes.Failure;

    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(30);

    internal static Command Create(CliContext context)
    {
        var url = new Option<string>("--url") { Description = "The Healthchecks site root: https://healthchecks.io, or a self-hosted one's SITE_ROOT.", HelpName = "URL", Required = true };
        var key = new Option<string?>("--key")
        {
            Description = "The project's API key (read-write keeps the UUIDs). Give it with SCRIPTMON_IMPORT_KEY to keep it off the command line.",
            HelpName = "KEY",
        };
        var newUuids = new Option<bool>("--new-uuids") { Description = "With a read-only key, which does not show UUIDs: import with new ping UUIDs (the old ping URLs stop working)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be imported and change nothing." };
        var healthchecks = new Command("healthchecks", "Import a Healthchecks project's checks as scripts: UUID, slug, schedule or period, time zone, grace, tags, paused.") { url, key, newUuids, dryRun };
        healthchecks.SetAction(parse => Healthchecks(
            context,
            parse.GetValue(url)!,
            parse.GetValue(key) ?? Environment.GetEnvironmentVariable("SCRIPTMON_IMPORT_KEY"),
            parse.GetValue(newUuids),
            parse.GetValue(dryRun)));
        return new Command(Name, "Import what another monitor knows.") { healthchecks };
    }

    /// <summary>One check as ScriptMonitor keeps it.</summary>
    private sealed record Plan(string Script, Guid? Uuid, ExpectationPatch Patch, string Describe);

    private static int Healthchecks(CliContext context, string url, string? key, bool newUuids, bool dryRun)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new UsageException("--key must be given (or SCRIPTMON_IMPORT_KEY): the Healthchecks project's API key.");
        }

        if (!Uri.TryCreate(url.TrimEnd('/') + "/api/v3/checks/", UriKind.Absolute, out var checksUri) || checksUri.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"--url must be an http or https URL, the Healthchecks site root (got '{url}').");
        }

        var checks = CliContext.Await(FetchAsync(checksUri, key));
        var progress = !Console.IsErrorRedirected;
        var plans = new List<Plan>();
        var skipped = 0;
        foreach (var check in checks)
        {
            var (plan, problem) = PlanOf(check, newUuids);
            if (plan is null)
            {
                if (problem == ReadOnlyKey)
                {
                    context.Terminal.Error.WriteLine("scriptmon: error: --key: the key is read-only: Healthchecks shows no UUIDs to it, so the checks' ping URLs cannot be kept. Give the project's read-write key, or --new-uuids to import with new UUIDs. Nothing was imported.");
                    return ExitCodes.Failure;
                }

                context.Terminal.Error.WriteLine($"scriptmon: skipped {problem}");
                skipped++;
                continue;
            }

            plans.Add(plan);
        }

        if (dryRun)
        {
            foreach (var plan in plans)
            {
                context.Terminal.Out.WriteLine($"would import {plan.Script}: {plan.Describe}");
            }

            context.Terminal.Out.WriteLine($"{plans.Count} to import, {skipped} skipped; nothing was changed (--dry-run).");
            return skipped > 0 ? SomeSkipped : ExitCodes.Ok;
        }

        var imported = 0;
        using var store = context.Services.Store.OpenForWriting();
        var expectations = context.Services.Expectations;
        foreach (var plan in plans)
        {
            try
            {
                // The UUID first: a UUID another script holds leaves this check out, with nothing changed.
                var identity = plan.Uuid is { } uuid
                    ? CliContext.Await(store.SetPingIdentityAsync(plan.Script, uuid))
                    : CliContext.Await(store.EnsurePingIdentityAsync(plan.Script));
                CliContext.Await(expectations.SetAsync(plan.Script, plan.Patch));
                imported++;
                if (progress)
                {
                    context.Terminal.Error.WriteLine($"[{imported + skipped}/{checks.Count}] {plan.Script} ({identity.PingId:D}): {plan.Describe}");
                }
            }
            catch (ValidationException e)
            {
                context.Terminal.Error.WriteLine($"scriptmon: skipped {plan.Script}: {CliContext.OneLine(e.Message)}");
                skipped++;
            }
        }

        context.Terminal.Out.WriteLine($"Imported {imported} check{(imported == 1 ? string.Empty : "s")} from {url.TrimEnd('/')}, skipped {skipped}.");
        return skipped > 0 ? SomeSkipped : ExitCodes.Ok;
    }

    private const string ReadOnlyKey = "read-only key";

    /// <summary>What a check becomes; null and why when it cannot be kept.</summary>
    private static (Plan? Plan, string? Problem) PlanOf(JsonElement check, bool newUuids)
    {
        string Text(string field) => check.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;
        long? Number(string field) => check.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null;

        var name = Text("name");
        var slug = Text("slug");
        var script = slug.Length > 0 ? slug : PingIdentity.SlugOf(name);
        var label = name.Length > 0 ? $"'{name}'" : $"the check with slug '{slug}'";
        if (script.Length == 0)
        {
            return (null, $"{label}: it has no name or slug to name a script by.");
        }

        try
        {
            RunValidation.ScriptName(script, "slug");
        }
        catch (ArgumentException e)
        {
            return (null, $"{label}: {CliContext.OneLine(e.Message)}");
        }

        Guid? uuid = null;
        var uuidText = Text("uuid");
        if (uuidText.Length == 0 && Text("ping_url") is { Length: > 0 } pingUrl)
        {
            uuidText = pingUrl[(pingUrl.TrimEnd('/').LastIndexOf('/') + 1)..].TrimEnd('/');
        }

        if (uuidText.Length > 0)
        {
            if (!Guid.TryParse(uuidText, out var parsed))
            {
                return (null, $"{label}: its uuid '{uuidText}' is not a UUID.");
            }

            uuid = newUuids ? null : parsed;
        }
        else if (!newUuids)
        {
            return (null, ReadOnlyKey);
        }

        var schedule = Text("schedule");
        var tz = Text("tz");
        var grace = Number("grace");
        var timeout = Number("timeout");
        var tags = Text("tags").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var paused = Text("status") == "paused";
        if (schedule.Length > 0 && schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 5)
        {
            return (null, $"{label}: its schedule '{schedule}' is a systemd OnCalendar schedule; ScriptMonitor takes five-field cron lines (give it one with 'scriptmon expect {script} --cron ...').");
        }

        var patch = new ExpectationPatch(
            Every: schedule.Length == 0 && timeout is { } t ? TimeSpan.FromSeconds(t) : null,
            Cron: schedule.Length > 0 ? schedule : null,
            TimeZone: schedule.Length > 0 ? (tz.Length > 0 ? tz : "UTC") : null,
            Grace: grace is { } g ? TimeSpan.FromSeconds(g) : null,
            Tags: tags,
            Pause: paused);
        var describe = string.Join(", ", new[]
        {
            schedule.Length > 0 ? $"cron '{schedule}' ({patch.TimeZone})" : timeout is { } every ? $"every {every.ToString(CultureInfo.InvariantCulture)} s" : null,
            grace is { } gr ? $"grace {gr.ToString(CultureInfo.InvariantCulture)} s" : null,
            tags.Length > 0 ? "tags " + string.Join(' ', tags) : null,
            paused ? "paused" : null,
            uuid is null ? "a new UUID" : $"UUID {uuid:D}",
        }.Where(part => part is not null));
        return (new Plan(script, uuid, patch, describe), null);
    }

    private static async Task<List<JsonElement>> FetchAsync(Uri checksUri, string key)
    {
        using var client = new HttpClient { Timeout = FetchTimeout };
        using var request = new HttpRequestMessage(HttpMethod.Get, checksUri);
        request.Headers.Add("X-Api-Key", key);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            throw new StoreUnavailableException($"--url: {checksUri} could not be read: {e.Message}", e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
            {
                throw new UsageException($"--key: {checksUri} refused the key ({(int)response.StatusCode}: {CliContext.OneLine(body)}).");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new StoreUnavailableException($"--url: {checksUri} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            try
            {
                using var json = JsonDocument.Parse(body);
                return json.RootElement.TryGetProperty("checks", out var checks) && checks.ValueKind == JsonValueKind.Array
                    ? [.. checks.EnumerateArray().Select(c => c.Clone())]
                    : throw new UsageException($"--url: {checksUri} did not answer with Healthchecks' list of checks (no \"checks\" array).");
            }
            catch (JsonException)
            {
                throw new UsageException($"--url: {checksUri} did not answer with JSON; is it a Healthchecks site root?");
            }
        }
    }
}

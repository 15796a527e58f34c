using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ScriptMonitor.Access;
using ScriptMonitor.Application.Expectations;
using ScriptMonitor.Application.Services;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Access;
using ScriptMonitor.Server.Api;
using ScriptMonitor.Server.Hosting;

namespace ScriptMonitor.Server.Peers;

/// <summary>
/// Healthchecks' management API, under <c>/hc/api/v1|v2|v3/</c>: the checks (a check is a script), one check,
/// creating, changing, pausing, resuming and deleting one, its pings (its runs' starts and completions) and flips,
/// the channels, the badges and the status probe. Keys
/// are ScriptMonitor's own, given as <c>X-Api-Key</c>: an admin key reads and writes, a read key only reads and sees
/// no UUID or URL (they are write capabilities), but <c>unique_key</c>.
/// </summary>
internal static class HealthchecksApi
{
    private const string ApiKeyHeader = "X-Api-Key";

    public static void MapHealthchecksApi(this WebApplication app)
    {
        var api = RoutePrefixes.Healthchecks + "/api/v{version:int}";
        // Routing ignores a trailing slash, so "checks/" (Healthchecks' own form) and "checks" both match.
        app.MapGet(api + "/checks", ListAsync).ExcludeFromDescription();
        app.MapPost(api + "/checks", CreateAsync).ExcludeFromDescription();
        app.MapGet(api + "/checks/{code}", GetAsync).ExcludeFromDescription();
        app.MapPost(api + "/checks/{code}", UpdateAsync).ExcludeFromDescription();
        app.MapPost(api + "/checks/{code}/pause", PauseAsync).ExcludeFromDescription();
        app.MapPost(api + "/checks/{code}/resume", ResumeAsync).ExcludeFromDescription();
        app.MapDelete(api + "/checks/{code}", DeleteAsync).ExcludeFromDescription();
        app.MapGet(api + "/checks/{code}/pings", PingsAsync).ExcludeFromDescription();
        app.MapGet(api + "/checks/{code}/pings/{n:long}/body", BodyAsync).ExcludeFromDescription();
        app.MapGet(api + "/checks/{code}/flips", FlipsAsync).ExcludeFromDescription();
        app.MapGet(api + "/channels", ChannelsAsync).ExcludeFromDescription();
        app.MapGet(api + "/badges", BadgesAsync).ExcludeFromDescription();
        app.MapGet(api + "/status", Status).ExcludeFromDescription();
        app.MapHealthchecksMetrics();
    }

    private static IResult Status(int version) => version is >= 1 and <= 3
        ? Results.Text("OK", "text/plain; charset=utf-8", Encoding.UTF8)
        : Results.Text("not found", "text/plain; charset=utf-8", Encoding.UTF8, StatusCodes.Status404NotFound);

    private static async Task<IResult> ListAsync(int version, HttpContext http, ServerStore store, MonitorServices services)
    {
        var (access, refusal) = await AuthorizeAsync(http, version, write: false).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var checks = await ChecksAsync(store, services, http.RequestAborted).ConfigureAwait(false);
        var tags = http.Request.Query["tag"].Where(t => !string.IsNullOrEmpty(t)).ToList();
        var slug = http.Request.Query["slug"].ToString();
        var selected = checks
            .Where(c => tags.All(t => c.Expectation?.Tags.Contains(t!, StringComparer.Ordinal) ?? false))
            .Where(c => slug.Length == 0 || c.Identity.Slug == slug);
        return Json(StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("checks");
            foreach (var check in selected)
            {
                WriteCheck(json, check, http, version, access);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    private static async Task<IResult> GetAsync(int version, string code, HttpContext http, ServerStore store, MonitorServices services)
    {
        var (check, access, refusal) = await ReadableCheckAsync(version, code, http, store, services).ConfigureAwait(false);
        return check is null ? refusal! : Json(StatusCodes.Status200OK, json => WriteCheck(json, check, http, version, access));
    }

    private static async Task<IResult> CreateAsync(int version, HttpContext http, ServerStore store, MonitorServices services)
    {
        var (access, refusal) = await AuthorizeAsync(http, version, write: true).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        string? name;
        ExpectationPatch? patch;
        string? channelSpec;
        try
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted).ConfigureAwait(false);
            if (body.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Error(StatusCodes.Status400BadRequest, "json validation error: value is not an object");
            }

            name = body.RootElement.TryGetProperty("name", out var given) ? given.ValueKind == JsonValueKind.String ? given.GetString() : null : string.Empty;
            if (name is null)
            {
                return Error(StatusCodes.Status400BadRequest, "json validation error: name is not a string");
            }

            if (name.Length == 0 && body.RootElement.TryGetProperty("slug", out var slug) && slug.ValueKind == JsonValueKind.String)
            {
                name = slug.GetString()!;
            }

            (patch, var problem) = PatchOf(body.RootElement);
            if (patch is null)
            {
                return Error(StatusCodes.Status400BadRequest, "json validation error: " + problem);
            }

            (channelSpec, problem) = ChannelSpecOf(body.RootElement);
            if (problem is not null)
            {
                return Error(StatusCodes.Status400BadRequest, "json validation error: " + problem);
            }
        }
        catch (JsonException)
        {
            return Error(StatusCodes.Status400BadRequest, "could not parse request body");
        }

        if (name.Length == 0 || name.Length > 100)
        {
            return Error(StatusCodes.Status400BadRequest, "json validation error: name must be 1 to 100 characters (ScriptMonitor names every check)");
        }

        try
        {
            ScriptMonitor.Runs.RunValidation.ScriptName(name, "name");
        }
        catch (ArgumentException e)
        {
            return Error(StatusCodes.Status400BadRequest, "json validation error: " + e.Message);
        }

        var identities = (IPingIdentityStore)store.Runs;
        var before = (await ChecksAsync(store, services, http.RequestAborted).ConfigureAwait(false)).Any(c => c.Identity.ScriptName == name);
        var (selection, unknown) = await SelectChannelsAsync(store, channelSpec, http.RequestAborted).ConfigureAwait(false);
        if (unknown is not null)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid channel identifier: " + unknown);
        }

        // The expectation first: a field it refuses leaves nothing made.
        if (!patch.IsEmpty)
        {
            try
            {
                var view = await services.Expectations.SetAsync(name, patch, http.RequestAborted).ConfigureAwait(false);
                if (view.Change != "unchanged")
                {
                    await AdminAudit.RecordAsync(http, AdminAudit.ExpectationPut, view.Script, view.Change, http.RequestAborted).ConfigureAwait(false);
                }
            }
            catch (ValidationException e)
            {
                return Error(StatusCodes.Status400BadRequest, "json validation error: " + e.Message);
            }
        }

        await identities.EnsurePingIdentityAsync(name, http.RequestAborted).ConfigureAwait(false);
        if (selection is not null)
        {
            var refused = await AssignChannelsAsync(http, store, name, selection, http.RequestAborted).ConfigureAwait(false);
            if (refused is not null)
            {
                return refused;
            }
        }

        var check = (await ChecksAsync(store, services, http.RequestAborted).ConfigureAwait(false)).First(c => c.Identity.ScriptName == name);
        // A script's name is unique, so a second create of one name answers with the check there, as unique=["name"] does.
        return Json(before ? StatusCodes.Status200OK : StatusCodes.Status201Created, json => WriteCheck(json, check, http, version, access));
    }

    /// <summary>
    /// Changes a check: <c>timeout</c> (seconds) becomes the expectation's period, <c>schedule</c> (a five-field cron
    /// line) and <c>tz</c> its cron schedule, <c>grace</c> its grace, <c>tags</c> (space-separated) its tags. Other
    /// fields (<c>name</c> included: a script is named by its runs) are accepted and left as they are.
    /// </summary>
    private static async Task<IResult> UpdateAsync(int version, string code, HttpContext http, ServerStore store, MonitorServices services)
    {
        var (check, refusal) = await WritableCheckAsync(version, code, http, store, services).ConfigureAwait(false);
        if (check is null)
        {
            return refusal!;
        }

        ExpectationPatch patch;
        string? channelSpec;
        try
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted).ConfigureAwait(false);
            if (body.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Error(StatusCodes.Status400BadRequest, "json validation error: value is not an object");
            }

            var (made, problem) = PatchOf(body.RootElement);
            if (made is null)
            {
                return Error(StatusCodes.Status400BadRequest, "json validation error: " + problem);
            }

            (channelSpec, problem) = ChannelSpecOf(body.RootElement);
            if (problem is not null)
            {
                return Error(StatusCodes.Status400BadRequest, "json validation error: " + problem);
            }

            patch = made;
        }
        catch (JsonException)
        {
            return Error(StatusCodes.Status400BadRequest, "could not parse request body");
        }

        var (selection, unknown) = await SelectChannelsAsync(store, channelSpec, http.RequestAborted).ConfigureAwait(false);
        if (unknown is not null)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid channel identifier: " + unknown);
        }

        if (!patch.IsEmpty)
        {
            try
            {
                var view = await services.Expectations.SetAsync(check.Identity.ScriptName, patch, http.RequestAborted).ConfigureAwait(false);
                if (view.Change != "unchanged")
                {
                    await AdminAudit.RecordAsync(http, AdminAudit.ExpectationPut, view.Script, view.Change, http.RequestAborted).ConfigureAwait(false);
                }
            }
            catch (ValidationException e)
            {
                return Error(StatusCodes.Status400BadRequest, "json validation error: " + e.Message);
            }
        }

        if (selection is not null)
        {
            var refused = await AssignChannelsAsync(http, store, check.Identity.ScriptName, selection, http.RequestAborted).ConfigureAwait(false);
            if (refused is not null)
            {
                return refused;
            }
        }

        return await AnswerCheckAsync(version, check.Identity, http, store, services).ConfigureAwait(false);
    }

    private static async Task<IResult> PauseAsync(int version, string code, HttpContext http, ServerStore store, MonitorServices services)
    {
        var (check, refusal) = await WritableCheckAsync(version, code, http, store, services).ConfigureAwait(false);
        if (check is null)
        {
            return refusal!;
        }

        var view = await services.Expectations.SetAsync(check.Identity.ScriptName, new ExpectationPatch(Pause: true), http.RequestAborted).ConfigureAwait(false);
        if (view.Change != "unchanged")
        {
            await AdminAudit.RecordAsync(http, AdminAudit.ScriptPause, view.Script, view.Change, http.RequestAborted).ConfigureAwait(false);
        }

        return await AnswerCheckAsync(version, check.Identity, http, store, services).ConfigureAwait(false);
    }

    private static async Task<IResult> ResumeAsync(int version, string code, HttpContext http, ServerStore store, MonitorServices services)
    {
        var (check, refusal) = await WritableCheckAsync(version, code, http, store, services).ConfigureAwait(false);
        if (check is null)
        {
            return refusal!;
        }

        if (check.Expectation is not { Paused: true })
        {
            return Error(StatusCodes.Status409Conflict, "check is not paused");
        }

        var view = await services.Expectations.SetAsync(check.Identity.ScriptName, new ExpectationPatch(Resume: true), http.RequestAborted).ConfigureAwait(false);
        await AdminAudit.RecordAsync(http, AdminAudit.ScriptResume, view.Script, view.Change, http.RequestAborted).ConfigureAwait(false);
        return await AnswerCheckAsync(version, check.Identity, http, store, services).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes a check as far as ScriptMonitor can: its expectation (alerting stops), its ping UUID (its ping URLs
    /// answer 404) and its name in channels. Its runs stay, as history, until retention prunes them; while they
    /// last, the script is still listed, with a new UUID.
    /// </summary>
    private static async Task<IResult> DeleteAsync(int version, string code, HttpContext http, ServerStore store, MonitorServices services, PingKeyCache pingIds)
    {
        var (check, refusal) = await WritableCheckAsync(version, code, http, store, services).ConfigureAwait(false);
        if (check is null)
        {
            return refusal!;
        }

        var name = check.Identity.ScriptName;
        if (check.Expectation is not null)
        {
            var removed = await services.Expectations.RemoveAsync(name, http.RequestAborted).ConfigureAwait(false);
            await AdminAudit.RecordAsync(http, AdminAudit.ExpectationDelete, removed.Script, "deleted as a Healthchecks check", http.RequestAborted).ConfigureAwait(false);
        }

        foreach (var channel in await store.Runs.ListChannelsAsync(http.RequestAborted).ConfigureAwait(false))
        {
            var names = channel.ScriptNames.Where(n => n != name).ToList();
            // A channel left with no script and no tag would tell of every script: it keeps the name.
            if (names.Count != channel.ScriptNames.Count && (names.Count > 0 || channel.Tags.Count > 0))
            {
                await store.Runs.SaveChannelAsync(channel with { ScriptNames = names }, replace: true, http.RequestAborted).ConfigureAwait(false);
                await AdminAudit.RecordAsync(http, "channel.put", channel.Name, $"removed the script '{name}'", http.RequestAborted).ConfigureAwait(false);
            }
        }

        await store.Runs.RemovePingIdentityAsync(name, http.RequestAborted).ConfigureAwait(false);
        pingIds.Forget(name);
        return Json(StatusCodes.Status200OK, json => WriteCheck(json, check, http, version, Access.ReadWrite));
    }

    /// <summary>The most pings a list answers, as Healthchecks' default ping log.</summary>
    private const int PingListLimit = 100;

    /// <summary>
    /// A check's pings, newest first: each run is a start (numbered 2k-1) and, once it ended, a success or a failure
    /// (2k), where k counts the script's runs kept in the store, oldest first. A run recorded by its completion alone
    /// has no start ping.
    /// </summary>
    private static async Task<IResult> PingsAsync(int version, string code, HttpContext http, ServerStore store, MonitorServices services)
    {
        var (check, refusal) = await WritableCheckAsync(version, code, http, store, services).ConfigureAwait(false);
        if (check is null)
        {
            return refusal!;
        }

        var name = check.Identity.ScriptName;
        var total = await store.Runs.CountRunsAsync(new RunQuery(name), http.RequestAborted).ConfigureAwait(false);
        var runs = await store.Runs.ListRunsAsync(new RunQuery(name) { Limit = PingListLimit / 2 }, http.RequestAborted).ConfigureAwait(false);
        var site = $"{http.Request.Scheme}://{http.Request.Host}{RoutePrefixes.Healthchecks}/api/v{version}/checks/{check.Identity.PingId:D}/pings/";
        return Json(StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("pings");
            for (var i = 0; i < runs.Count; i++)
            {
                var run = runs[i];
                var k = total - i;
                if (run.CompletedAt is { } completed)
                {
                    WritePing(json, run, run.Outcome == RunOutcome.Succeeded ? "success" : "fail", completed, 2 * k, site, run.Duration);
                }

                if (run.CompletedAt is null || run.CompletedAt > run.StartedAt)
                {
                    WritePing(json, run, "start", run.StartedAt, (2 * k) - 1, site, null);
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    private static void WritePing(Utf8JsonWriter json, ScriptRun run, string type, DateTimeOffset at, long n, string site, TimeSpan? duration)
    {
        json.WriteStartObject();
        json.WriteString("type", type);
        json.WriteString("date", at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture));
        json.WriteNumber("n", n);
        // ScriptMonitor keeps a run, not the request that told of it: no scheme, method or user agent.
        json.WriteString("scheme", string.Empty);
        json.WriteString("remote_addr", run.Hostname);
        json.WriteString("method", string.Empty);
        json.WriteString("ua", string.Empty);
        json.WriteString("rid", run.RunId.ToString("D"));
        if (duration is { } took)
        {
            json.WriteNumber("duration", Math.Round(took.TotalSeconds, 2));
        }

        if (type != "start" && !string.IsNullOrEmpty(run.Output))
        {
            json.WriteString("body_url", $"{site}{n}/body");
        }
        else
        {
            json.WriteNull("body_url");
        }

        json.WriteEndObject();
    }

    /// <summary>The body of a completion ping: its run's output (the tail ScriptMonitor keeps), as text.</summary>
    private static async Task<IResult> BodyAsync(int version, string code, long n, HttpContext http, ServerStore store, MonitorServices services)
    {
        var (check, refusal) = await WritableCheckAsync(version, code, http, store, services).ConfigureAwait(false);
        if (check is null)
        {
            return refusal!;
        }

        var name = check.Identity.ScriptName;
        var total = await store.Runs.CountRunsAsync(new RunQuery(name), http.RequestAborted).ConfigureAwait(false);
        var k = (n + 1) / 2;
        var offset = total - k;
        if (n < 1 || offset < 0 || offset > int.MaxValue)
        {
            return Error(StatusCodes.Status404NotFound, "not found");
        }

        var runs = await store.Runs.ListRunsAsync(new RunQuery(name) { Limit = 1, Offset = (int)offset }, http.RequestAborted).ConfigureAwait(false);
        return runs is [{ CompletedAt: not null, Output: { Length: > 0 } output }] && n % 2 == 0
            ? Results.Text(output, "text/plain; charset=utf-8", Encoding.UTF8)
            : Error(StatusCodes.Status404NotFound, "not found");
    }

    /// <summary>
    /// A check's flips (up ↔ down), newest first, with Healthchecks' filters in Unix seconds: <c>seconds</c> (within
    /// the last so many), <c>start</c> (at or after), <c>end</c> (before).
    /// </summary>
    private static async Task<IResult> FlipsAsync(int version, string code, HttpContext http, ServerStore store, MonitorServices services)
    {
        var (check, _, refusal) = await ReadableCheckAsync(version, code, http, store, services).ConfigureAwait(false);
        if (check is null)
        {
            return refusal!;
        }

        long? Param(string field, out bool bad)
        {
            bad = false;
            var text = http.Request.Query[field].ToString();
            if (text.Length == 0)
            {
                return null;
            }

            bad = !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 253_402_300_799;
            return bad ? null : value;
        }

        var seconds = Param("seconds", out var badSeconds);
        var start = Param("start", out var badStart);
        var end = Param("end", out var badEnd);
        if (badSeconds || badStart || badEnd)
        {
            return Error(StatusCodes.Status400BadRequest, $"json validation error: {(badSeconds ? "seconds" : badStart ? "start" : "end")} must be a whole non-negative number of seconds");
        }

        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var from = new[] { start is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : (DateTimeOffset?)null, seconds is { } ago ? now.AddSeconds(-Math.Min(ago, now.ToUnixTimeSeconds())) : null }
            .Where(t => t is not null).DefaultIfEmpty(null).Max();
        var before = end is { } e ? DateTimeOffset.FromUnixTimeSeconds(e) : (DateTimeOffset?)null;
        var flips = await store.Runs.ListFlipsAsync(check.Identity.ScriptName, before, RunQuery.MaxLimit, http.RequestAborted).ConfigureAwait(false);
        return Json(StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("flips");
            foreach (var flip in flips.Where(f => from is null || f.At >= from).OrderByDescending(f => f.At))
            {
                json.WriteStartObject();
                json.WriteString("timestamp", Instant(flip.At));
                json.WriteNumber("up", StatusOf(flip.To.ToString(), paused: false) == "down" ? 0 : 1);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    /// <summary>ScriptMonitor's channels in Healthchecks' form: an id made from the name, the name, the kind.</summary>
    private static async Task<IResult> ChannelsAsync(int version, HttpContext http, ServerStore store)
    {
        var (_, refusal) = await AuthorizeAsync(http, version, write: true).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var channels = await store.Runs.ListChannelsAsync(http.RequestAborted).ConfigureAwait(false);
        return Json(StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("channels");
            foreach (var channel in channels)
            {
                json.WriteStartObject();
                json.WriteString("id", ChannelId(channel.Name));
                json.WriteString("name", channel.Name);
                json.WriteString("kind", channel.Kind.ToString().ToLowerInvariant());
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    /// <summary>ScriptMonitor serves no status badges: the answer has Healthchecks' shape and no badge.</summary>
    private static async Task<IResult> BadgesAsync(int version, HttpContext http)
    {
        var (_, refusal) = await AuthorizeAsync(http, version, write: false).ConfigureAwait(false);
        return refusal ?? Json(StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteStartObject("badges");
            json.WriteEndObject();
            json.WriteEndObject();
        });
    }

    /// <summary>The check a read-write key names by its UUID; else the refusal (401, 404).</summary>
    /// <summary>
    /// The check a read names: by its UUID for a read-write key, or by its <c>unique_key</c>; a read key never sees UUIDs,
    /// so it cannot name a check by one.
    /// </summary>
    private static async Task<(Check? Check, Access Access, IResult? Refusal)> ReadableCheckAsync(int version, string code, HttpContext http, ServerStore store, MonitorServices services)
    {
        var (access, refusal) = await AuthorizeAsync(http, version, write: false).ConfigureAwait(false);
        if (refusal is not null)
        {
            return (null, access, refusal);
        }

        var checks = await ChecksAsync(store, services, http.RequestAborted).ConfigureAwait(false);
        var check = checks.FirstOrDefault(c =>
            (access == Access.ReadWrite && Guid.TryParse(code, out var uuid) && c.Identity.PingId == uuid)
            || string.Equals(UniqueKey(c.Identity.PingId), code, StringComparison.OrdinalIgnoreCase));
        return check is null ? (null, access, Error(StatusCodes.Status404NotFound, "not found")) : (check, access, null);
    }

    private static async Task<(Check? Check, IResult? Refusal)> WritableCheckAsync(int version, string code, HttpContext http, ServerStore store, MonitorServices services)
    {
        var (_, refusal) = await AuthorizeAsync(http, version, write: true).ConfigureAwait(false);
        if (refusal is not null)
        {
            return (null, refusal);
        }

        var checks = await ChecksAsync(store, services, http.RequestAborted).ConfigureAwait(false);
        var check = Guid.TryParse(code, out var uuid) ? checks.FirstOrDefault(c => c.Identity.PingId == uuid) : null;
        return check is null ? (null, Error(StatusCodes.Status404NotFound, "not found")) : (check, null);
    }

    private static async Task<IResult> AnswerCheckAsync(int version, PingIdentity identity, HttpContext http, ServerStore store, MonitorServices services)
    {
        var check = (await ChecksAsync(store, services, http.RequestAborted).ConfigureAwait(false)).First(c => c.Identity.PingId == identity.PingId);
        return Json(StatusCodes.Status200OK, json => WriteCheck(json, check, http, version, Access.ReadWrite));
    }

    /// <summary>The expectation change a check's fields ask for; null and the reason when one breaks its rule.</summary>
    private static (ExpectationPatch? Patch, string? Problem) PatchOf(JsonElement body)
    {
        TimeSpan? Seconds(string field, out string? problem)
        {
            problem = null;
            if (!body.TryGetProperty(field, out var value))
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var seconds) || seconds is < 60 or > 31_536_000)
            {
                problem = $"{field} must be a whole number of seconds, 60 to 31536000";
                return null;
            }

            return TimeSpan.FromSeconds(seconds);
        }

        string? Text(string field, out string? problem)
        {
            problem = null;
            if (!body.TryGetProperty(field, out var value))
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                problem = $"{field} is not a string";
                return null;
            }

            return value.GetString();
        }

        var timeout = Seconds("timeout", out var problem);
        if (problem is not null)
        {
            return (null, problem);
        }

        var grace = Seconds("grace", out problem);
        if (problem is not null)
        {
            return (null, problem);
        }

        var schedule = Text("schedule", out problem);
        if (problem is not null)
        {
            return (null, problem);
        }

        if (schedule is not null && schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 5)
        {
            return (null, "schedule must be a cron line of five fields (systemd OnCalendar schedules are not supported)");
        }

        var tz = Text("tz", out problem);
        if (problem is not null)
        {
            return (null, problem);
        }

        var tags = Text("tags", out problem);
        if (problem is not null)
        {
            return (null, problem);
        }

        // A schedule takes precedence over a timeout, as in Healthchecks.
        return (new ExpectationPatch(
            Every: schedule is null ? timeout : null,
            Cron: schedule,
            TimeZone: schedule is null ? null : tz ?? "UTC",
            Grace: grace,
            Tags: tags?.Split(' ', StringSplitOptions.RemoveEmptyEntries)), null);
    }

    private enum Access
    {
        ReadOnly,
        ReadWrite,
    }

    internal sealed record Check(PingIdentity Identity, ScriptStatusView? Status, ExpectationView? Expectation)
    {
        /// <summary>Whether a run of the script is in progress.</summary>
        public bool Started { get; init; }

        /// <summary>The ids of the channels that tell of the script, sorted.</summary>
        public IReadOnlyList<string> Channels { get; init; } = [];

        /// <summary>How many pings its ping list numbers: a start and a completion per run.</summary>
        public long PingCount { get; init; }
    }

    /// <summary>Every script, with its ping identity (made for those that have none yet), its status row and its expectation.</summary>
    internal static async Task<List<Check>> ChecksAsync(ServerStore store, MonitorServices services, CancellationToken cancellationToken)
    {
        var identities = (IPingIdentityStore)store.Runs;
        var status = await services.Status.ReadAsync(cancellationToken).ConfigureAwait(false);
        var expectations = (await services.Expectations.ListAsync(cancellationToken).ConfigureAwait(false)).Expectations.ToDictionary(e => e.Script, StringComparer.Ordinal);
        var rows = status.Scripts.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var running = (await store.Runs.ListRunningAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Select(r => r.ScriptName).ToHashSet(StringComparer.Ordinal);
        var channels = await store.Runs.ListChannelsAsync(cancellationToken).ConfigureAwait(false);
        var names = new SortedSet<string>(rows.Keys, StringComparer.Ordinal);
        names.UnionWith(expectations.Keys);
        var checks = new List<Check>(names.Count);
        foreach (var name in names)
        {
            var identity = await identities.EnsurePingIdentityAsync(name, cancellationToken).ConfigureAwait(false);
            var expectation = expectations.GetValueOrDefault(name);
            checks.Add(new Check(identity, rows.GetValueOrDefault(name), expectation)
            {
                Started = running.Contains(name),
                Channels = ChannelIdsFor(channels, name, expectation?.Tags ?? []),
                PingCount = 2 * await store.Runs.CountRunsAsync(new RunQuery(name), cancellationToken).ConfigureAwait(false),
            });
        }

        // Checks made over this API that have not run yet.
        foreach (var made in await identities.ListPingIdentitiesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!names.Contains(made.ScriptName))
            {
                checks.Add(new Check(made, null, null) { Channels = ChannelIdsFor(channels, made.ScriptName, []) });
            }
        }

        checks.Sort((a, b) => string.CompareOrdinal(a.Identity.ScriptName, b.Identity.ScriptName));
        return checks;
    }

    private static void WriteCheck(Utf8JsonWriter json, Check check, HttpContext http, int version, Access access)
    {
        var id = check.Identity.PingId.ToString("D");
        var expectation = check.Expectation;
        var lastPing = new[] { check.Status?.LastSuccess?.CompletedAt, check.Status?.LastFailure?.CompletedAt }
            .Where(t => t is not null)
            .Select(t => DateTimeOffset.Parse(t!, CultureInfo.InvariantCulture))
            .DefaultIfEmpty()
            .Max();
        json.WriteStartObject();
        json.WriteString("name", check.Identity.ScriptName);
        json.WriteString("slug", check.Identity.Slug);
        json.WriteString("tags", string.Join(' ', expectation?.Tags ?? []));
        json.WriteString("desc", string.Empty);
        json.WriteNumber("grace", (long)(expectation?.GraceSeconds ?? 3600));
        json.WriteNumber("n_pings", check.PingCount);
        var status = StatusOf(check.Status?.Health, expectation?.Paused ?? false);
        // Healthchecks' v1 says "started" for a check whose run is in progress; v2 and v3 keep the status and say started.
        json.WriteString("status", version == 1 && check.Started && status != "paused" ? "started" : status);
        json.WriteBoolean("started", check.Started);
        if (lastPing == default)
        {
            json.WriteNull("last_ping");
        }
        else
        {
            json.WriteString("last_ping", Instant(lastPing));
        }

        if (NextPing(expectation, lastPing == default ? null : lastPing) is { } next)
        {
            json.WriteString("next_ping", Instant(next));
        }
        else
        {
            json.WriteNull("next_ping");
        }

        json.WriteBoolean("manual_resume", false);
        json.WriteString("methods", string.Empty);
        json.WriteString("subject", string.Empty);
        json.WriteString("subject_fail", string.Empty);
        json.WriteString("start_kw", string.Empty);
        json.WriteString("success_kw", string.Empty);
        json.WriteString("failure_kw", string.Empty);
        json.WriteBoolean("filter_subject", false);
        json.WriteBoolean("filter_body", false);
        json.WriteBoolean("filter_http_body", false);
        json.WriteBoolean("filter_default_fail", false);
        json.WriteString("badge_url", string.Empty);
        if (check.Status?.LastSuccess?.DurationSeconds is { } took && took > 0)
        {
            json.WriteNumber("last_duration", (long)Math.Round(took));
        }

        if (expectation?.Cron is { } cron)
        {
            json.WriteString("schedule", cron);
            json.WriteString("tz", expectation.TimeZone ?? "UTC");
        }
        else
        {
            json.WriteNumber("timeout", (long)(expectation?.EverySeconds ?? 86400));
        }

        if (access == Access.ReadWrite)
        {
            var site = $"{http.Request.Scheme}://{http.Request.Host}{RoutePrefixes.Healthchecks}";
            var update = $"{site}/api/v{version}/checks/{id}";
            json.WriteString("uuid", id);
            json.WriteString("ping_url", $"{site}/ping/{id}");
            json.WriteString("update_url", update);
            json.WriteString("pause_url", update + "/pause");
            json.WriteString("resume_url", update + "/resume");
            json.WriteString("channels", string.Join(',', check.Channels));
        }
        else
        {
            json.WriteString("unique_key", UniqueKey(check.Identity.PingId));
        }

        json.WriteEndObject();
    }

    /// <summary>
    /// When the next ping is due, as Healthchecks says it: the last ping and the period, or the cron schedule's next
    /// time after the last ping; none before a first ping, while paused, or without a schedule.
    /// </summary>
    private static DateTimeOffset? NextPing(ExpectationView? expectation, DateTimeOffset? lastPing)
    {
        if (expectation is null || expectation.Paused || lastPing is not { } last)
        {
            return null;
        }

        if (expectation.Cron is { } cron)
        {
            try
            {
                return ScriptMonitor.Health.CronSchedule.Restore(cron, expectation.TimeZone ?? ScriptMonitor.Health.CronSchedule.DefaultTimeZone).Next(last);
            }
            catch (ArgumentException)
            {
                return null;
            }
        }

        return expectation.EverySeconds is { } every ? last.AddSeconds(every) : null;
    }

    /// <summary>
    /// A channel's id in Healthchecks' form (a UUID), made from its name: ScriptMonitor names channels, and the same
    /// name gives the same id on every server and after every restart.
    /// </summary>
    internal static string ChannelId(string channelName)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("scriptmonitor channel\n" + channelName));
        // A version 8 (name-based, own hash) RFC 9562 UUID.
        hash[7] = (byte)((hash[7] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16)).ToString("D");
    }

    /// <summary>Whether a channel tells of a script: it names no script and no tag (every script), names it, or one of its tags.</summary>
    private static bool Covers(ScriptMonitor.Alerts.AlertChannel channel, string scriptName, IReadOnlyList<string> tags) =>
        (channel.ScriptNames.Count == 0 && channel.Tags.Count == 0)
        || channel.ScriptNames.Contains(scriptName, StringComparer.Ordinal)
        || channel.Tags.Intersect(tags, StringComparer.Ordinal).Any();

    private static List<string> ChannelIdsFor(IReadOnlyList<ScriptMonitor.Alerts.AlertChannel> channels, string scriptName, IReadOnlyList<string> tags) =>
        [.. channels.Where(c => Covers(c, scriptName, tags)).Select(c => ChannelId(c.Name)).Order(StringComparer.Ordinal)];

    /// <summary>The <c>channels</c> field: null when absent; else a string.</summary>
    private static (string? Spec, string? Problem) ChannelSpecOf(JsonElement body) =>
        !body.TryGetProperty("channels", out var value) ? (null, null)
        : value.ValueKind == JsonValueKind.String ? (value.GetString(), null)
        : (null, "channels is not a string");

    /// <summary>
    /// The channels a <c>channels</c> field selects: <c>*</c> every one, empty none, else comma-separated ids or
    /// names; null when the field is absent. The unknown identifier when one names no channel.
    /// </summary>
    private static async Task<(List<ScriptMonitor.Alerts.AlertChannel>? Selection, string? Unknown)> SelectChannelsAsync(ServerStore store, string? spec, CancellationToken cancellationToken)
    {
        if (spec is null)
        {
            return (null, null);
        }

        var channels = await store.Runs.ListChannelsAsync(cancellationToken).ConfigureAwait(false);
        if (spec.Trim() == "*")
        {
            return ([.. channels], null);
        }

        var selection = new List<ScriptMonitor.Alerts.AlertChannel>();
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var channel = channels.FirstOrDefault(c => string.Equals(ChannelId(c.Name), part, StringComparison.OrdinalIgnoreCase))
                ?? channels.FirstOrDefault(c => c.Name == part);
            if (channel is null)
            {
                return (null, part);
            }

            if (!selection.Contains(channel))
            {
                selection.Add(channel);
            }
        }

        return (selection, null);
    }

    /// <summary>
    /// Makes the selected channels tell of the script and the others stop naming it. A channel that tells of every
    /// script, or of the script by a tag, keeps doing so: ScriptMonitor has no way to leave one script out of it.
    /// </summary>
    private static async Task<IResult?> AssignChannelsAsync(HttpContext http, ServerStore store, string scriptName, List<ScriptMonitor.Alerts.AlertChannel> selection, CancellationToken cancellationToken)
    {
        var channels = await store.Runs.ListChannelsAsync(cancellationToken).ConfigureAwait(false);
        var tags = (await store.Runs.GetExpectationAsync(scriptName, cancellationToken).ConfigureAwait(false))?.Tags ?? [];
        foreach (var channel in channels)
        {
            var wanted = selection.Any(c => c.Name == channel.Name);
            var names = channel.ScriptNames.ToList();
            if (wanted && !Covers(channel, scriptName, tags))
            {
                names.Add(scriptName);
            }
            else if (!wanted && names.Remove(scriptName) && names.Count == 0 && channel.Tags.Count == 0)
            {
                // Without its last script the channel would tell of every script.
                return Error(StatusCodes.Status400BadRequest, $"json validation error: channels: the channel '{channel.Name}' tells of this check only; ScriptMonitor cannot leave a channel with no check (remove the channel instead)");
            }
            else
            {
                continue;
            }

            await store.Runs.SaveChannelAsync(channel with { ScriptNames = names }, replace: true, cancellationToken).ConfigureAwait(false);
            await AdminAudit.RecordAsync(http, "channel.put", channel.Name, $"{(wanted ? "added" : "removed")} the script '{scriptName}'", cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>Healthchecks' status of a check from ScriptMonitor's health.</summary>
    internal static string StatusOf(string? health, bool paused) => paused ? "paused" : health switch
    {
        null or "NeverRan" or "Unknown" => "new",
        "Up" or "Learning" or "FutureRun" => "up",
        "Paused" or "Maintenance" => "paused",
        "Late" => "grace",
        _ => "down",
    };

    private static string Instant(DateTimeOffset at) =>
        DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds()).ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);

    /// <summary>Healthchecks' read-only name of a check: the SHA-1 of the first 16 hex digits of its UUID.</summary>
    internal static string UniqueKey(Guid pingId) =>
        Convert.ToHexStringLower(SHA1.HashData(Encoding.ASCII.GetBytes(pingId.ToString("N")[..16])));

    private static async Task<(Access Access, IResult? Refusal)> AuthorizeAsync(HttpContext http, int version, bool write)
    {
        if (version is < 1 or > 3)
        {
            return (Access.ReadOnly, Error(StatusCodes.Status404NotFound, "not found"));
        }

        http.Response.Headers.AccessControlAllowOrigin = "*";
        var presented = http.Request.Headers[ApiKeyHeader].ToString().Trim();
        if (presented.Length == 0)
        {
            return (Access.ReadOnly, Error(StatusCodes.Status401Unauthorized, "missing api key"));
        }

        var caller = await http.RequestServices.GetRequiredService<ICallerKeys>().FindAsync(presented, http.RequestAborted).ConfigureAwait(false);
        var access = caller?.Key?.Scope switch
        {
            KeyScope.Admin => Access.ReadWrite,
            KeyScope.Read => Access.ReadOnly,
            _ => (Access?)null,
        };
        if (caller is not null)
        {
            // Names the key in the audit list of the changes it makes.
            http.Items[typeof(Caller)] = caller;
        }

        // As Healthchecks: a read-only key where writing is needed is a wrong key.
        return access is null || (write && access != Access.ReadWrite)
            ? (Access.ReadOnly, Error(StatusCodes.Status401Unauthorized, "wrong api key"))
            : (access.Value, null);
    }

    private static IResult Error(int status, string message) => Json(status, json =>
    {
        json.WriteStartObject();
        json.WriteString("error", message);
        json.WriteEndObject();
    });

    private static IResult Json(int status, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        return Results.Text(Encoding.UTF8.GetString(buffer.ToArray()), "application/json", Encoding.UTF8, status);
    }
}

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
/// The part of Healthchecks' management API that dashboards and ping setups read, under
/// <c>/hc/api/v1|v2|v3/</c>: the checks (a check is a script), one check, creating one, and the status probe. Keys
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
        app.MapGet(api + "/status", Status).ExcludeFromDescription();
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
        var (access, refusal) = await AuthorizeAsync(http, version, write: false).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var checks = await ChecksAsync(store, services, http.RequestAborted).ConfigureAwait(false);
        // A read key names a check by its unique_key only: its UUID is a write capability it never sees.
        var check = checks.FirstOrDefault(c =>
            (access == Access.ReadWrite && Guid.TryParse(code, out var uuid) && c.Identity.PingId == uuid)
            || string.Equals(UniqueKey(c.Identity.PingId), code, StringComparison.OrdinalIgnoreCase));
        return check is null
            ? Error(StatusCodes.Status404NotFound, "not found")
            : Json(StatusCodes.Status200OK, json => WriteCheck(json, check, http, version, access));
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

            patch = made;
        }
        catch (JsonException)
        {
            return Error(StatusCodes.Status400BadRequest, "could not parse request body");
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

    /// <summary>The check a read-write key names by its UUID; else the refusal (401, 404).</summary>
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

    private sealed record Check(PingIdentity Identity, ScriptStatusView? Status, ExpectationView? Expectation);

    /// <summary>Every script, with its ping identity (made for those that have none yet), its status row and its expectation.</summary>
    private static async Task<List<Check>> ChecksAsync(ServerStore store, MonitorServices services, CancellationToken cancellationToken)
    {
        var identities = (IPingIdentityStore)store.Runs;
        var status = await services.Status.ReadAsync(cancellationToken).ConfigureAwait(false);
        var expectations = (await services.Expectations.ListAsync(cancellationToken).ConfigureAwait(false)).Expectations.ToDictionary(e => e.Script, StringComparer.Ordinal);
        var rows = status.Scripts.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var names = new SortedSet<string>(rows.Keys, StringComparer.Ordinal);
        names.UnionWith(expectations.Keys);
        var checks = new List<Check>(names.Count);
        foreach (var name in names)
        {
            var identity = await identities.EnsurePingIdentityAsync(name, cancellationToken).ConfigureAwait(false);
            checks.Add(new Check(identity, rows.GetValueOrDefault(name), expectations.GetValueOrDefault(name)));
        }

        // Checks made over this API that have not run yet.
        foreach (var made in await identities.ListPingIdentitiesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!names.Contains(made.ScriptName))
            {
                checks.Add(new Check(made, null, null));
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
        json.WriteNumber("n_pings", check.Status?.RunsLast24Hours ?? 0);
        json.WriteString("status", StatusOf(check.Status?.Health, expectation?.Paused ?? false));
        json.WriteBoolean("started", false);
        if (lastPing == default)
        {
            json.WriteNull("last_ping");
        }
        else
        {
            json.WriteString("last_ping", Instant(lastPing));
        }

        json.WriteNull("next_ping");
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
            json.WriteString("channels", string.Empty);
        }
        else
        {
            json.WriteString("unique_key", UniqueKey(check.Identity.PingId));
        }

        json.WriteEndObject();
    }

    /// <summary>Healthchecks' status of a check from ScriptMonitor's health.</summary>
    private static string StatusOf(string? health, bool paused) => paused ? "paused" : health switch
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

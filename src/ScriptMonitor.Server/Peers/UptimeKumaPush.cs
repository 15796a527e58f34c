using System.Globalization;
using System.Text;
using System.Text.Json;
using ScriptMonitor.Access;
using ScriptMonitor.Server.Hosting;
using ScriptMonitor.Server.Ingest;

namespace ScriptMonitor.Server.Peers;

/// <summary>
/// Uptime Kuma's push monitor under <see cref="RoutePrefixes.UptimeKuma"/>: <c>/api/push/TOKEN?status=up|down&amp;msg=&amp;ping=</c>,
/// any method, the query only. A script's push token is its ping UUID without dashes (32 characters, the length
/// Kuma makes); every push is a run whose runtime is unknown: <c>up</c> a success, anything else a failure.
/// </summary>
internal static class UptimeKumaPush
{
    private const string NotFound = "Monitor not found or not active.";

    public static void MapUptimeKumaPush(this WebApplication app) =>
        app.Map(RoutePrefixes.UptimeKuma + "/api/push/{token}", PushAsync).ExcludeFromDescription();

    private static async Task<IResult> PushAsync(string token, HttpContext http, ServerStore store, IngestQueue queue, TimeProvider clock)
    {
        if (store.Runs is not IPingIdentityStore identities
            || !Guid.TryParseExact(token, token.Length == 32 ? "N" : "D", out var pingId)
            || await identities.FindPingIdentityAsync(pingId, http.RequestAborted).ConfigureAwait(false) is not { } identity)
        {
            return Answer(StatusCodes.Status404NotFound, NotFound);
        }

        var query = http.Request.Query;
        var status = query["status"].ToString() is { Length: > 0 } given ? given : "up";
        var message = query["msg"].ToString() is { Length: > 0 } msg ? msg : "OK";
        // Kuma reads ping with parseFloat and refuses values outside 0 to 1e11 milliseconds.
        if (query["ping"].ToString() is { Length: > 0 } pingText
            && double.TryParse(pingText, NumberStyles.Float, CultureInfo.InvariantCulture, out var ping)
            && ping is < 0 or > 1e11)
        {
            return Answer(StatusCodes.Status404NotFound, "ping must be between 0 and 100000000000");
        }

        var now = clock.GetUtcNow();
        await PeerRuns.RecordAloneAsync(queue, identity.ScriptName, HealthchecksPing.HostOf(http), now, status != "up", message, http.RequestAborted).ConfigureAwait(false);
        return Answer(StatusCodes.Status200OK, null);
    }

    private static IResult Answer(int status, string? error)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteBoolean("ok", error is null);
            if (error is not null)
            {
                json.WriteString("msg", error);
            }

            json.WriteEndObject();
        }

        return Results.Text(Encoding.UTF8.GetString(buffer.ToArray()), "application/json; charset=utf-8", Encoding.UTF8, status);
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ScriptMonitor.Access;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Hosting;
using ScriptMonitor.Server.Ingest;

namespace ScriptMonitor.Server.Peers;

/// <summary>
/// Cronitor's telemetry under <see cref="RoutePrefixes.Cronitor"/>: the SDKs' <c>/p/KEY/MONITOR?state=…</c> and
/// CronitorCLI's <c>/ping/KEY/MONITOR?state=…</c>, any method. The key is the installation's ping key; a monitor is
/// a script by its name, made by its first ping as Cronitor makes unknown monitors.
/// </summary>
internal static class CronitorTelemetry
{
    /// <summary>The most characters of a message kept, as CronitorCLI sends at most.</summary>
    private const int MaxMessage = 2048;

    public static void MapCronitorTelemetry(this WebApplication app)
    {
        app.Map(RoutePrefixes.Cronitor + "/p/{key}/{monitor}", TelemetryAsync).ExcludeFromDescription();
        app.Map(RoutePrefixes.Cronitor + "/ping/{key}/{monitor}", TelemetryAsync).ExcludeFromDescription();
    }

    private static async Task<IResult> TelemetryAsync(
        string key, string monitor, HttpContext http, ServerStore store, IngestQueue queue, OpenRuns openRuns, PingKeyCache pingKey, TimeProvider clock)
    {
        if (store.Runs is not IPingIdentityStore identities)
        {
            return Text(StatusCodes.Status404NotFound, "not found");
        }

        var installationKey = await pingKey.GetAsync(identities, http.RequestAborted).ConfigureAwait(false);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(installationKey)))
        {
            return Text(StatusCodes.Status403Forbidden, "invalid api key");
        }

        try
        {
            RunValidation.ScriptName(monitor, "monitor");
        }
        catch (ArgumentException badName)
        {
            return Text(StatusCodes.Status400BadRequest, badName.Message);
        }

        var query = http.Request.Query;
        var state = query["state"].ToString();
        if (state.Length == 0)
        {
            // Cronitor's legacy forms take a bare URL as a run.
            state = "run";
        }

        if (state is not ("run" or "complete" or "fail" or "ok"))
        {
            return Text(StatusCodes.Status400BadRequest, "state must be run, complete, fail or ok");
        }

        var now = clock.GetUtcNow();
        var at = now;
        if (query["stamp"].ToString() is { Length: > 0 } stampText)
        {
            if (!double.TryParse(stampText, NumberStyles.Float, CultureInfo.InvariantCulture, out var stamp) || stamp is < 0 or > 253402300799)
            {
                return Text(StatusCodes.Status400BadRequest, "stamp must be a Unix time in seconds");
            }

            at = DateTimeOffset.FromUnixTimeMilliseconds((long)(stamp * 1000));
        }

        int? exitCode = null;
        if (query["status_code"].ToString() is { Length: > 0 } codeText)
        {
            if (!int.TryParse(codeText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code))
            {
                return Text(StatusCodes.Status400BadRequest, "status_code must be an integer");
            }

            exitCode = code;
        }

        TimeSpan? duration = null;
        var durationText = query["duration"].ToString();
        foreach (var metric in query["metric"])
        {
            if (metric is not null && metric.StartsWith("duration:", StringComparison.Ordinal))
            {
                durationText = metric["duration:".Length..];
            }
        }

        if (durationText.Length > 0)
        {
            if (!double.TryParse(durationText, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds is < 0 or > 31_536_000)
            {
                return Text(StatusCodes.Status400BadRequest, "duration must be seconds, 0 to 31536000");
            }

            duration = TimeSpan.FromSeconds(seconds);
        }

        var host = query["host"].ToString() is { Length: > 0 } named && ValidHost(named) ? named : HealthchecksPing.HostOf(http);
        var message = query["message"].ToString() is { Length: > 0 } m ? m : query["msg"].ToString();
        var output = message.Length == 0 ? null : message.Length > MaxMessage ? message[..MaxMessage] : message;
        var identity = await identities.EnsurePingIdentityAsync(monitor, http.RequestAborted).ConfigureAwait(false);
        Guid? paired = query["series"].ToString() is { Length: > 0 } series ? PeerRuns.IdOf(identity.PingId, "cronitor series " + series) : null;
        if (state == "run")
        {
            await PeerRuns.StartAsync(queue, monitor, paired ?? ScriptRun.NewId(at), host, at, http.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            await PeerRuns.CompleteAsync(store, queue, openRuns, monitor, paired, host, at, now, state == "fail", exitCode, output, duration, http.RequestAborted).ConfigureAwait(false);
        }

        return Text(StatusCodes.Status200OK, "OK");
    }

    private static bool ValidHost(string host)
    {
        try
        {
            RunValidation.Hostname(host, "host");
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static IResult Text(int status, string body) => Results.Text(body, "text/plain; charset=utf-8", Encoding.UTF8, status);
}

using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ScriptMonitor.Access;
using ScriptMonitor.Runs;
using ScriptMonitor.Server.Hosting;
using ScriptMonitor.Server.Ingest;

namespace ScriptMonitor.Server.Peers;

/// <summary>
/// Healthchecks' ping API under <see cref="RoutePrefixes.Healthchecks"/>, acting as its site root: <c>/hc/ping/…</c>
/// as a self-hosted Healthchecks serves it, and the same forms at <c>/hc/…</c> as hc-ping.com does. Statuses and bodies
/// are the peer's own, so that its clients (runitor, curl one-liners, libraries that compare the body to <c>OK</c>)
/// work unchanged. Every run goes through the group commit like a native one.
/// </summary>
internal static partial class HealthchecksPing
{
    /// <summary>The most bytes of a ping's body kept as the run's output (its tail), announced in <c>Ping-Body-Limit</c>.</summary>
    public const int BodyLimit = 10_000;

    private const string BodyLimitHeader = "Ping-Body-Limit";
    private const string Start = "start";
    private const string Fail = "fail";
    private const string Log = "log";

    [GeneratedRegex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial Regex UuidForm();

    [GeneratedRegex("^[-a-zA-Z0-9_]+$")]
    private static partial Regex SlugForm();

    [GeneratedRegex("^[0-9]+$")]
    private static partial Regex ExitCodeForm();

    public static void MapHealthchecksPing(this WebApplication app)
    {
        // Any method, as Healthchecks: HEAD, GET and POST are documented, and its view takes whatever comes.
        app.Map(RoutePrefixes.Healthchecks + "/{**path}", PingAsync).ExcludeFromDescription();
    }

    private static async Task PingAsync(HttpContext http, string? path, ServerStore store, IngestQueue queue, OpenRuns openRuns, PingKeyCache pingKey, TimeProvider clock)
    {
        var response = http.Response;
        response.Headers[BodyLimitHeader] = BodyLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers.AccessControlAllowOrigin = "*";
        response.Headers.CacheControl = "no-cache, no-store, must-revalidate, private";
        var (status, body) = await AnswerAsync(http, path ?? string.Empty, store, queue, openRuns, pingKey, clock).ConfigureAwait(false);
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(body, http.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<(int Status, string Body)> AnswerAsync(HttpContext http, string path, ServerStore store, IngestQueue queue, OpenRuns openRuns, PingKeyCache pingKey, TimeProvider clock)
    {
        if (store.Runs is not IPingIdentityStore identities)
        {
            return (StatusCodes.Status404NotFound, "not found");
        }

        var segments = path.Split('/');
        // /hc/ping/… (a self-hosted site's ping endpoint) and /hc/… (hc-ping.com's root) take the same forms.
        if (segments.Length > 1 && segments[0] == "ping")
        {
            segments = segments[1..];
        }

        PingIdentity identity;
        string action;
        var created = false;
        if (UuidForm().IsMatch(segments[0]))
        {
            // A trailing slash is a success too: Healthchecks' UUID routes include an empty path.
            if (segments.Length > 2 || (action = segments.Length == 2 ? segments[1] : string.Empty) is not ("" or Start or Fail or Log) && !ExitCodeForm().IsMatch(action))
            {
                return NotFound;
            }

            if (await pingKey.FindAsync(identities, Guid.Parse(segments[0]), http.RequestAborted).ConfigureAwait(false) is not { } found)
            {
                return NotFound;
            }

            identity = found;
        }
        else
        {
            if (segments.Length is < 2 or > 3 || !SlugForm().IsMatch(segments[0]) || !SlugForm().IsMatch(segments[1]))
            {
                return NotFound;
            }

            action = segments.Length == 3 ? segments[2] : string.Empty;
            if (segments.Length == 3 && action is not (Start or Fail or Log) && !ExitCodeForm().IsMatch(action))
            {
                return NotFound;
            }

            var slug = segments[1];
            if (slug != slug.ToLowerInvariant())
            {
                return InvalidUrl;
            }

            var installationKey = await pingKey.GetAsync(identities, http.RequestAborted).ConfigureAwait(false);
            if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(segments[0]), Encoding.UTF8.GetBytes(installationKey)))
            {
                return NotFound;
            }

            var matches = await FindBySlugAsync(store.Runs, identities, slug, http.RequestAborted).ConfigureAwait(false);
            if (matches.Count > 1)
            {
                return (StatusCodes.Status409Conflict, "ambiguous slug");
            }

            if (matches.Count == 0)
            {
                if (http.Request.Query["create"] != "1")
                {
                    return NotFound;
                }

                matches = [await identities.EnsurePingIdentityAsync(slug, http.RequestAborted).ConfigureAwait(false)];
                created = true;
            }

            identity = matches[0];
        }

        int? exitCode = null;
        if (ExitCodeForm().IsMatch(action))
        {
            if (!int.TryParse(action, out var code) || code > 255)
            {
                return InvalidUrl;
            }

            exitCode = code;
        }

        Guid? rid = null;
        if (http.Request.Query.TryGetValue("rid", out var ridText) && ridText.ToString() is { Length: > 0 } ridValue)
        {
            if (!UuidForm().IsMatch(ridValue))
            {
                return (StatusCodes.Status400BadRequest, "invalid uuid format");
            }

            rid = Guid.Parse(ridValue);
        }

        var output = await ReadBodyTailAsync(http.Request, http.RequestAborted).ConfigureAwait(false);
        if (action == Log)
        {
            // Not a run: an event of the script, which the script's events list (and later the pings list) shows.
            if (store.Runs is IScriptEventStore events)
            {
                await events.AddScriptEventAsync(identity.ScriptName, clock.GetUtcNow(), ScriptEvent.Log, output, HostOf(http), http.RequestAborted).ConfigureAwait(false);
            }
        }
        else
        {
            await RecordAsync(identity, action, exitCode, rid, output, HostOf(http), store, queue, openRuns, clock, http.RequestAborted).ConfigureAwait(false);
        }

        return created ? (StatusCodes.Status201Created, "Created") : (StatusCodes.Status200OK, "OK");
    }

    private static (int, string) NotFound => (StatusCodes.Status404NotFound, "not found");

    private static (int, string) InvalidUrl => (StatusCodes.Status400BadRequest, "invalid url format");

    /// <summary>
    /// The identities with this slug; scripts that have none yet but whose name has this slug get theirs first, so
    /// that a slug URL finds every script, not only the ones pinged before.
    /// </summary>
    private static async Task<IReadOnlyList<PingIdentity>> FindBySlugAsync(IScriptRunStore runs, IPingIdentityStore identities, string slug, CancellationToken cancellationToken)
    {
        var found = await identities.FindPingIdentitiesBySlugAsync(slug, cancellationToken).ConfigureAwait(false);
        var scripts = await runs.ListScriptsAsync(cancellationToken).ConfigureAwait(false);
        var missing = scripts.Where(s => PingIdentity.SlugOf(s.Name) == slug && found.All(f => f.ScriptName != s.Name)).ToList();
        if (missing.Count == 0)
        {
            return found;
        }

        foreach (var script in missing)
        {
            await identities.EnsurePingIdentityAsync(script.Name, cancellationToken).ConfigureAwait(false);
        }

        return await identities.FindPingIdentitiesBySlugAsync(slug, cancellationToken).ConfigureAwait(false);
    }

    private static async Task RecordAsync(
        PingIdentity identity, string action, int? exitCode, Guid? rid, string? output, string host, ServerStore store, IngestQueue queue, OpenRuns openRuns, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // With a rid, the run's id comes from the check and the rid: the start and its completion meet under it, and a
        // client's retry of either is stored once.
        Guid? paired = rid is { } pairing ? PeerRuns.IdOf(identity.PingId, pairing.ToString("D")) : null;
        if (action == Start)
        {
            await PeerRuns.StartAsync(queue, identity.ScriptName, paired ?? ScriptRun.NewId(now), host, now, cancellationToken).ConfigureAwait(false);
            return;
        }

        var failed = action == Fail || exitCode is > 0;
        await PeerRuns.CompleteAsync(store, queue, openRuns, identity.ScriptName, paired, host, now, now, failed, exitCode, output, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The body's last <see cref="BodyLimit"/> bytes as text; null for an empty body.</summary>
    private static async Task<string?> ReadBodyTailAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (buffer.Length == 0)
        {
            return null;
        }

        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        var tail = bytes.Length > BodyLimit ? bytes[^BodyLimit..] : bytes;
        // A cut may fall inside a character: continuation bytes at the start of the tail are dropped.
        while (tail.Length > 0 && (tail[0] & 0xC0) == 0x80 && bytes.Length > BodyLimit)
        {
            tail = tail[1..];
        }

        return Encoding.UTF8.GetString(tail).Replace('\0', '\uFFFD');
    }

    internal static string HostOf(HttpContext http) => http.Connection.RemoteIpAddress is { } address
        ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
        : "unknown";
}

/// <summary>
/// Ping UUIDs and the installation's ping key as last read, so that a ping costs no read of the store. An entry lives
/// <see cref="Lifetime"/>: a UUID set, moved or removed by <c>scriptmon ping-id</c> or <c>ping-key</c> in another
/// process is seen within it; a check deleted through this server is forgotten at once.
/// </summary>
internal sealed class PingKeyCache(TimeProvider clock)
{
    /// <summary>How long a read is trusted: short enough that a change made elsewhere counts soon, long enough that a busy ping path seldom reads.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, (PingIdentity Identity, long ReadAt)> _identities = new();
    private (string Key, long ReadAt)? _key;

    /// <summary>The identity with this UUID; only found ones are kept, so a UUID made later is found then.</summary>
    public async ValueTask<PingIdentity?> FindAsync(IPingIdentityStore identities, Guid pingId, CancellationToken cancellationToken)
    {
        if (_identities.TryGetValue(pingId, out var known) && Fresh(known.ReadAt))
        {
            return known.Identity;
        }

        var readAt = clock.GetTimestamp();
        var found = await identities.FindPingIdentityAsync(pingId, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            _identities.TryRemove(pingId, out _);
        }
        else
        {
            _identities[pingId] = (found, readAt);
        }

        return found;
    }

    /// <summary>The installation's ping key.</summary>
    public async ValueTask<string> GetAsync(IPingIdentityStore identities, CancellationToken cancellationToken)
    {
        if (_key is { } known && Fresh(known.ReadAt))
        {
            return known.Key;
        }

        var readAt = clock.GetTimestamp();
        var key = await identities.EnsurePingKeyAsync(cancellationToken).ConfigureAwait(false);
        _key = (key, readAt);
        return key;
    }

    /// <summary>Drops what is known of a script's UUID, after this server deleted or changed it.</summary>
    public void Forget(string scriptName)
    {
        foreach (var (pingId, entry) in _identities)
        {
            if (string.Equals(entry.Identity.ScriptName, scriptName, StringComparison.Ordinal))
            {
                _identities.TryRemove(pingId, out _);
            }
        }
    }

    private bool Fresh(long readAt) => clock.GetElapsedTime(readAt) < Lifetime;
}

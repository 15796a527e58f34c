using System.Collections.Frozen;
using System.Security.Cryptography;
using ScriptMonitor.Server.Hosting;

namespace ScriptMonitor.Server.Dashboard;

/// <summary>
/// The dashboard: a page, one script and one style sheet, embedded in the binary and served under
/// <see cref="RoutePrefixes.Dashboard"/>. The page reads the native JSON API with the key its user types; the files
/// themselves hold no data and need no key.
/// </summary>
/// <remarks>
/// Served by a small handler over the assembly's manifest resources rather than the static-files middleware with a
/// file provider: no reflection and no file system, so it stays Native AOT clean, and every answer carries the
/// dashboard's security headers.
/// </remarks>
internal static class DashboardEndpoints
{
    /// <summary>
    /// Scripts and styles only from the server itself, nothing inline and nothing from elsewhere: job output and
    /// script names are attacker-controlled text, and even if one were ever written as markup it could not run.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private const string ResourcePrefix = "dashboard/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly Lazy<FrozenDictionary<string, DashboardFile>> Files = new(Load);

    public static void MapDashboard(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", () => Results.Redirect(RoutePrefixes.Dashboard + "/")).ExcludeFromDescription();
        // Routing does not tell /ui from /ui/; the page's files are named relative to it, so it must end in a slash.
        routes.MapGet(RoutePrefixes.Dashboard + "/{file?}", (HttpContext http, string? file) =>
                file is not null ? Serve(http, file)
                : http.Request.Path.Value!.EndsWith('/') ? Serve(http, "index.html")
                : Results.Redirect(RoutePrefixes.Dashboard + "/"))
            .ExcludeFromDescription();
    }

    private static IResult Serve(HttpContext http, string name)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        if (!Files.Value.TryGetValue(name, out var file))
        {
            return Results.Text("not found\n", statusCode: StatusCodes.Status404NotFound);
        }

        // Revalidated on every load, so a new server version's page never runs with the old script.
        headers.CacheControl = "no-cache";
        headers.ETag = file.ETag;
        if (http.Request.Headers.IfNoneMatch == file.ETag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(file.Content, file.ContentType);
    }

    private static FrozenDictionary<string, DashboardFile> Load()
    {
        var assembly = typeof(DashboardEndpoints).Assembly;
        var files = new Dictionary<string, DashboardFile>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal)
                || !ContentTypes.TryGetValue(Path.GetExtension(resource), out var contentType))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 12)) + "\"";
            files[resource[ResourcePrefix.Length..]] = new DashboardFile(content, contentType, etag);
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private sealed record DashboardFile(byte[] Content, string ContentType, string ETag);
}

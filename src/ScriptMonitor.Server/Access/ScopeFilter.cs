using Microsoft.Extensions.Options;
using ScriptMonitor.Access;
using ScriptMonitor.Server.Api;
using ScriptMonitor.Server.Hosting;
using ScriptMonitor.Server.Limits;

namespace ScriptMonitor.Server.Access;

/// <summary>
/// Lets a call through only for a caller whose key allows it: no key → 401 (unless the call only reads and anonymous
/// reading is switched on), an unknown or revoked key → 401, a key of another scope → 403, a caller over its rate →
/// 429. The key itself is never logged or echoed.
/// </summary>
/// <remarks>
/// The check is a middleware that reads the scope an endpoint requires from its metadata, not an endpoint filter: a
/// filter runs after the body is bound, so a caller without a key would learn from a 400 what the body should look
/// like before being told that it may not call at all.
/// </remarks>
internal static class ScopeFilter
{
    private const string BearerPrefix = "Bearer ";
    private const string ApiKeyHeader = "X-Api-Key";

    /// <summary>
    /// Marks an endpoint as needing a key of <paramref name="scope"/> (or a wider one), and describes the answers the
    /// check may give instead of the endpoint's: 401, 403, 429, and 503 when the key cannot be looked up.
    /// </summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, KeyScope scope)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredScope(scope))
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    /// <summary>Checks every request routed to an endpoint marked with <see cref="RequireScope{TBuilder}"/>, before its body is read.</summary>
    public static IApplicationBuilder UseScopeCheck(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (http.GetEndpoint()?.Metadata.GetMetadata<RequiredScope>() is not { } required)
            {
                await next(http).ConfigureAwait(false);
                return;
            }

            if (await RefusalAsync(http, required.Scope).ConfigureAwait(false) is { } refusal)
            {
                await refusal.ExecuteAsync(http).ConfigureAwait(false);
                return;
            }

            await next(http).ConfigureAwait(false);
        });

    private static async ValueTask<IResult?> RefusalAsync(HttpContext http, KeyScope scope)
    {
        var caller = await IdentifyAsync(http).ConfigureAwait(false);
        if (http.RequestServices.GetRequiredService<CallerRateLimiter>().Admit(http, caller) is { } tooMany)
        {
            return tooMany;
        }

        if (caller is null)
        {
            return ApiProblems.Unauthorized(http, "the key is unknown or revoked");
        }

        if (caller.Key is null)
        {
            var anonymousRead = http.RequestServices.GetRequiredService<IOptions<ServerOptions>>().Value.AnonymousRead;
            if (!(scope == KeyScope.Read && anonymousRead))
            {
                return ApiProblems.Unauthorized(http, $"this call needs a key with the {Describe(scope)} scope (Authorization: Bearer KEY, or {ApiKeyHeader}: KEY)");
            }
        }
        else if (!caller.May(scope))
        {
            return ApiProblems.Forbidden($"the key '{caller.Name}' has the {Describe(caller.Key.Scope)} scope; this call needs {Describe(scope)}");
        }

        http.Items[typeof(Caller)] = caller;
        return null;
    }

    /// <summary>The caller of a request that passed the filter.</summary>
    public static Caller CallerOf(HttpContext http) => http.Items[typeof(Caller)] as Caller ?? Caller.Anonymous;

    private static async ValueTask<Caller?> IdentifyAsync(HttpContext http)
    {
        var presented = PresentedKey(http.Request);
        if (presented is null)
        {
            return Caller.Anonymous;
        }

        var keys = http.RequestServices.GetRequiredService<ICallerKeys>();
        return await keys.FindAsync(presented, http.RequestAborted).ConfigureAwait(false);
    }

    private static string? PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return authorization[BearerPrefix.Length..].Trim() is { Length: > 0 } bearer ? bearer : null;
        }

        return request.Headers[ApiKeyHeader].ToString().Trim() is { Length: > 0 } key ? key : null;
    }

    private static string Describe(KeyScope scope) => scope.ToString().ToLowerInvariant();

    /// <summary>The scope an endpoint requires, as its metadata.</summary>
    private sealed record RequiredScope(KeyScope Scope);
}

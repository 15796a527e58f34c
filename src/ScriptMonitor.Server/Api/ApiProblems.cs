using Microsoft.AspNetCore.Http.HttpResults;

namespace ScriptMonitor.Server.Api;

/// <summary>
/// The native API's errors as RFC 9457 problem details (<c>application/problem+json</c>): a status, a title, and a
/// detail a person can act on.
/// </summary>
internal static class ApiProblems
{
    /// <summary>How long a client should wait before trying again when the store does not answer.</summary>
    public const string StoreRetryAfterSeconds = "5";

    public static ProblemHttpResult Unauthorized(HttpContext http, string detail)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
    }

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not Found");

    /// <summary>A name in the request that names nothing (an unknown script), with the field that named it.</summary>
    public static ProblemHttpResult NotFound(string detail, IReadOnlyList<FieldProblem> errors) =>
        TypedResults.Problem(
            detail: detail,
            statusCode: StatusCodes.Status404NotFound,
            title: "Not Found",
            extensions: new Dictionary<string, object?> { ["errors"] = errors.ToArray() });

    /// <summary>A request that conflicts with what the store holds (a key name already in use).</summary>
    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    /// <summary>A request with broken fields: every broken rule, each naming its field as the request does.</summary>
    public static ProblemHttpResult BadRequest(string detail, IReadOnlyList<FieldProblem> errors) =>
        TypedResults.Problem(
            detail: detail,
            statusCode: StatusCodes.Status400BadRequest,
            title: "Bad Request",
            extensions: new Dictionary<string, object?> { ["errors"] = errors.ToArray() });

    public static ProblemHttpResult StoreUnavailable(HttpContext http, string detail)
    {
        http.Response.Headers.RetryAfter = StoreRetryAfterSeconds;
        return TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Store Unavailable");
    }

    /// <summary>A body over the configured limit: nothing of it is stored.</summary>
    public static ProblemHttpResult ContentTooLarge(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Content Too Large");

    /// <summary>A caller over its rate limit, told how many whole seconds to wait.</summary>
    public static ProblemHttpResult TooManyRequests(HttpContext http, long retryAfterSeconds, string detail)
    {
        http.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too Many Requests");
    }
}

using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ScriptMonitor.Server.Api;

/// <summary>
/// Reads a request's JSON body itself rather than leaving it to the framework, so that a value of the wrong type is a
/// 400 that names its field (<c>everySeconds</c>) like every other broken rule. Routes that read a body this way declare
/// no accepted content type: routing would then pass over a request without one, and the API's "no endpoint" 404
/// would answer instead of this 400 or 415.
/// </summary>
internal static class JsonBody
{
    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpContext http, JsonTypeInfo<T> type, bool optional, CancellationToken cancellationToken)
        where T : class
    {
        var request = http.Request;
        if (request.ContentLength == 0 || (request.ContentLength is null && !request.Headers.TransferEncoding.Any()))
        {
            return optional
                ? (null, null)
                : (null, ApiProblems.BadRequest("the request needs a JSON body", [new FieldProblem(string.Empty, "required", "the request needs a JSON body")]));
        }

        if (!request.HasJsonContentType())
        {
            return (null, TypedResults.Problem(detail: "the body must be JSON (Content-Type: application/json)", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported Media Type"));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync(request.Body, type, cancellationToken).ConfigureAwait(false);
            return value is null && !optional
                ? (null, ApiProblems.BadRequest("the body must be a JSON object", [new FieldProblem(string.Empty, "json", "the body must be a JSON object")]))
                : (value, null);
        }
        catch (JsonException e)
        {
            var path = e.Path is { Length: > 2 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : string.Empty;
            var message = path.Length > 0
                ? $"{path} has a value of the wrong type or form"
                : "the body is not JSON, or not the object this call takes";
            return (null, ApiProblems.BadRequest(message, [new FieldProblem(path, "json", message)]));
        }
    }
}

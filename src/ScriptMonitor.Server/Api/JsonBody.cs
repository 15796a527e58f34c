using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.OpenApi;

namespace ScriptMonitor.Server.Api;

/// <summary>
/// Reads a request's JSON body itself rather than leaving it to the framework, so that a value of the wrong type is a
/// 400 that names its field (<c>everySeconds</c>) like every other broken rule. Routes that read a body this way declare
/// no accepted content type: routing would then pass over a request without one, and the API's "no endpoint" 404
/// would answer instead of this 400 or 415. <see cref="Documents{T}"/> puts the body in the OpenAPI document instead.
/// </summary>
internal static class JsonBody
{
    /// <summary>
    /// Describes the body a route reads with <see cref="ReadAsync{T}"/> in the OpenAPI document, without the accepted
    /// content type that <c>Accepts</c> would add to routing.
    /// </summary>
    public static RouteHandlerBuilder Documents<T>(this RouteHandlerBuilder route, bool optional = false) =>
        route.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken).ConfigureAwait(false);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = !optional,
                Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal) { ["application/json"] = new OpenApiMediaType { Schema = schema } },
            };
        });

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
        catch (BadHttpRequestException e)
        {
            // Kestrel refused the body as it arrived (larger than the limit, a broken chunk): its status, described by
            // the problem details options (the 413 names the setting).
            return (null, TypedResults.Problem(statusCode: e.StatusCode));
        }
        catch (JsonException e)
        {
            var path = FieldPath(e.Path);
            var (rule, message) = path.Length == 0 ? ("json", "the body is not JSON, or not the object this call takes")
                : e is InstantFormatException ? ("instant", $"{path} {InstantJsonConverter.Rule}")
                : IsDuplicate(e) ? ("duplicate", $"{path} is given twice; a body names each field once")
                : ("json", $"{path} has a value of the wrong type or form");
            return (null, ApiProblems.BadRequest(message, [new FieldProblem(path, rule, message)]));
        }
    }

    /// <summary>
    /// A property given twice, which the body's serializer options refuse (<c>AllowDuplicateProperties = false</c>);
    /// System.Text.Json tells it only in its message.
    /// </summary>
    private static bool IsDuplicate(JsonException e) => e.Message.StartsWith("Duplicate", StringComparison.Ordinal);

    /// <summary>The request's name of the field a JSON path points at: <c>$.exitCode</c> → <c>exitCode</c>, <c>$[3].startedAt</c> → <c>[3].startedAt</c>.</summary>
    private static string FieldPath(string? jsonPath) => jsonPath switch
    {
        null or "$" => string.Empty,
        _ when jsonPath.StartsWith("$.", StringComparison.Ordinal) => jsonPath[2..],
        _ when jsonPath.StartsWith('$') => jsonPath[1..],
        _ => jsonPath,
    };
}

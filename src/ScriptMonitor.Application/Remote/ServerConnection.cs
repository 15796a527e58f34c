using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ScriptMonitor.Application.Configuration;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Remote;

/// <summary>
/// Requests to a ScriptMonitor server's native API, with every way a request can fail mapped to what the rest of the
/// application already handles for a store: the server cannot take the request now (unreachable, slow, 5xx, 429, a
/// key it refuses) is a <see cref="StoreUnavailableException"/>, so a recorder spools and a query exits as for a store
/// outage; the request's own fault (400, 409, 413) is a <see cref="ValidationException"/>, which retrying cannot help; an
/// unknown resource (404) is a <see cref="KeyNotFoundException"/>. Each request, its body read included, lasts at most
/// <see cref="RequestBound"/>.
/// </summary>
internal sealed class ServerConnection
{
    /// <summary>How long one request may last unless told otherwise: the recorder's own wait bound.</summary>
    public static readonly TimeSpan DefaultRequestBound = TimeSpan.FromSeconds(5);

    // Before the client, which sends it: static members are set in the order they are written.

    /// <summary>What <c>User-Agent</c> says: the program and its version, for the server's log.</summary>
    internal static string UserAgent { get; } = "scriptmon/" + Version();

    // One client per process: a short-lived command makes a few requests, a long-lived script many, and every one of
    // them should reuse the connection. Connections are recycled so a server moved in DNS is found again.
    private static readonly HttpClient Client = CreateClient();

    private readonly Uri _baseUrl;

    /// <summary>Connects to a server; nothing is sent until a request is made.</summary>
    /// <param name="server">The server and the key to present.</param>
    /// <param name="requestBound">How long one request may last; <see cref="DefaultRequestBound"/> when null.</param>
    public ServerConnection(ServerLocation server, TimeSpan? requestBound = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        Server = server;
        RequestBound = requestBound ?? DefaultRequestBound;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestBound, TimeSpan.Zero, nameof(requestBound));

        // Relative paths resolve under the base URL only when it ends with a slash (a server behind a path prefix).
        var url = server.Url.GetLeftPart(UriPartial.Path);
        _baseUrl = new Uri(url.EndsWith('/') ? url : url + "/");
    }

    /// <summary>The server and the key presented.</summary>
    public ServerLocation Server { get; }

    /// <summary>How long one request may last.</summary>
    public TimeSpan RequestBound { get; }

    /// <summary>The server for people to read, never with the key.</summary>
    public string Description => Server.ToString();

    /// <summary>GETs a resource of the API.</summary>
    /// <param name="path">The path under the server's base URL, without a leading slash (<c>api/v1/status</c>), with any query.</param>
    /// <param name="reply">How to read the answer.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ServerReply<TReply>> GetJsonAsync<TReply>(string path, JsonTypeInfo<TReply> reply, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, path, content: null, reply, cancellationToken);

    /// <summary>POSTs a JSON body to the API.</summary>
    /// <param name="path">The path under the server's base URL, without a leading slash (<c>api/v1/runs</c>).</param>
    /// <param name="body">The body.</param>
    /// <param name="request">How to write the body.</param>
    /// <param name="reply">How to read the answer.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ServerReply<TReply>> PostJsonAsync<TRequest, TReply>(string path, TRequest body, JsonTypeInfo<TRequest> request, JsonTypeInfo<TReply> reply, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, path, JsonContent.Create(body, request), reply, cancellationToken);

    /// <summary>Sends a request and reads a successful answer's JSON body; any other answer throws as the type says.</summary>
    /// <exception cref="StoreUnavailableException">The server cannot be reached, did not answer in time, failed (5xx), is busy (429), or refused the key (401, 403).</exception>
    /// <exception cref="ValidationException">The server refused the request itself (400 with the fields it names, 409, a body too large: 413).</exception>
    /// <exception cref="KeyNotFoundException">The server has no such resource (404).</exception>
    public async Task<ServerReply<TReply>> SendAsync<TReply>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<TReply> reply, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(reply);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(RequestBound);
        using var message = new HttpRequestMessage(method, new Uri(_baseUrl, path.TrimStart('/'))) { Content = content };
        if (Server.Key is { } key)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        try
        {
            using var response = await Client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, bound.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                var value = await response.Content.ReadFromJsonAsync(reply, bound.Token).ConfigureAwait(false);
                return new ServerReply<TReply>(response.StatusCode, value ?? throw new StoreUnavailableException($"{Description} answered {Code(response.StatusCode)} without a body."));
            }

            throw Failure(response.StatusCode, await ProblemAsync(response, bound.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StoreUnavailableException($"{Description} did not answer within {DurationText.Format(RequestBound)}.");
        }
        catch (HttpRequestException e)
        {
            throw new StoreUnavailableException($"{Description} cannot be reached: {e.Message}", e);
        }
        catch (JsonException e)
        {
            throw new StoreUnavailableException($"{Description} answered with a body this scriptmon cannot read (is it a ScriptMonitor server of a matching version?): {e.Message}", e);
        }
    }

    /// <summary>The exception that says why the server did not do what was asked.</summary>
    internal Exception Failure(HttpStatusCode status, ServerProblem? problem)
    {
        var said = problem?.Detail ?? problem?.Title;
        var answered = said is null ? $"{Description} answered {Code(status)}" : $"{Description} answered {Code(status)}: {said}";
        return status switch
        {
            HttpStatusCode.BadRequest when problem?.Errors is { Count: > 0 } errors =>
                new ValidationException([.. errors.Select(e => new FieldError(e.Path ?? string.Empty, e.Rule ?? string.Empty, e.Message ?? $"{e.Path} breaks the rule {e.Rule}."))]),
            HttpStatusCode.BadRequest => new ValidationException($"{answered}."),
            HttpStatusCode.Conflict => new ValidationException($"{answered} (it conflicts with what the server holds)."),
            // A name that names nothing (an unknown script) is refused like any other broken rule, with its field.
            HttpStatusCode.NotFound when problem?.Errors is { Count: > 0 } errors =>
                new ValidationException([.. errors.Select(e => new FieldError(e.Path ?? string.Empty, e.Rule ?? string.Empty, e.Message ?? $"{e.Path} names nothing the server knows."))]),

            // The same body would be refused again however long it waited: a refusal, never spooled and retried.
            HttpStatusCode.RequestEntityTooLarge when said is null =>
                new ValidationException($"{answered}: the request body is larger than the server, or a proxy in front of it, takes (the server's Server:MaxRequestBodyBytes); sending it again cannot help."),
            HttpStatusCode.RequestEntityTooLarge => new ValidationException($"{answered}; sending it again cannot help."),
            HttpStatusCode.NotFound => new KeyNotFoundException($"{answered}."),
            HttpStatusCode.Unauthorized when Server.Key is null =>
                new StoreUnavailableException($"{answered}; no key is configured: set {ServerLocation.KeyVariable} (or \"key\" of the configuration file) to a key made with 'scriptmon key create'."),
            HttpStatusCode.Unauthorized =>
                new StoreUnavailableException($"{answered}; check the key in {ServerLocation.KeyVariable} (or \"key\" of the configuration file): the server does not know it, or it was revoked."),
            HttpStatusCode.Forbidden =>
                new StoreUnavailableException($"{answered}; the key lacks the scope for this (see 'scriptmon key list' on the server's store)."),
            _ => new StoreUnavailableException($"{answered}."),
        };
    }

    private static async Task<ServerProblem?> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType is not ("application/problem+json" or "application/json"))
        {
            return null;
        }

        try
        {
            return await response.Content.ReadFromJsonAsync(RemoteJsonContext.Default.ServerProblem, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            // A body that is no problem document (a proxy's page): the status code still says enough.
            return null;
        }
    }

    private static string Code(HttpStatusCode status) => $"{(int)status} {ReasonPhrase(status)}";

    private static string ReasonPhrase(HttpStatusCode status) => status switch
    {
        HttpStatusCode.TooManyRequests => "Too Many Requests",
        HttpStatusCode.ServiceUnavailable => "Service Unavailable",
        HttpStatusCode.InternalServerError => "Internal Server Error",
        HttpStatusCode.BadGateway => "Bad Gateway",
        HttpStatusCode.GatewayTimeout => "Gateway Timeout",
        HttpStatusCode.BadRequest => "Bad Request",
        HttpStatusCode.NotFound => "Not Found",
        HttpStatusCode.RequestEntityTooLarge => "Content Too Large",
        _ => status.ToString(),
    };

    private static HttpClient CreateClient()
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            AutomaticDecompression = DecompressionMethods.None,
        };

        // Each request has its own bound (RequestBound); the client's would only cut a caller's longer one short.
        var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    private static string Version()
    {
        var version = typeof(ServerConnection).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";

        // The commit the build appends (1.0.0+abc123) means nothing to a server's log reader; a User-Agent token takes no '+'.
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}

/// <summary>A successful answer: its status (201 for a new record, 200 for one the server had already) and its body.</summary>
/// <param name="Status">The status.</param>
/// <param name="Value">The body.</param>
internal readonly record struct ServerReply<T>(HttpStatusCode Status, T Value);

// Compiled into every test project that needs it (see the projects' Compile items), so there is one copy.
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace ScriptMonitor.Testing;

/// <summary>
/// A real HTTP server on 127.0.0.1 that records every request it receives (a webhook's or a Slack payload's) and
/// answers with the status <see cref="Answer"/> gives (200 by default).
/// </summary>
public sealed class HttpReceiver : IDisposable
{
    private readonly HttpListener _listener;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly Channel<ReceivedRequest> _arrived = Channel.CreateUnbounded<ReceivedRequest>();
    private readonly Task _loop;

    public HttpReceiver()
    {
        // HttpListener takes no port 0: a free port is found first, and taken again if another process won it.
        for (var attempt = 0; ; attempt++)
        {
            Port = FreePort();
            _listener = new HttpListener();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");

            // HttpListener matches the Host header too: a request to a name that resolves here names it.
            _listener.Prefixes.Add($"http://localhost:{Port}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                _listener.Close();
            }
        }

        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    /// <summary>The base URL, ending with a slash.</summary>
    public string Url => $"http://127.0.0.1:{Port}/";

    /// <summary>The status and body to answer a request with.</summary>
    public Func<ReceivedRequest, (int Status, string Body)> Answer { get; set; } = _ => (200, "ok");

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>Waits for the next request not yet waited for.</summary>
    public async Task<ReceivedRequest> NextAsync(TimeSpan? within = null)
    {
        using var bound = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(10));
        try
        {
            return await _arrived.Reader.ReadAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no request reached {Url} in time");
        }
    }

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the listener's closing.
        }
    }

    internal static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                await AnswerAsync(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The sender went away mid-request (a server killed while it sent): the next request is served all the same.
            }
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
        var request = new ReceivedRequest(context.Request.HttpMethod, context.Request.Url!.PathAndQuery, headers, body);
        var (status, answer) = Answer(request);
        _requests.Enqueue(request);
        context.Response.StatusCode = status;
        var bytes = Encoding.UTF8.GetBytes(answer);
        context.Response.ContentType = "text/plain";
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
        _arrived.Writer.TryWrite(request);
    }
}

/// <summary>One request as it arrived.</summary>
public sealed record ReceivedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body);

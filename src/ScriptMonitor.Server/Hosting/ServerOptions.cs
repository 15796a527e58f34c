namespace ScriptMonitor.Server.Hosting;

/// <summary>The server's settings, bound from the <c>Server</c> section of its configuration.</summary>
internal sealed class ServerOptions
{
    /// <summary>The configuration section these settings live in.</summary>
    public const string Section = "Server";

    /// <summary>Where the server listens when no <c>urls</c> setting or Kestrel endpoint says otherwise: loopback only.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>
    /// The store: a SQLite path or a PostgreSQL connection string. Null to follow the configuration path every part
    /// shares (<c>SCRIPTMON_DATABASE</c>, the configuration file, the embedded default).
    /// </summary>
    public string? Database { get; set; }

    /// <summary>
    /// Whether calls that only read (status, scripts, runs, metrics) are answered without a key. Off by default:
    /// nothing is anonymous unless this says so.
    /// </summary>
    public bool AnonymousRead { get; set; }

    /// <summary>
    /// The largest request body accepted, in bytes; a larger one (chunked too) is 413 and nothing is stored. A run's
    /// output is kept as its last 10,000 characters anyway, so 1 MiB leaves room for a batch of runs.
    /// </summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>The per-key rate limit of the native API.</summary>
    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>
    /// Proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed: addresses (<c>10.0.0.5</c>) or
    /// networks (<c>10.0.0.0/8</c>). None by default: a client could otherwise claim any address.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>How long runs and their output are kept.</summary>
    public RetentionOptions Retention { get; set; } = new();
}

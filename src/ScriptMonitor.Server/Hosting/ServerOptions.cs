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
}

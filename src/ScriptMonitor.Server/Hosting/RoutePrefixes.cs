namespace ScriptMonitor.Server.Hosting;

/// <summary>
/// Every path prefix the server answers, in one place: the native API has its own, and each peer's protocol has
/// its own, so that no path and no error format is shared between them.
/// </summary>
internal static class RoutePrefixes
{
    /// <summary>The native JSON API.</summary>
    public const string Api = "/api/v1";

    /// <summary>The Healthchecks protocol, acting as its site root (<c>/hc/ping/…</c>, <c>/hc/api/v3/…</c>).</summary>
    public const string Healthchecks = "/hc";

    /// <summary>Cronitor's telemetry protocol.</summary>
    public const string Cronitor = "/cronitor";

    /// <summary>Uptime Kuma's push protocol.</summary>
    public const string UptimeKuma = "/uptime-kuma";

    /// <summary>Prometheus metrics.</summary>
    public const string Metrics = "/metrics";

    /// <summary>The dashboard: its page and the files the page loads.</summary>
    public const string Dashboard = "/ui";

    /// <summary>Liveness: the process answers.</summary>
    public const string Live = "/healthz";

    /// <summary>Readiness: the store answers.</summary>
    public const string Ready = "/readyz";
}

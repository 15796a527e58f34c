using ScriptMonitor.Runs;
using ScriptMonitor.Application.Configuration;

namespace ScriptMonitor.Scripts;

/// <summary>
/// What a <see cref="MonitoredScript"/> uses besides its own code. Every setting defaults to the configuration path
/// shared with the <c>scriptmon</c> command: environment variables, then the configuration file, then the defaults.
/// </summary>
public sealed class MonitoredScriptOptions
{
    /// <summary>
    /// How long <c>Main</c> gets to stop after SIGINT or SIGTERM cancelled its token before the run is recorded as
    /// interrupted and the process exits. Default 5 seconds: long enough to close a file or roll back a
    /// transaction, short enough for a service manager's own stop timeout (systemd waits 90 seconds).
    /// </summary>
    public TimeSpan InterruptGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The store as a SQLite path or PostgreSQL connection string; null to use the configuration path.</summary>
    public string? Database { get; init; }

    /// <summary>
    /// Opens the store the run is recorded in; null to open <see cref="Database"/> or the configured store. Called
    /// once per run, when it starts, on a thread of its own while <c>Main</c> runs; the store is disposed after
    /// recording. Whatever it throws gets the run spooled.
    /// </summary>
    public Func<IScriptRunStore>? OpenStore { get; init; }

    /// <summary>The lock directory, spool directory and cron control file; null to resolve them from the configuration path.</summary>
    public ScriptSettings? Settings { get; init; }

    /// <summary>The clock runs are timed by.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

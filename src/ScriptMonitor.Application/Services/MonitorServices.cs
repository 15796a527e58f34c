using Microsoft.Extensions.Logging;
using ScriptMonitor.Application.Access;
using ScriptMonitor.Application.Alerts;
using ScriptMonitor.Application.Checks;
using ScriptMonitor.Application.Configuration;
using ScriptMonitor.Application.Expectations;
using ScriptMonitor.Application.History;
using ScriptMonitor.Application.Maintenance;
using ScriptMonitor.Application.Recording;
using ScriptMonitor.Application.Remote;
using ScriptMonitor.Application.Status;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Configuration;

namespace ScriptMonitor.Application.Services;

/// <summary>
/// The use cases of one place the data lives, as a front end calls them: the status overview, the runs, the checks,
/// the expectations and recording. A store is read and written directly; a server is reached through its API (a
/// client of it implements the same interfaces). Nothing is opened until a use case is called.
/// </summary>
public sealed class MonitorServices
{
    /// <summary>How long one query to a server may take: a status overview of many scripts is computed on the server.</summary>
    private static readonly TimeSpan ServerQueryBound = TimeSpan.FromSeconds(30);

    private readonly MonitorLocation _location;
    private readonly StoreAccess? _store;
    private readonly ServerConnection? _server;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    private MonitorServices(MonitorLocation location, StoreAccess? store, ServerConnection? server, TimeProvider timeProvider, ILogger logger)
    {
        _location = location;
        _store = store;
        _server = server;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Where the data lives.</summary>
    public MonitorLocation Location => _location;

    /// <summary>The store, for what only a store has (its schema, its migration, its keys).</summary>
    /// <exception cref="ConfigurationException">The location is a server, which has no store of this host's to open.</exception>
    public StoreAccess Store => _store ?? throw new ConfigurationException(_location.ServerInsteadOfStore());

    /// <summary>The status overview.</summary>
    public IStatusQuery Status => _server is null ? new StoreStatusQuery(Store, _timeProvider, _logger) : new RemoteStatusQuery(_server);

    /// <summary>The runs: last success, history, statistics, recording after the fact, closing, pruning.</summary>
    public IRunHistory History => _server is null ? new StoreRunHistory(Store, _timeProvider, _logger) : new RemoteRunHistory(_server);

    /// <summary>The monitoring checks.</summary>
    public IHealthCheck Checks => _server is null ? new StoreHealthCheck(Store, _timeProvider, _logger) : new RemoteHealthCheck(_server);

    /// <summary>The flips and notifications the alert loop recorded.</summary>
    public Alerts.IAlertHistory AlertHistory => _server is null ? new Alerts.StoreAlertHistory(Store) : new RemoteAlertHistory(_server);

    /// <summary>The expectations.</summary>
    public IExpectations Expectations => _server is null ? new StoreExpectations(Store, _timeProvider) : new RemoteExpectations(_server, _timeProvider);

    /// <summary>The channels notifications go to: a store's directly, a server's through its API.</summary>
    public IChannels Channels => _server is null ? new StoreChannels(Store, _timeProvider) : new RemoteChannels(_server);

    /// <summary>The maintenance windows and pauses.</summary>
    public IMaintenanceWindows Maintenance => _server is null ? new StoreMaintenanceWindows(Store, _timeProvider) : new RemoteMaintenanceWindows(_server, _timeProvider);

    /// <summary>The API keys of the store, as its host's command line manages them.</summary>
    /// <exception cref="ConfigurationException">The location is a server.</exception>
    public StoreKeys Keys => new(Store, _timeProvider);

    /// <summary>The use cases of a location: a store's read and written directly, a server's through its API.</summary>
    /// <param name="location">Where the data lives.</param>
    /// <param name="timeProvider">The clock of every use case.</param>
    /// <param name="logger">Where problems that do not stop an answer are said.</param>
    /// <param name="programName">The program named where something belongs beside it (the SQLite library).</param>
    public static MonitorServices For(MonitorLocation location, TimeProvider timeProvider, ILogger logger, string programName)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location.Server is { } server
            ? new MonitorServices(location, null, new ServerConnection(server, ServerQueryBound), timeProvider, logger)
            : new MonitorServices(location, new StoreAccess(location.Store!, timeProvider) { ProgramName = programName }, null, timeProvider, logger);
    }

    /// <summary>
    /// Connects to where runs are recorded: the store, opened for writing (created and migrated if needed), or the
    /// server, reached when the first record is sent.
    /// </summary>
    /// <param name="waitBound">How long any one wait for the store, or one request to the server, may last; null for their own defaults.</param>
    /// <exception cref="Runs.StoreUnavailableException">The store cannot be opened.</exception>
    public IRunRecording ConnectRecording(TimeSpan? waitBound = null) => _location.Server is { } server
        ? new ServerRunRecording(new ServerConnection(server, waitBound))
        : new StoreRunRecording(Store.OpenForWriting(waitBound));
}

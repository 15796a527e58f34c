using ScriptMonitor.Application.Stores;
using ScriptMonitor.Configuration;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Server.Hosting;

/// <summary>The store the server serves, opened (and migrated) once at start, with its one-server lock on SQLite.</summary>
internal sealed class ServerStore : IDisposable, IAsyncDisposable
{
    private readonly SingleServerLock? _lock;

    private ServerStore(IScriptRunStore runs, StoreLocation location, SingleServerLock? serverLock)
    {
        Runs = runs;
        Location = location;
        _lock = serverLock;
    }

    /// <summary>The runs, expectations and everything else the store keeps.</summary>
    public IScriptRunStore Runs { get; }

    /// <summary>Where the data lives, and which setting said so.</summary>
    public StoreLocation Location { get; }

    /// <summary>Resolves the configured store, takes its lock where one server per store is the rule, and opens it.</summary>
    /// <exception cref="ServerStartException">The store cannot be located, locked or opened.</exception>
    public static ServerStore Open(ServerOptions options, TimeProvider timeProvider)
    {
        StoreLocation location;
        try
        {
            location = ScriptRunStores.Locate(options.Database);
        }
        catch (Exception e) when (e is ArgumentException or ConfigurationException)
        {
            throw new ServerStartException($"{ServerOptions.Section}:{nameof(ServerOptions.Database)}: {e.Message}", e);
        }

        SingleServerLock? serverLock = null;
        if (location.Provider.LocalFile(location.Target) is { } file)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            serverLock = SingleServerLock.Acquire(file);
        }

        try
        {
            return new ServerStore(ScriptRunStores.Open(location, timeProvider), location, serverLock);
        }
        catch (Exception e) when (e is StoreUnavailableException or StoreIncompatibleException or ArgumentException or NotSupportedException)
        {
            serverLock?.Dispose();
            throw new ServerStartException($"cannot open the store {location}: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        Runs.Dispose();
        _lock?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await Runs.DisposeAsync().ConfigureAwait(false);
        _lock?.Dispose();
    }
}

using ScriptMonitor.Configuration;

namespace ScriptMonitor.Application.Configuration;

/// <summary>
/// Where the data lives, as the one configuration path resolves it (<see cref="MonitorLocator"/>): a store (a SQLite
/// file or a PostgreSQL database) or a ScriptMonitor server that keeps it. Exactly one of <see cref="Store"/> and
/// <see cref="Server"/> is set.
/// </summary>
public sealed record MonitorLocation
{
    private MonitorLocation(StoreLocation? store, ServerLocation? server)
    {
        Store = store;
        Server = server;
    }

    /// <summary>The store, when the data is read and written there directly.</summary>
    public StoreLocation? Store { get; }

    /// <summary>The server, when the data is read and recorded through it.</summary>
    public ServerLocation? Server { get; }

    /// <summary>Which step of the configuration path chose it.</summary>
    public StoreLocationSource Source => Store?.Source ?? Server!.Source;

    /// <summary>A store.</summary>
    /// <param name="store">Where the runs live.</param>
    public static MonitorLocation Of(StoreLocation store) => new(store ?? throw new ArgumentNullException(nameof(store)), null);

    /// <summary>A server.</summary>
    /// <param name="server">The server.</param>
    public static MonitorLocation Of(ServerLocation server) => new(null, server ?? throw new ArgumentNullException(nameof(server)));

    /// <summary>
    /// The store, for a front end that reads and writes a store directly; a server is a configuration problem for it
    /// until it has a client of the server's API.
    /// </summary>
    /// <exception cref="ConfigurationException">A server was configured.</exception>
    public StoreLocation RequireStore() => Store ?? throw new ConfigurationException(ServerInsteadOfStore());

    /// <summary>Why a use case that needs a store cannot run against the server configured.</summary>
    internal string ServerInsteadOfStore() =>
        $"{Server} ({MonitorLocator.Describe(Server!.Source, ServerLocation.ServerVariable, "server")}) names a ScriptMonitor server, and this command works on a store only (queries, expect, exec and scripts work through a server); name the store instead ({StoreLocator.DatabaseVariable}, --database or \"database\").";

    /// <summary>The store or the server for people to read (never with a password or the key).</summary>
    public override string ToString() => Store?.ToString() ?? Server!.ToString();
}

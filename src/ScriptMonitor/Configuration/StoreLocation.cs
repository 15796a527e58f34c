using ScriptMonitor.Stores;

namespace ScriptMonitor.Configuration;

/// <summary>Where the runs live, as the store provider that recognised the setting reads it, and why that one.</summary>
/// <param name="Provider">The kind of store: the provider that recognised the setting and opens it.</param>
/// <param name="Target">What the provider opens: a full SQLite path, a connection string.</param>
/// <param name="Source">Which step of the configuration path chose it.</param>
public sealed record StoreLocation(IStoreProvider Provider, string Target, StoreLocationSource Source)
{
    /// <summary>The location for people to read, with its kind and without secrets (<see cref="IStoreProvider.Describe"/>).</summary>
    public override string ToString() => Provider.Describe(Target);
}

using ScriptMonitor.Runs;

namespace ScriptMonitor.Stores;

/// <summary>
/// A kind of store, as the configuration path sees it: which settings name a store of this kind, how to show one
/// without its secrets, and how to open it. Each backend implements it; the one composition place registers them,
/// and nothing else needs to know which backends there are.
/// </summary>
public interface IStoreProvider
{
    /// <summary>What a setting of this kind is, for messages that list them all: "a SQLite file".</summary>
    string SettingKind { get; }

    /// <summary>
    /// The one local file the store lives in, when it is embedded in a file (so that one server at a time may serve
    /// it); null for a store that many processes on many hosts share by design.
    /// </summary>
    /// <param name="target">The target <see cref="Recognize"/> returned.</param>
    string? LocalFile(string target);

    /// <summary>The newest schema version this build of the store creates and migrates to.</summary>
    int LatestSchemaVersion { get; }

    /// <summary>Reads a setting if it names a store of this kind.</summary>
    /// <param name="setting">The setting, trimmed and not empty.</param>
    /// <param name="baseDirectory">What a relative path in it is relative to: the current directory, or the configuration file's.</param>
    /// <returns>The store's target as this provider opens it (a full path, a connection string); null when the setting is not of this kind.</returns>
    /// <exception cref="ArgumentException">The setting is of this kind but cannot name a store (a connection string without a host); the message says why without secrets.</exception>
    string? Recognize(string setting, string baseDirectory);

    /// <summary>The target for people to read, with its kind and without secrets: <c>sqlite:/var/lib/runs.db</c>.</summary>
    /// <param name="target">A target <see cref="Recognize"/> returned.</param>
    string Describe(string target);

    /// <summary>Opens the store, creating and migrating it as needed.</summary>
    /// <param name="target">A target <see cref="Recognize"/> returned.</param>
    /// <param name="options">The clock and the bound on waits.</param>
    /// <exception cref="ArgumentException">The target is malformed.</exception>
    /// <exception cref="StoreUnavailableException">The store cannot be reached, created or opened now.</exception>
    /// <exception cref="StoreIncompatibleException">The store's schema cannot be written by this build.</exception>
    IScriptRunStore Open(string target, StoreOpenOptions options);

    /// <summary>Opens an existing store to read it; nothing is created, migrated or written.</summary>
    /// <param name="target">A target <see cref="Recognize"/> returned.</param>
    /// <param name="options">The clock, and whether an older schema may be opened to report on it.</param>
    /// <returns>The store, or null when there is none there yet.</returns>
    /// <exception cref="ArgumentException">The target is malformed.</exception>
    /// <exception cref="StoreUnavailableException">The store cannot be reached or read, is not a ScriptMonitor store, or must be migrated first.</exception>
    /// <exception cref="StoreIncompatibleException">The store's schema cannot be read by this build.</exception>
    IScriptRunStore? OpenReadOnly(string target, StoreOpenOptions options);
}

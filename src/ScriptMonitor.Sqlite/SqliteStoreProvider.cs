using System.Text.RegularExpressions;
using ScriptMonitor.Configuration;
using ScriptMonitor.Runs;
using ScriptMonitor.Stores;

namespace ScriptMonitor.Sqlite;

/// <summary>
/// The embedded store as the configuration path sees it: any setting that is a path is a SQLite file, optionally
/// written <c>sqlite:PATH</c> as a location prints it.
/// </summary>
public sealed partial class SqliteStoreProvider : IStoreProvider
{
    /// <summary>The prefix a location prints before a SQLite path; a setting may carry it too.</summary>
    private const string Prefix = "sqlite:";

    /// <summary>The native library Microsoft.Data.Sqlite loads, as it is installed beside a program.</summary>
    private const string NativeLibrary = "libe_sqlite3.so";

    /// <inheritdoc/>
    public string SettingKind => "a SQLite file";

    /// <inheritdoc/>
    public string? LocalFile(string target) => target;

    /// <inheritdoc/>
    public int LatestSchemaVersion => SqliteSchema.LatestVersion;

    /// <inheritdoc/>
    /// <remarks>A URI (<c>mysql://…</c>, <c>file://…</c>) is not a path: it is left to the others, and refused if none takes it.</remarks>
    public string? Recognize(string setting, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var path = setting.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? setting[Prefix.Length..] : setting;
        if (UriPattern().IsMatch(path))
        {
            return null;
        }

        return path.Length > 0
            ? StoreLocator.FullPath(path, baseDirectory)
            : throw new ArgumentException($"The store setting '{setting}' names no SQLite file.", nameof(setting));
    }

    /// <inheritdoc/>
    public string Describe(string target) => Prefix + target;

    /// <inheritdoc/>
    public IScriptRunStore Open(string target, StoreOpenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Loaded(target, () => SqliteScriptRunStore.Open(target, options.WaitBound is { } busy
            ? new SqliteStoreOptions { TimeProvider = options.TimeProvider, BusyTimeout = busy }
            : new SqliteStoreOptions { TimeProvider = options.TimeProvider }));
    }

    /// <inheritdoc/>
    public IScriptRunStore? OpenReadOnly(string target, StoreOpenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Loaded(target, () => SqliteScriptRunStore.OpenReadOnly(target, new SqliteStoreOptions { TimeProvider = options.TimeProvider, AcceptOlderSchema = options.AcceptOlderSchema }));
    }

    /// <summary>
    /// Opens with the native SQLite library loaded: when it cannot be (missing beside a published program), the store
    /// cannot be used, which is what <see cref="StoreUnavailableException"/> says; the runtime's failure is its cause.
    /// </summary>
    private static T Loaded<T>(string target, Func<T> open)
    {
        try
        {
            return open();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException or BadImageFormatException)
        {
            throw new StoreUnavailableException($"The SQLite library {NativeLibrary} cannot be loaded, so the store {Prefix}{target} cannot be opened: {e.Message}", e);
        }
    }

    /// <summary>A URI's scheme: <c>mysql://</c>, <c>http://</c>, <c>file://</c>.</summary>
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.\-]*://")]
    private static partial Regex UriPattern();
}

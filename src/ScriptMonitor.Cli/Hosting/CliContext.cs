using Microsoft.Extensions.Logging;
using ScriptMonitor.Cli.Output;
using ScriptMonitor.Configuration;
using ScriptMonitor.Runs;
using ScriptMonitor.Application.Configuration;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Application.Logging;

namespace ScriptMonitor.Cli.Hosting;

/// <summary>What every command shares: the clock, the terminal, the configuration path and the store it names.</summary>
internal sealed class CliContext(TimeProvider timeProvider, Terminal terminal)
{
    /// <summary>The file name of the SQLite library the SQLite store needs, as it is installed beside scriptmon.</summary>
    private const string NativeSqliteLibrary = "libe_sqlite3.so";

    /// <summary>The name every line of scriptmon's own on stderr starts with.</summary>
    private const string ProgramName = "scriptmon";

    private ILogger? _logger;

    internal TimeProvider Time { get; } = timeProvider;

    internal Terminal Terminal { get; } = terminal;

    /// <summary>The global <c>--database</c> option: the explicit step of the configuration path.</summary>
    internal string? DatabaseSetting { get; set; }

    /// <summary>For <c>exec</c>: the command line after <c>--</c>, or null when there was no <c>--</c>.</summary>
    internal IReadOnlyList<string>? CommandAfterSeparator { get; set; }

    internal LogLevel LogLevel { get; set; } = LogLevel.Warning;

    /// <summary>Which of stdin, stdout and stderr the caller closed: <c>exec</c> gives its job the same.</summary>
    internal Exec.CallerDescriptors Descriptors { get; set; } = Exec.CallerDescriptors.AllOpen;

    /// <summary>scriptmon's diagnostics: one line each on standard error, <c>scriptmon: warning: …</c>.</summary>
    internal ILogger Logger => _logger ??= new StandardErrorLoggerProvider(Terminal.Error, LogLevel, LogLine.Prefixed).CreateLogger(ProgramName);

    internal StoreLocation ResolveLocation() => StoreLocator.Resolve(DatabaseSetting);

    internal static ScriptSettings ResolveSettings() => ScriptSettings.Resolve();

    /// <summary>Opens the store, creating and migrating it if needed: for commands that write.</summary>
    /// <param name="waitBound">How long any one wait for the store may last (a lock, a connection, a statement); null
    /// for the stores' own defaults.</param>
    internal IScriptRunStore OpenStore(TimeSpan? waitBound = null) => OpenStore(ResolveLocation(), waitBound);

    internal IScriptRunStore OpenStore(StoreLocation location, TimeSpan? waitBound = null)
    {
        try
        {
            return ScriptRunStores.Open(location, Time, waitBound);
        }
        catch (Exception e) when (StoreFailures.IsUnavailable(e) || e is ArgumentException)
        {
            throw CannotOpen(location, e);
        }
    }

    /// <summary>
    /// Opens the store for a command that only reads, or returns null when there is no store there yet: looking must
    /// not create a database, nor migrate or change one. A path that cannot be used (a directory, a directory this
    /// user may not enter, another application's database) is an error, never "no runs yet".
    /// </summary>
    /// <param name="location">Where the runs live.</param>
    /// <param name="acceptOlderSchema">Open a store at an older schema version too (<c>db info</c> reports on it).</param>
    internal IScriptRunStore? OpenStoreForReading(StoreLocation location, bool acceptOlderSchema = false)
    {
        try
        {
            return ScriptRunStores.OpenReadOnly(location, Time, acceptOlderSchema);
        }
        catch (Exception e) when (StoreFailures.IsUnavailable(e) || e is ArgumentException)
        {
            throw CannotOpen(location, e);
        }
    }

    /// <summary>
    /// Opens the store for a command that changes what it holds but has nothing to do where there is no store yet
    /// (<c>prune</c>, <c>expect --remove</c>): null then, and nothing is created; otherwise opened for writing.
    /// </summary>
    internal IScriptRunStore? OpenExistingStore(StoreLocation location)
    {
        using (var existing = OpenStoreForReading(location, acceptOlderSchema: true))
        {
            if (existing is null)
            {
                return null;
            }
        }

        return OpenStore(location);
    }

    /// <summary>Why the store cannot be opened, naming it; a missing native SQLite library says so.</summary>
    private static StoreUnavailableException CannotOpen(StoreLocation location, Exception e)
    {
        if (location.Kind == StoreKind.Sqlite && IsMissingNativeLibrary(e))
        {
            return new StoreUnavailableException(
                $"The SQLite library {NativeSqliteLibrary} cannot be loaded, so the store {location} cannot be opened; it belongs beside the scriptmon program in {AppContext.BaseDirectory} (reinstall scriptmon).",
                e);
        }

        return e as StoreUnavailableException ?? new StoreUnavailableException($"The store {location} cannot be opened: {OneLine(e.Message)}", e);
    }

    /// <summary>
    /// The native SQLite library did not load: the runtime reports it as a type that cannot be initialised, wrapping
    /// the missing library, or (trimmed, without the framework's messages) as that alone.
    /// </summary>
    private static bool IsMissingNativeLibrary(Exception e)
    {
        for (Exception? cause = e; cause is not null; cause = cause.InnerException)
        {
            if (cause is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException or BadImageFormatException)
            {
                return true;
            }
        }

        return false;
    }

    internal static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    /// <summary>Runs a store call, turning "cannot be used" failures into <see cref="StoreUnavailableException"/>.</summary>
    internal static T Call<T>(IScriptRunStore store, Func<IScriptRunStore, Task<T>> call)
    {
        try
        {
            return call(store).GetAwaiter().GetResult();
        }
        catch (Exception e) when (StoreFailures.IsUnavailable(e) && e is not StoreUnavailableException)
        {
            throw new StoreUnavailableException($"the store {store.Description} failed: {OneLine(e.Message)}", e);
        }
    }
}

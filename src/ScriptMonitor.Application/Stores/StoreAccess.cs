using ScriptMonitor.Configuration;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Stores;

/// <summary>
/// Opens the store of one location the way a use case needs it: for writing (created and migrated if needed), for
/// reading only (nothing created, migrated or written; none there yet is no store, not an error), or for changing
/// what an existing store holds. Every failure to open is a <see cref="StoreUnavailableException"/> that names the
/// store and says why.
/// </summary>
/// <param name="location">Where the runs live.</param>
/// <param name="timeProvider">The clock the store judges "in the future" by.</param>
public sealed class StoreAccess(StoreLocation location, TimeProvider timeProvider)
{
    /// <summary>The file name of the SQLite library the SQLite store needs, as it is installed beside a program.</summary>
    private const string NativeSqliteLibrary = "libe_sqlite3.so";

    /// <summary>Where the runs live.</summary>
    public StoreLocation Location { get; } = location ?? throw new ArgumentNullException(nameof(location));

    /// <summary>The program named in the message about a missing SQLite library: it belongs beside that program.</summary>
    public string ProgramName { get; init; } = "this";

    /// <summary>Opens the store for writing, creating and migrating it if needed.</summary>
    /// <param name="waitBound">How long any one wait for the store may last (a lock, a connection, a statement); null for the stores' own defaults.</param>
    /// <exception cref="StoreUnavailableException">The store cannot be opened; the message names it and says why.</exception>
    public IScriptRunStore OpenForWriting(TimeSpan? waitBound = null)
    {
        try
        {
            return ScriptRunStores.Open(Location, timeProvider, waitBound);
        }
        catch (Exception e) when (IsOpenFailure(e))
        {
            throw CannotOpen(e);
        }
    }

    /// <summary>
    /// Opens the store to read it, or returns null when there is no store there yet: looking must not create a
    /// database, nor migrate or change one. A path that cannot be used (a directory, a directory this user may not
    /// enter, another application's database) is an error, never "no runs yet".
    /// </summary>
    /// <param name="acceptOlderSchema">Open a store at an older schema version too (to report on it).</param>
    /// <exception cref="StoreUnavailableException">The store cannot be read; the message names it and says why.</exception>
    public IScriptRunStore? OpenForReading(bool acceptOlderSchema = false)
    {
        try
        {
            return ScriptRunStores.OpenReadOnly(Location, timeProvider, acceptOlderSchema);
        }
        catch (Exception e) when (IsOpenFailure(e))
        {
            throw CannotOpen(e);
        }
    }

    /// <summary>
    /// Opens the store for a change that has nothing to do where there is no store yet (pruning, removing an
    /// expectation, closing a run): null then, and nothing is created; otherwise opened for writing.
    /// </summary>
    /// <exception cref="StoreUnavailableException">The store cannot be opened; the message names it and says why.</exception>
    public IScriptRunStore? OpenExisting()
    {
        using (var existing = OpenForReading(acceptOlderSchema: true))
        {
            if (existing is null)
            {
                return null;
            }
        }

        return OpenForWriting();
    }

    /// <summary>
    /// Opening fails for good reasons of the store only: it cannot be used (<see cref="StoreUnavailableException"/>),
    /// its setting is malformed (<see cref="ArgumentException"/>), or the native library it needs does not load. A
    /// store of a schema this build cannot use (<see cref="StoreIncompatibleException"/>) is a configuration problem
    /// and passes through as it is.
    /// </summary>
    private static bool IsOpenFailure(Exception e) => e is StoreUnavailableException or ArgumentException || IsMissingNativeLibrary(e);

    /// <summary>Why the store cannot be opened, naming it; a missing native SQLite library says so.</summary>
    private StoreUnavailableException CannotOpen(Exception e)
    {
        if (IsMissingNativeLibrary(e))
        {
            return new StoreUnavailableException(
                $"The SQLite library {NativeSqliteLibrary} cannot be loaded, so the store {Location} cannot be opened; it belongs beside the {ProgramName} program in {AppContext.BaseDirectory} (reinstall {ProgramName}).",
                e);
        }

        return e as StoreUnavailableException ?? new StoreUnavailableException($"The store {Location} cannot be opened: {OneLine(e.Message)}", e);
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

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}

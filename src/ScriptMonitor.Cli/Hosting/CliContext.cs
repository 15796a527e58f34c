using Microsoft.Extensions.Logging;
using ScriptMonitor.Cli.Output;
using ScriptMonitor.Configuration;
using ScriptMonitor.Runs;
using ScriptMonitor.Scripts.Configuration;
using ScriptMonitor.Scripts.Stores;

namespace ScriptMonitor.Cli.Hosting;

/// <summary>What every command shares: the clock, the terminal, the configuration path and the store it names.</summary>
internal sealed class CliContext(TimeProvider timeProvider, Terminal terminal)
{
    private ILogger? _logger;

    internal TimeProvider Time { get; } = timeProvider;

    internal Terminal Terminal { get; } = terminal;

    /// <summary>The global <c>--database</c> option: the explicit step of the configuration path.</summary>
    internal string? DatabaseSetting { get; set; }

    /// <summary>For <c>exec</c>: the command line after <c>--</c>, or null when there was no <c>--</c>.</summary>
    internal IReadOnlyList<string>? CommandAfterSeparator { get; set; }

    internal LogLevel LogLevel { get; set; } = LogLevel.Warning;

    /// <summary>Which of stdin, stdout and stderr the caller closed: <c>exec</c> gives its job the same.</summary>
    internal StandardDescriptors Descriptors { get; init; } = StandardDescriptors.AllOpen;

    internal ILogger Logger => _logger ??= new StderrLogger(Terminal.Error, LogLevel);

    internal StoreLocation ResolveLocation() => StoreLocator.Resolve(DatabaseSetting);

    internal static ScriptSettings ResolveSettings() => ScriptSettings.Resolve();

    /// <summary>Opens the store, creating and migrating it if needed: for commands that write.</summary>
    internal IScriptRunStore OpenStore() => OpenStore(ResolveLocation());

    internal IScriptRunStore OpenStore(StoreLocation location)
    {
        try
        {
            return ScriptRunStores.Open(location, Time);
        }
        catch (Exception e) when (StoreFailures.IsUnavailable(e) || e is ArgumentException)
        {
            throw new StoreUnavailableException($"the store {location} cannot be opened: {OneLine(e.Message)}", e);
        }
    }

    /// <summary>
    /// Opens the store for a command that only reads, or returns null when it is an embedded file that does not
    /// exist yet: looking must not create a database.
    /// </summary>
    internal IScriptRunStore? OpenStoreForReading(StoreLocation location) =>
        location.Kind == StoreKind.Sqlite && !File.Exists(location.Target) ? null : OpenStore(location);

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

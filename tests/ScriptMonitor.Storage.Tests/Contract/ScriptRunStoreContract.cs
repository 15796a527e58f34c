using Microsoft.Extensions.Time.Testing;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Storage.Tests.Contract;

/// <summary>
/// The behaviour every store keeps, written once. A store's test class derives from this and says how to open a
/// fresh, empty store of its kind; every test here then runs against it.
/// </summary>
public abstract partial class ScriptRunStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private IScriptRunStore? _store;

    protected FakeTimeProvider Clock { get; } = new(Now);

    protected IScriptRunStore Store => _store ?? throw new InvalidOperationException("The store is not open.");

    /// <summary>Opens a new, empty store that uses <see cref="Clock"/>.</summary>
    protected abstract Task<IScriptRunStore> OpenEmptyStoreAsync();

    /// <summary>Opens a second instance on the same data as the last store opened, as another process would.</summary>
    protected abstract Task<IScriptRunStore> ReopenStoreAsync();

    /// <summary>The setting (as <c>SCRIPTMON_DATABASE</c> holds it) that names the store <see cref="Store"/> opened.</summary>
    protected abstract string Setting { get; }

    /// <summary>A setting that names a store nobody has opened yet: the first processes to open it create it.</summary>
    protected abstract string NewStoreSetting();

    /// <summary>
    /// Opens the data of <see cref="Store"/> as a build that knows one migration more than this one would, migrating it:
    /// another host, upgraded first.
    /// </summary>
    /// <param name="keepsOlderWriters">Whether that migration only expands the schema, so that this build may still write it.</param>
    protected abstract Task<IScriptRunStore> OpenAsNextBuildAsync(bool keepsOlderWriters);

    public async Task InitializeAsync() => _store = await OpenEmptyStoreAsync();

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    protected static DateTimeOffset Utc(int year, int month, int day, int hour, int minute, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);

    protected async Task RecordRunAsync(string name, DateTimeOffset started, TimeSpan duration, RunOutcome outcome, string host = "host-a")
    {
        switch (outcome)
        {
            case RunOutcome.Succeeded:
                await Store.RecordSuccessAsync(name, started, started + duration, host);
                break;
            case RunOutcome.Failed:
                await Store.RecordFailureAsync(name, started, started + duration, exitCode: 1, message: "failed", hostname: host);
                break;
            default:
                await Store.RecordStartAsync(name, started, host);
                break;
        }
    }
}

using System.Reflection;
using ScriptMonitor.Runs;
using ScriptMonitor.Testing;

namespace ScriptMonitor.Storage.Tests.Contract;

/// <summary>
/// Every method of the store contract on a store that can be read but not written: each write throws
/// <see cref="StoreUnavailableException"/>, the one failure a caller spools on, and never another type; each read
/// answers. A store's test class derives from this and puts a store seeded with <see cref="StoreCalls.SeedAsync"/> in
/// each state.
/// </summary>
public abstract class StoreFailureContract
{
    /// <summary>Calls every method while another connection holds the store's write lock.</summary>
    protected abstract Task<IReadOnlyList<StoreCallResult>> CallEveryMethodWhileLockedAsync();

    /// <summary>Calls every method as a user who may read the store but not write it.</summary>
    protected abstract Task<IReadOnlyList<StoreCallResult>> CallEveryMethodReadOnlyAsync();

    /// <summary>The names of the contract's methods: of <see cref="IScriptRunStore"/> and the interfaces it extends, less disposal.</summary>
    protected static IReadOnlyList<string> ContractMethods { get; } =
        new[] { typeof(IScriptRunStore) }.Concat(typeof(IScriptRunStore).GetInterfaces())
            .Where(type => type != typeof(IDisposable) && type != typeof(IAsyncDisposable))
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .Where(method => !method.IsSpecialName)
            .Select(method => method.Name)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

    [Fact]
    public void The_calls_cover_every_method_of_the_contract() =>
        Assert.Equal(ContractMethods, StoreCalls.All(DateTimeOffset.UtcNow).Select(c => c.Method).Order(StringComparer.Ordinal));

    [Fact]
    public async Task Every_write_to_a_locked_store_throws_StoreUnavailableException_and_every_read_answers() =>
        AssertWritesUnavailableAndReadsAnswer(await CallEveryMethodWhileLockedAsync());

    [Fact]
    public async Task Every_write_to_a_store_this_user_may_only_read_throws_StoreUnavailableException_and_every_read_answers() =>
        AssertWritesUnavailableAndReadsAnswer(await CallEveryMethodReadOnlyAsync());

    /// <summary>Every method was called, and each threw <see cref="StoreUnavailableException"/>.</summary>
    internal static void AssertEveryCallUnavailable(IReadOnlyList<StoreCallResult> results)
    {
        Assert.Equal(ContractMethods, results.Select(r => r.Method).Order(StringComparer.Ordinal));
        Assert.All(results, r => Assert.True(r.Outcome == nameof(StoreUnavailableException), r.ToString()));
    }

    private static void AssertWritesUnavailableAndReadsAnswer(IReadOnlyList<StoreCallResult> results)
    {
        Assert.Equal(ContractMethods, results.Select(r => r.Method).Order(StringComparer.Ordinal));
        Assert.All(results, r => Assert.True(r.Outcome == (r.Writes ? nameof(StoreUnavailableException) : StoreCallResult.Ok), r.ToString()));
    }
}

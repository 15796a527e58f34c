using ScriptMonitor.Application.History;
using ScriptMonitor.Application.Stores;
using ScriptMonitor.Application.Views;
using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Expectations;

/// <summary>Expectations kept in a store. Showing, listing and learning only read; nothing is created to look.</summary>
/// <param name="access">The store.</param>
/// <param name="timeProvider">The clock a pause's end and learning are judged by.</param>
public sealed class StoreExpectations(StoreAccess access, TimeProvider timeProvider) : IExpectations
{
    /// <summary>The path of the script's name in a refusal.</summary>
    public const string ScriptPath = "script";

    /// <inheritdoc/>
    public async Task<ExpectationView?> GetAsync(string script, CancellationToken cancellationToken = default)
    {
        var name = RunValidation.ScriptName(script, ScriptPath);
        using var store = access.OpenForReading();
        var expectation = store is null ? null : await store.GetExpectationAsync(name, cancellationToken).ConfigureAwait(false);
        return expectation is null ? null : ExpectationView.From(expectation);
    }

    /// <inheritdoc/>
    public async Task<ExpectationListView> ListAsync(CancellationToken cancellationToken = default)
    {
        using var store = access.OpenForReading();
        var expectations = store is null ? [] : await store.ListExpectationsAsync(cancellationToken).ConfigureAwait(false);
        return new ExpectationListView(access.Location.ToString(), [.. expectations.Select(e => ExpectationView.From(e))]);
    }

    /// <inheritdoc/>
    public async Task<ExpectationView> SetAsync(string script, ExpectationPatch patch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var name = RunValidation.ScriptName(script, ScriptPath);
        var change = patch.ToChange(timeProvider.GetUtcNow());

        // Checked on its own first, so a bad value is refused before the store is opened (or created).
        ExpectationValidation.Validate(change(new ScriptExpectation(name)));
        using var store = access.OpenForWriting();
        var current = await store.GetExpectationAsync(name, cancellationToken).ConfigureAwait(false);
        var expectation = ExpectationValidation.Validate(change(current ?? new ScriptExpectation(name)));
        var changed = await store.SetExpectationAsync(expectation, cancellationToken).ConfigureAwait(false);
        return ExpectationView.From(expectation, changed ? (current is null ? "set" : "updated") : "unchanged");
    }

    /// <inheritdoc/>
    public async Task<ExpectationRemovedView> RemoveAsync(string script, CancellationToken cancellationToken = default)
    {
        var name = RunValidation.ScriptName(script, ScriptPath);
        using var store = access.OpenExisting();
        var removed = store is not null && await store.RemoveExpectationAsync(name, cancellationToken).ConfigureAwait(false);
        return new ExpectationRemovedView(name, removed);
    }

    /// <inheritdoc/>
    public async Task<LearnedView?> LearnAsync(string script, bool save, CancellationToken cancellationToken = default)
    {
        var name = RunValidation.ScriptName(script, ScriptPath);
        using var store = save ? access.OpenExisting() : access.OpenForReading();
        await KnownScript.RequireAsync(store, name, ScriptPath, access.Location.ToString(), cancellationToken).ConfigureAwait(false);
        var learned = await new HealthMonitor(store!, timeProvider).LearnAsync(name, cancellationToken).ConfigureAwait(false);
        if (learned is null)
        {
            return null;
        }

        var saved = false;
        if (save)
        {
            var current = await store!.GetExpectationAsync(name, cancellationToken).ConfigureAwait(false);
            saved = await store!.SetExpectationAsync(ExpectationValidation.Validate(learned.ToExpectation(name, current)), cancellationToken).ConfigureAwait(false);
        }

        return LearnedView.From(name, learned, saved);
    }
}

using ScriptMonitor.Health;

namespace ScriptMonitor.Stores;

/// <summary>
/// A backend's SQL for expectations. Expectations arrive checked by <see cref="ScriptRunStoreBase"/>. Every failure of
/// the database to be reached or written is a <see cref="Runs.StoreUnavailableException"/>.
/// </summary>
public interface IExpectationRows
{
    /// <summary>Writes an expectation unless the store holds the same values already.</summary>
    /// <param name="expectation">The expectation, checked.</param>
    /// <param name="updatedAt">When, in UTC.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when the store changed.</returns>
    Task<bool> SetAsync(ScriptExpectation expectation, DateTimeOffset updatedAt, CancellationToken cancellationToken);

    /// <summary>A script's expectation; null when none is set.</summary>
    /// <param name="scriptName">The script, checked.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ScriptExpectation?> GetAsync(string scriptName, CancellationToken cancellationToken);

    /// <summary>Every expectation, by script name.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<IReadOnlyList<ScriptExpectation>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Deletes a script's expectation.</summary>
    /// <param name="scriptName">The script, checked.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when there was one.</returns>
    Task<bool> RemoveAsync(string scriptName, CancellationToken cancellationToken);
}

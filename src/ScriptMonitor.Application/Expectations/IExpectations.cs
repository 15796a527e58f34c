using ScriptMonitor.Application.Views;

namespace ScriptMonitor.Application.Expectations;

/// <summary>
/// What scripts are expected to do: shown, listed, set by a patch, removed, and learned from their history (and saved).
/// <c>scriptmon expect</c> asks this; a client of a server answers it over HTTP.
/// </summary>
public interface IExpectations
{
    /// <summary>A script's expectation.</summary>
    /// <param name="script">The script's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The expectation; null when none is set.</returns>
    /// <exception cref="Runs.ValidationException">The name breaks a rule (path <c>script</c>).</exception>
    Task<ExpectationView?> GetAsync(string script, CancellationToken cancellationToken = default);

    /// <summary>Every expectation, by script name.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ExpectationListView> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets a script's expectation by merging a patch into the current one (or into the defaults); the view says
    /// whether it was <c>set</c>, <c>updated</c> or <c>unchanged</c>.
    /// </summary>
    /// <param name="script">The script's name.</param>
    /// <param name="patch">The fields to change.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Runs.ValidationException">
    /// The name, the patch or the expectation it makes breaks a rule, before anything is written (paths <c>script</c>,
    /// <c>patch.…</c>, <c>period</c>, <c>expression</c>, <c>timeZone</c>, <c>expectation.…</c>).
    /// </exception>
    Task<ExpectationView> SetAsync(string script, ExpectationPatch patch, CancellationToken cancellationToken = default);

    /// <summary>Removes a script's expectation; its runs stay.</summary>
    /// <param name="script">The script's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ExpectationRemovedView> RemoveAsync(string script, CancellationToken cancellationToken = default);

    /// <summary>
    /// What a script's recent successful runs say about its period, grace and runtime band; with
    /// <paramref name="save"/>, made its schedule and runtime limits (hosts, failures, pause and tags are kept).
    /// </summary>
    /// <param name="script">The script's name; the store must hold a run of it.</param>
    /// <param name="save">Save what was learned as the expectation.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What was learned; null while there is too little history.</returns>
    Task<LearnedView?> LearnAsync(string script, bool save, CancellationToken cancellationToken = default);
}

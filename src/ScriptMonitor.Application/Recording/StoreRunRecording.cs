using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Recording;

/// <summary>Records runs in a store: the recording port over <see cref="IScriptRunStore"/>, which it owns and disposes.</summary>
/// <param name="store">The store.</param>
public sealed class StoreRunRecording(IScriptRunStore store) : IRunRecording
{
    /// <inheritdoc/>
    public string Description => store.Description;

    /// <inheritdoc/>
    public Task RecordStartAsync(ScriptRun run, RunnerProcess? runner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        return store.RecordStartAsync(run.ScriptName, run.StartedAt, run.Hostname, run.RunId, runner, cancellationToken);
    }

    /// <inheritdoc/>
    public Task CompleteRunAsync(ScriptRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        return store.CompleteRunAsync(run.RunId, run.CompletedAt ?? throw new ArgumentException("A completed run has its completion.", nameof(run)), run.Outcome, run.ExitCode, run.Output, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<bool> ImportRunAsync(ScriptRun run, CancellationToken cancellationToken = default) => store.ImportRunAsync(run, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> RecordSkipAsync(ScriptSkip skip, CancellationToken cancellationToken = default) => store.RecordSkipAsync(skip, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<ScriptRun>> ListRunningAsync(string hostname, CancellationToken cancellationToken = default) =>
        store.ListRunningAsync(hostname, cancellationToken);

    /// <inheritdoc/>
    public Task<bool> AbandonRunAsync(Guid runId, DateTimeOffset abandonedAt, string reason, CancellationToken cancellationToken = default) =>
        store.AbandonRunAsync(runId, abandonedAt, reason, cancellationToken);

    /// <inheritdoc/>
    public void Dispose() => store.Dispose();
}

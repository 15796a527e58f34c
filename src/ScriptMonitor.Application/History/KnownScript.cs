using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.History;

/// <summary>
/// The "known script" rule of every query about one script: the store must hold a run of it, so that a typo in a
/// name is refused instead of reading as "never ran". Looking never creates a store, so one that does not exist yet
/// knows no script.
/// </summary>
public static class KnownScript
{
    /// <summary>The rule's key in a <see cref="FieldError"/>.</summary>
    public const string Rule = "unknown-script";

    /// <summary>Refuses a script the store has no run of.</summary>
    /// <param name="store">The store, or null when there is none yet.</param>
    /// <param name="script">The script's name, already valid.</param>
    /// <param name="path">The field that named it.</param>
    /// <param name="storeDescription">The store, for the message.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ValidationException">The store knows no such script.</exception>
    public static async Task RequireAsync(IScriptRunStore? store, string script, string path, string storeDescription, CancellationToken cancellationToken)
    {
        var known = store is not null
            && (await store.ListRunsAsync(new RunQuery(script) { Limit = 1 }, cancellationToken).ConfigureAwait(false)).Count > 0;
        if (!known)
        {
            throw new ValidationException([new FieldError(path, Rule, $"{path}: no script named '{script}' has runs in {storeDescription} (the status overview lists the scripts it knows).")]);
        }
    }
}

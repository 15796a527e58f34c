namespace ScriptMonitor.Runs;

/// <summary>
/// The spec's interface: record that a script succeeded, and ask when it last did.
/// </summary>
public interface IScriptActivitySet
{
    /// <summary>Records one successful run and returns it as stored.</summary>
    /// <param name="name">The script's name: 1 to 255 characters, no control characters, no leading or trailing white space.</param>
    /// <param name="dateStarted">When the run started; any offset, stored in UTC to the microsecond.</param>
    /// <param name="dateCompleted">When the run completed; not before <paramref name="dateStarted"/>.</param>
    /// <param name="hostname">The host it ran on; null for this machine's host name.</param>
    /// <exception cref="ArgumentException">An argument breaks a rule; the message names it, and nothing is written.</exception>
    ScriptActivity RecordSuccess(string name, DateTimeOffset dateStarted, DateTimeOffset dateCompleted, string? hostname = null);

    /// <inheritdoc cref="RecordSuccess"/>
    /// <param name="name">The script's name.</param>
    /// <param name="dateStarted">When the run started.</param>
    /// <param name="dateCompleted">When the run completed.</param>
    /// <param name="hostname">The host it ran on; null for this machine's host name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ScriptActivity> RecordSuccessAsync(string name, DateTimeOffset dateStarted, DateTimeOffset dateCompleted, string? hostname = null, CancellationToken cancellationToken = default);

    /// <summary>Returns the successful run of the script with the latest start, on any host, or null when it never succeeded.</summary>
    /// <param name="name">The script's name.</param>
    ScriptActivity? GetLastActivity(string name);

    /// <inheritdoc cref="GetLastActivity"/>
    /// <param name="name">The script's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ScriptActivity?> GetLastActivityAsync(string name, CancellationToken cancellationToken = default);
}

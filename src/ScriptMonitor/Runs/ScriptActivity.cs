namespace ScriptMonitor.Runs;

/// <summary>
/// One successful run of a script: the spec's activity record.
/// </summary>
/// <param name="Name">The script's name.</param>
/// <param name="Hostname">The host the script ran on.</param>
/// <param name="DateStarted">When the run started, in UTC.</param>
/// <param name="DateCompleted">When the run completed, in UTC.</param>
public sealed record ScriptActivity(string Name, string Hostname, DateTimeOffset DateStarted, DateTimeOffset DateCompleted)
{
    /// <summary>How long the run took.</summary>
    public TimeSpan Duration => DateCompleted - DateStarted;
}

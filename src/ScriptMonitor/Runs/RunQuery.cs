namespace ScriptMonitor.Runs;

/// <summary>
/// Which runs of a script to list: a window of start times, optionally one host, newest first, one page.
/// </summary>
/// <param name="ScriptName">The script whose runs to list.</param>
public sealed record RunQuery(string ScriptName)
{
    /// <summary>The largest page a query may ask for.</summary>
    public const int MaxLimit = 10_000;

    /// <summary>The page size when none is given.</summary>
    public const int DefaultLimit = 100;

    /// <summary>Only runs on this host; null for every host.</summary>
    public string? Hostname { get; init; }

    /// <summary>Only runs that started at or after this instant.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only runs that started before this instant.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Only runs with this outcome; null for all.</summary>
    public RunOutcome? Outcome { get; init; }

    /// <summary>How many runs to return at most (1 to <see cref="MaxLimit"/>).</summary>
    public int Limit { get; init; } = DefaultLimit;

    /// <summary>How many of the newest matching runs to skip: the page offset.</summary>
    public int Offset { get; init; }
}

namespace ScriptMonitor.Alerts;

/// <summary>
/// Where notifications go, and for which scripts. Its <see cref="Settings"/> say how to reach it, by kind (a URL, a
/// method, an SMTP host, a program); its <see cref="Secrets"/> (passwords, header values) are written but never shown:
/// lists and the API give their names only.
/// </summary>
/// <param name="Name">Its name, unique among channels, by the rules of a script's name.</param>
/// <param name="Kind">How it tells a person.</param>
public sealed record AlertChannel(string Name, ChannelKind Kind)
{
    /// <summary>How to reach it, by setting name; what is allowed depends on <see cref="Kind"/>.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Values that are written but never shown again, by name.</summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Only scripts with one of these tags; empty with <see cref="ScriptNames"/> empty for every script.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Only these scripts (or those with one of <see cref="Tags"/>); empty with <see cref="Tags"/> empty for every script.</summary>
    public IReadOnlyList<string> ScriptNames { get; init; } = [];

    /// <summary>How often to tell again while a script stays down; null for never.</summary>
    public TimeSpan? RepeatEvery { get; init; }

    /// <summary>When it was created (UTC).</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it answered that it is gone for good (an HTTP 404 or 410 from a webhook); null while it works.</summary>
    public DateTimeOffset? BrokenSince { get; init; }

    /// <summary>What it answered when it was marked broken.</summary>
    public string? BrokenReason { get; init; }

    /// <summary>Whether a script's notifications go to this channel.</summary>
    /// <param name="scriptName">The script.</param>
    /// <param name="scriptTags">The script's tags.</param>
    public bool Routes(string scriptName, IReadOnlyCollection<string> scriptTags)
    {
        ArgumentNullException.ThrowIfNull(scriptTags);
        if (Tags.Count == 0 && ScriptNames.Count == 0)
        {
            return true;
        }

        return ScriptNames.Contains(scriptName, StringComparer.Ordinal) || Tags.Any(t => scriptTags.Contains(t, StringComparer.Ordinal));
    }
}

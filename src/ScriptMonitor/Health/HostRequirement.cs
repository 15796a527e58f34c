namespace ScriptMonitor.Health;

/// <summary>The hosts a script must run on: any host, each host of a list, or at least k hosts of a list.</summary>
public sealed record HostRequirement
{
    private HostRequirement(HostMode mode, IReadOnlyList<string> hosts, int minimumCount)
    {
        Mode = mode;
        Hosts = hosts;
        MinimumCount = minimumCount;
    }

    /// <summary>A run on any host counts.</summary>
    public static HostRequirement Any { get; } = new(HostMode.Any, [], 1);

    /// <summary>Any, each of a list, or at least k of a list.</summary>
    public HostMode Mode { get; }

    /// <summary>The listed hosts, sorted; empty for <see cref="HostMode.Any"/>.</summary>
    public IReadOnlyList<string> Hosts { get; }

    /// <summary>How many listed hosts must run the script: all of them for <see cref="HostMode.Each"/>, 1 for <see cref="HostMode.Any"/>.</summary>
    public int MinimumCount { get; }

    /// <summary>Each of <paramref name="hosts"/> must run the script.</summary>
    /// <param name="hosts">The host names; at least one.</param>
    public static HostRequirement Each(params IEnumerable<string> hosts)
    {
        var list = Sorted(hosts);
        return new HostRequirement(HostMode.Each, list, list.Count);
    }

    /// <summary>At least <paramref name="count"/> of <paramref name="hosts"/> must run the script.</summary>
    /// <param name="count">How many; at least 1 and at most the number of hosts (checked when the expectation is stored).</param>
    /// <param name="hosts">The host names; at least one.</param>
    public static HostRequirement AtLeast(int count, params IEnumerable<string> hosts) => new(HostMode.AtLeast, Sorted(hosts), count);

    /// <summary>How the requirement reads in a sentence.</summary>
    public string Describe() => Mode switch
    {
        HostMode.Each => $"on each of {string.Join(", ", Hosts)}",
        HostMode.AtLeast => $"on at least {MinimumCount} of {string.Join(", ", Hosts)}",
        _ => "on any host",
    };

    /// <inheritdoc/>
    public bool Equals(HostRequirement? other) =>
        other is not null && Mode == other.Mode && MinimumCount == other.MinimumCount && Hosts.SequenceEqual(other.Hosts, StringComparer.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Mode, MinimumCount, Hosts.Count);

    private static List<string> Sorted(IEnumerable<string> hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        var list = hosts.ToList();
        list.Sort(StringComparer.Ordinal);
        return list;
    }
}

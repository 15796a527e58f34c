using System.Globalization;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Health;

/// <summary>
/// What every rule of one evaluation shares: the script, its history, the instant, and the exact counts the store
/// answered. A count the history cannot give is asked for, so that the monitor can answer it and evaluate again.
/// </summary>
internal sealed class EvaluationContext(string scriptName, ScriptHistory history, DateTimeOffset now, IReadOnlyDictionary<RunQuery, long>? counts)
{
    private readonly List<RunQuery> _requests = [];

    internal string ScriptName { get; } = scriptName;

    internal ScriptHistory History { get; } = history;

    internal DateTimeOffset Now { get; } = now;

    /// <summary>The script's runtime a month before, when the monitor read it.</summary>
    internal RuntimeBaseline? Baseline { get; init; }

    /// <summary>The reason of the state the alert loop last recorded for the script; null when none was.</summary>
    internal HealthReason? RecordedReason { get; init; }

    /// <summary>
    /// Whether the script is in <paramref name="state"/> as last recorded: a rule that gave it judges by its exit
    /// threshold, so that it is left only when the measure is clearly back.
    /// </summary>
    internal bool IsIn(HealthState state) => RecordedReason?.State == state;

    /// <summary>
    /// Whether the state last recorded is a runtime drift (too long by a median, whose facts count the runs), not one
    /// run too long: only a drift is held by the drift's exit threshold.
    /// </summary>
    internal bool IsDrifting => RecordedReason is { State: HealthState.RuntimeTooLong, Facts.ObservedCount: not null };

    /// <summary>The counts this evaluation asked for and was not given.</summary>
    internal IReadOnlyList<RunQuery> Requests => _requests;

    /// <summary>
    /// The sum of the store's counts of <paramref name="queries"/> and <paramref name="extra"/> when every count was
    /// given (and it is not below what the history shows); else <paramref name="atLeast"/> as a lower bound, and each
    /// count missing is asked for.
    /// </summary>
    internal Tally Count(IReadOnlyList<RunQuery> queries, long atLeast, long extra = 0)
    {
        var exact = extra;
        var known = true;
        foreach (var query in queries)
        {
            if (counts is not null && counts.TryGetValue(query, out var count))
            {
                exact += count;
            }
            else
            {
                known = false;
                _requests.Add(query);
            }
        }

        // A run recorded or pruned between the read and the count can make them disagree; the history is then the floor.
        return known && exact >= atLeast ? new Tally(exact, Exact: true) : new Tally(atLeast, Exact: false);
    }
}

/// <summary>A count as far as it is known: exact, or a lower bound (<c>at least</c>).</summary>
/// <param name="Count">The count, or its lower bound.</param>
/// <param name="Exact">True when the count is exact.</param>
internal readonly record struct Tally(long Count, bool Exact)
{
    /// <summary>How the count reads in a sentence: <c>300</c> or <c>at least 24</c>.</summary>
    public override string ToString() =>
        (Exact ? string.Empty : "at least ") + Count.ToString(CultureInfo.InvariantCulture);
}

using ScriptMonitor.Runs;

namespace ScriptMonitor.Health;

/// <summary>An expectation as people read it, one field a line, for <c>scriptmon expect NAME</c> and its kin.</summary>
public static class ExpectationText
{
    /// <summary>Each field of <paramref name="expectation"/> with its value in words, what is learned beside what is set.</summary>
    /// <param name="expectation">The expectation.</param>
    /// <param name="learned">What was learned from the runs, when there were enough.</param>
    public static IReadOnlyList<(string Field, string Value)> Describe(ScriptExpectation expectation, LearnedExpectation? learned = null)
    {
        ArgumentNullException.ThrowIfNull(expectation);
        var learnedNote = learned is null ? "learned once there are enough runs" : $"learned: {learned.Describe()}";
        return
        [
            ("script", expectation.ScriptName),
            ("schedule", expectation.Schedule?.Describe() ?? learnedNote),
            ("grace", DurationText.Format(expectation.Grace)),
            ("runtime", Runtime(expectation) ?? learnedNote),
            ("hosts", expectation.Hosts.Describe()),
            ("failures tolerated", expectation.FailuresTolerated.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("abandoned after", expectation.AbandonAfter is { } bound ? DurationText.Format(bound) : $"the longer of {DurationText.Format(HealthEvaluator.DefaultAbandonAfter)} and {HealthEvaluator.AbandonAfterRuntimes} times the maximum runtime"),
            ("skips before alert", expectation.SkipsBeforeAlert.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("paused", !expectation.Paused ? "no" : expectation.PausedUntil is { } until ? $"until {Timestamps.Format(until)}" : "until lifted"),
            ("tags", expectation.Tags.Count == 0 ? "none" : string.Join(", ", expectation.Tags)),
        ];
    }

    private static string? Runtime(ScriptExpectation expectation) => (expectation.MinRuntime, expectation.MaxRuntime) switch
    {
        (null, null) => null,
        ({ } min, null) => $"at least {DurationText.Format(min)}",
        (null, { } max) => $"at most {DurationText.Format(max)}",
        ({ } min, { } max) => $"{DurationText.Format(min)} to {DurationText.Format(max)}",
    };
}

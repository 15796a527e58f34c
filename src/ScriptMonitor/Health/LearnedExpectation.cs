namespace ScriptMonitor.Health;

/// <summary>What a script's history says about it: how often it runs and how long a normal run takes.</summary>
/// <param name="Period">The typical time between successful starts on one host.</param>
/// <param name="Grace">The grace that goes with the learned period.</param>
/// <param name="RuntimeMedian">The median runtime of recent successful runs.</param>
/// <param name="RuntimeLow">The shortest normal runtime.</param>
/// <param name="RuntimeHigh">The longest normal runtime.</param>
/// <param name="SampleCount">How many successful runs it was learned from.</param>
public sealed record LearnedExpectation(TimeSpan Period, TimeSpan Grace, TimeSpan RuntimeMedian, TimeSpan RuntimeLow, TimeSpan RuntimeHigh, int SampleCount)
{
    /// <summary>
    /// Whether the runs are unevenly spaced (two hours by day, fourteen at night), so that the period is the longest
    /// interval that recurs: when a run is due, but not how many runs a window should hold.
    /// </summary>
    internal bool Uneven { get; init; }

    /// <summary>
    /// Whether too few of the runs had a known runtime (pings without a start) to learn a band: the schedule is
    /// learned, and no runtime limit is (the band then spans every runtime and the runtime rules do not apply).
    /// </summary>
    public bool RuntimeUnknown { get; init; }

    /// <summary>
    /// The learned values as an expectation to save: the period as its schedule, the band as its runtime limits,
    /// everything else from <paramref name="basis"/> (or the defaults).
    /// </summary>
    /// <param name="scriptName">The script.</param>
    /// <param name="basis">An expectation whose hosts, failures, pause and tags to keep; null for the defaults.</param>
    public ScriptExpectation ToExpectation(string scriptName, ScriptExpectation? basis = null) =>
        (basis ?? new ScriptExpectation(scriptName)) with
        {
            ScriptName = scriptName,
            Schedule = Schedule.Every(Period),
            Grace = Grace,
            MinRuntime = RuntimeUnknown ? null : RuntimeLow,
            MaxRuntime = RuntimeUnknown ? null : RuntimeHigh,
        };

    /// <summary>How the learned values read in a sentence.</summary>
    public string Describe() => RuntimeUnknown
        ? $"about every {DurationText.Format(Period)} (grace {DurationText.Format(Grace)}), runtime unknown (its runs have no known start), learned from {CountText.Of(SampleCount, "successful run")}"
        : $"about every {DurationText.Format(Period)} (grace {DurationText.Format(Grace)}), normally taking {DurationText.Format(RuntimeLow)} to {DurationText.Format(RuntimeHigh)} (median {DurationText.Format(RuntimeMedian)}), learned from {CountText.Of(SampleCount, "successful run")}";
}

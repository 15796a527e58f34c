namespace ScriptMonitor.Health;

/// <summary>
/// What a script's successful runs took a month before: the median runtime of its successful runs started in
/// [<paramref name="From"/>, <paramref name="Until"/>), as the store counted them, and the factor of it a recent
/// median must reach for the runtime-drift rule to alarm.
/// </summary>
/// <param name="From">The start of the window, inclusive.</param>
/// <param name="Until">The end of the window, exclusive.</param>
/// <param name="Count">How many successful runs started in the window.</param>
/// <param name="Median">Their median runtime; zero when there were none.</param>
/// <param name="Factor">The multiple of <paramref name="Median"/> that is a drift.</param>
internal sealed record RuntimeBaseline(DateTimeOffset From, DateTimeOffset Until, int Count, TimeSpan Median, double Factor)
{
    /// <summary>
    /// The window ends this long before the day of the evaluation: a month back, far enough that a runtime creeping
    /// over weeks has not yet moved it, where the learned band (the newest runs) moves with the creep.
    /// </summary>
    internal static readonly TimeSpan WindowEndsBefore = TimeSpan.FromDays(30);

    /// <summary>
    /// The window is two weeks long: a daily job has 14 runs in it, enough for a median whose noise (a job whose
    /// runtimes vary by 30 %) is far below a doubling; one week gave a daily job 7 runs, below <see cref="MinimumRuns"/>.
    /// </summary>
    internal static readonly TimeSpan WindowLength = TimeSpan.FromDays(14);

    /// <summary>
    /// The drift is judged only on this many successful runs at least, on both sides: a daily job's 14 in the
    /// baseline, and its newest 12. With 8 on each side the two medians of an ordinary job (runtimes that vary by 30 %)
    /// were 2 times apart by noise alone about once in a simulated quarter of 1,000 scripts.
    /// </summary>
    internal const int MinimumRuns = 12;

    /// <summary>The recent median is of the successful runs of the last day, or of the newest <see cref="MinimumRuns"/> when the day has fewer.</summary>
    internal static readonly TimeSpan RecentSpan = TimeSpan.FromDays(1);

    /// <summary>The default factor: a runtime that has doubled against a month before.</summary>
    internal const double DefaultFactor = 2.0;

    /// <summary>
    /// A script found drifting stays so until its recent median is below this share of the factor (1.2 times its
    /// baseline for the default 2). A median of 12 runs with 30 % noise wanders by a tenth around a slow creep: with
    /// the exit at 1.5 times, a creep found early by the noise (at 1.7 times) was left and found again in a
    /// fifth of the creeps of a simulated quarter; at 1.2 times, in none of 1,200 simulated ones.
    /// </summary>
    internal const double ClearShare = 0.6;

    /// <summary>
    /// The window the baseline of an evaluation at <paramref name="now"/> reads: whole UTC days, so that one read
    /// serves a script's evaluations all day.
    /// </summary>
    /// <param name="now">The instant of the evaluation.</param>
    internal static (DateTimeOffset From, DateTimeOffset Until) WindowAt(DateTimeOffset now)
    {
        var day = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var until = day - WindowEndsBefore;
        return (until - WindowLength, until);
    }
}

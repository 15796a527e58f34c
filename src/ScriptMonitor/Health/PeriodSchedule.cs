using ScriptMonitor.Runs;

namespace ScriptMonitor.Health;

/// <summary>One run every <see cref="Period"/>, counted from the start of the last successful run.</summary>
public sealed record PeriodSchedule : Schedule
{
    /// <summary>The shortest period: cron itself cannot start a job more often than once a minute.</summary>
    public static readonly TimeSpan MinPeriod = TimeSpan.FromMinutes(1);

    /// <summary>The longest period: a job that runs less than yearly is not one a monitor can wait for.</summary>
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(366);

    /// <summary>Creates the schedule.</summary>
    /// <param name="period">The time between runs, from <see cref="MinPeriod"/> to <see cref="MaxPeriod"/>.</param>
    /// <exception cref="ValidationException">The period is out of range (the field <c>period</c>, the rule <c>range</c>).</exception>
    public PeriodSchedule(TimeSpan period)
    {
        Period = Validated(period, nameof(period));
    }

    /// <summary>The time between runs.</summary>
    public TimeSpan Period { get; }

    /// <inheritdoc/>
    public override string Describe() => $"every {DurationText.Format(Period)}";

    internal static TimeSpan Validated(TimeSpan period, string path) =>
        PeriodError(period, path) is { } error ? throw new ValidationException([error]) : period;

    /// <summary>The broken rule of a period, or null when it is in range.</summary>
    internal static FieldError? PeriodError(TimeSpan period, string path) =>
        period >= MinPeriod && period <= MaxPeriod
            ? null
            : new FieldError(path, FieldRules.Range, $"{path} must be between {DurationText.Format(MinPeriod)} and {DurationText.Format(MaxPeriod)} (it is {DurationText.Format(period)}).");
}

using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Views;

/// <summary>
/// An expectation as every front end shows it (<c>scriptmon expect --show --json</c>). <paramref name="Change"/> is set
/// only by a call that set it: <c>set</c>, <c>updated</c> or <c>unchanged</c>.
/// </summary>
/// <param name="Script">The script's name.</param>
/// <param name="ScheduleKind"><c>period</c>, <c>cron</c>, or <c>learned</c> when none is set.</param>
/// <param name="EverySeconds">The period, for a period schedule.</param>
/// <param name="Cron">The cron expression, for a cron schedule.</param>
/// <param name="TimeZone">The IANA time zone of a cron schedule.</param>
/// <param name="GraceSeconds">How long past its due time a run may start.</param>
/// <param name="MinRuntimeSeconds">The shortest normal runtime, if set.</param>
/// <param name="MaxRuntimeSeconds">The longest normal runtime, if set.</param>
/// <param name="HostMode"><c>any</c>, <c>each</c> or <c>atLeast</c>.</param>
/// <param name="Hosts">The hosts listed.</param>
/// <param name="AtLeast">How many of them must run it.</param>
/// <param name="FailuresTolerated">Consecutive failures tolerated.</param>
/// <param name="AbandonAfterSeconds">After how long a run in progress is presumed abandoned, if set.</param>
/// <param name="SkipsBeforeAlert">Skipped runs in a row before the script is <c>Skipped</c>.</param>
/// <param name="Paused">Whether alerting is paused.</param>
/// <param name="PausedUntil">When a pause ends by itself, if it does.</param>
/// <param name="Tags">Its labels.</param>
/// <param name="Change">What a call that set it did, or null.</param>
public sealed record ExpectationView(
    string Script,
    string ScheduleKind,
    double? EverySeconds,
    string? Cron,
    string? TimeZone,
    double GraceSeconds,
    double? MinRuntimeSeconds,
    double? MaxRuntimeSeconds,
    string HostMode,
    IReadOnlyList<string> Hosts,
    int AtLeast,
    int FailuresTolerated,
    double? AbandonAfterSeconds,
    int SkipsBeforeAlert,
    bool Paused,
    string? PausedUntil,
    IReadOnlyList<string> Tags,
    string? Change = null)
{
    /// <summary>The view of an expectation.</summary>
    /// <param name="expectation">The expectation.</param>
    /// <param name="change">What a call that set it did, or null.</param>
    public static ExpectationView From(ScriptExpectation expectation, string? change = null)
    {
        ArgumentNullException.ThrowIfNull(expectation);
        return new(
            expectation.ScriptName,
            expectation.Schedule switch { PeriodSchedule => "period", CronSchedule => "cron", _ => "learned" },
            expectation.Schedule is PeriodSchedule p ? Seconds.Of(p.Period) : null,
            (expectation.Schedule as CronSchedule)?.Expression,
            (expectation.Schedule as CronSchedule)?.TimeZone,
            Seconds.Of(expectation.Grace),
            expectation.MinRuntime is { } min ? Seconds.Of(min) : null,
            expectation.MaxRuntime is { } max ? Seconds.Of(max) : null,
            expectation.Hosts.Mode switch { Health.HostMode.Each => "each", Health.HostMode.AtLeast => "atLeast", _ => "any" },
            expectation.Hosts.Hosts,
            expectation.Hosts.MinimumCount,
            expectation.FailuresTolerated,
            expectation.AbandonAfter is { } abandonAfter ? Seconds.Of(abandonAfter) : null,
            expectation.SkipsBeforeAlert,
            expectation.Paused,
            expectation.PausedUntil is { } until ? Timestamps.FormatIso(until) : null,
            expectation.Tags,
            change);
    }

    /// <summary>The expectation this view shows, to describe it for people as the core does.</summary>
    /// <exception cref="ValidationException">The view's schedule or hosts are not an expectation's (a view that was not made by <see cref="From"/>).</exception>
    public ScriptExpectation ToExpectation() => new(Script)
    {
        Schedule = ScheduleKind switch
        {
            "period" when EverySeconds is { } every => Schedule.Every(Seconds.ToDuration(every)),
            "cron" when Cron is { } cron => Schedule.Cron(cron, TimeZone ?? CronSchedule.DefaultTimeZone),
            _ => null,
        },
        Grace = Seconds.ToDuration(GraceSeconds),
        MinRuntime = MinRuntimeSeconds is { } min ? Seconds.ToDuration(min) : null,
        MaxRuntime = MaxRuntimeSeconds is { } max ? Seconds.ToDuration(max) : null,
        Hosts = HostMode switch
        {
            "each" => HostRequirement.Each(Hosts),
            "atLeast" => HostRequirement.AtLeast(AtLeast, Hosts),
            _ => HostRequirement.Any,
        },
        FailuresTolerated = FailuresTolerated,
        AbandonAfter = AbandonAfterSeconds is { } abandonAfter ? Seconds.ToDuration(abandonAfter) : null,
        SkipsBeforeAlert = SkipsBeforeAlert,
        Paused = Paused,
        PausedUntil = PausedUntil is { } until ? DateTimeOffset.Parse(until, System.Globalization.CultureInfo.InvariantCulture) : null,
        Tags = Tags,
    };
}

/// <summary>Every expectation (<c>scriptmon expect --list --json</c>).</summary>
/// <param name="Store">The store read.</param>
/// <param name="Expectations">Every expectation, by script name.</param>
public sealed record ExpectationListView(string Store, IReadOnlyList<ExpectationView> Expectations);

/// <summary>What removing an expectation did.</summary>
/// <param name="Script">The script's name.</param>
/// <param name="Removed">True when there was one to remove.</param>
public sealed record ExpectationRemovedView(string Script, bool Removed);

/// <summary>What a script's history says about its period and runtime, and whether it was saved as its expectation.</summary>
/// <param name="Script">The script's name.</param>
/// <param name="PeriodSeconds">The period inferred.</param>
/// <param name="GraceSeconds">The grace inferred.</param>
/// <param name="RuntimeMedianSeconds">The median runtime.</param>
/// <param name="RuntimeLowSeconds">The lower end of the normal runtime band.</param>
/// <param name="RuntimeHighSeconds">The upper end of the normal runtime band.</param>
/// <param name="SampleCount">How many successful runs it was learned from.</param>
/// <param name="Saved">True when saving it changed the expectation.</param>
public sealed record LearnedView(
    string Script,
    double PeriodSeconds,
    double GraceSeconds,
    double RuntimeMedianSeconds,
    double RuntimeLowSeconds,
    double RuntimeHighSeconds,
    int SampleCount,
    bool Saved)
{
    /// <summary>The view of what was learned.</summary>
    /// <param name="script">The script's name.</param>
    /// <param name="learned">What was learned.</param>
    /// <param name="saved">Whether saving it changed the expectation.</param>
    public static LearnedView From(string script, LearnedExpectation learned, bool saved)
    {
        ArgumentNullException.ThrowIfNull(learned);
        return new(script, Seconds.Of(learned.Period), Seconds.Of(learned.Grace), Seconds.Of(learned.RuntimeMedian), Seconds.Of(learned.RuntimeLow), Seconds.Of(learned.RuntimeHigh), learned.SampleCount, saved);
    }
}

using ScriptMonitor.Runs;

namespace ScriptMonitor.Health;

/// <summary>
/// The rules every store applies to an expectation before it writes it. Every field is checked, and every broken rule
/// is reported in one <see cref="ValidationException"/> whose errors name the fields (<c>expectation.Grace</c>,
/// <c>expectation.Hosts[2]</c>, <c>expectation.Schedule.TimeZone</c>); nothing is written.
/// </summary>
public static class ExpectationValidation
{
    /// <summary>The longest grace: beyond a year the expectation says nothing.</summary>
    internal static readonly TimeSpan MaxGrace = TimeSpan.FromDays(366);

    /// <summary>The longest runtime limit: a run beyond a month is stuck whatever its limit says.</summary>
    internal static readonly TimeSpan MaxRuntimeLimit = TimeSpan.FromDays(31);

    /// <summary>
    /// The most tolerated failures: a flaky job that runs every minute may fail for more than an hour before anyone
    /// needs to hear of it. The store reads a script's newest runs to one more than its tolerance, so the failing rule
    /// always sees the run that breaks it; beyond a hundred, that read would grow for a tolerance nobody needs.
    /// </summary>
    public const int MaxFailuresTolerated = 100;

    /// <summary>The shortest abandonment bound: cron starts jobs a minute apart at the most.</summary>
    internal static readonly TimeSpan MinAbandonAfter = TimeSpan.FromMinutes(1);

    /// <summary>The longest abandonment bound: beyond a year a run in progress is gone whatever its limit says.</summary>
    internal static readonly TimeSpan MaxAbandonAfter = TimeSpan.FromDays(366);

    /// <summary>
    /// The most skips in a row before alerting: the store gives the evaluation this many recent skip events per
    /// script, as it gives as many recent runs.
    /// </summary>
    internal const int MaxSkipsBeforeAlert = ScriptHistory.Depth;

    /// <summary>The most hosts in a list: beyond this a host group belongs in a tag, not an expectation.</summary>
    public const int MaxHosts = 1_000;

    /// <summary>The most tags on one script.</summary>
    internal const int MaxTags = 32;

    private const string Grace = "expectation.Grace";
    private const string MinRuntime = "expectation.MinRuntime";
    private const string MaxRuntime = "expectation.MaxRuntime";
    private const string AbandonAfter = "expectation.AbandonAfter";
    private const string HostList = "expectation.Hosts";
    private const string TagList = "expectation.Tags";

    /// <summary>Checks every field of an expectation at once and returns it with its names and instants normalized.</summary>
    /// <param name="expectation">The expectation as given.</param>
    /// <exception cref="ValidationException">One or more fields break a rule; every broken rule is listed.</exception>
    public static ScriptExpectation Validate(ScriptExpectation expectation)
    {
        ArgumentNullException.ThrowIfNull(expectation);
        var errors = new FieldErrorList();
        errors.Add(RunValidation.ScriptNameError(expectation.ScriptName, "expectation.ScriptName"));
        var schedule = Schedule(expectation.Schedule, errors);
        errors.Add(RangeError(expectation.Grace, TimeSpan.Zero, MaxGrace, Grace));
        Runtimes(expectation, errors);
        errors.Add(CountError(expectation.SkipsBeforeAlert, 1, MaxSkipsBeforeAlert, "expectation.SkipsBeforeAlert"));
        var hosts = Hosts(expectation.Hosts, errors);
        errors.Add(CountError(expectation.FailuresTolerated, 0, MaxFailuresTolerated, "expectation.FailuresTolerated"));
        Pause(expectation, errors);
        var tags = Tags(expectation.Tags, errors);
        errors.ThrowIfAny();
        return expectation with
        {
            Schedule = schedule,
            MinRuntime = expectation.MinRuntime is { } m ? Microseconds(m) : null,
            MaxRuntime = expectation.MaxRuntime is { } x ? Microseconds(x) : null,
            AbandonAfter = expectation.AbandonAfter is { } a ? Microseconds(a) : null,
            Grace = Microseconds(expectation.Grace),
            Hosts = hosts!,
            PausedUntil = expectation.PausedUntil is { } p ? Timestamps.Normalize(p) : null,
            Tags = tags!,
        };
    }

    private static Schedule? Schedule(Schedule? schedule, FieldErrorList errors)
    {
        switch (schedule)
        {
            case null:
                return null;
            case PeriodSchedule period:
                return errors.Add(PeriodSchedule.PeriodError(period.Period, "expectation.Schedule.Period")) ? null : new PeriodSchedule(period.Period);
            case CronSchedule cron:
                try
                {
                    return new CronSchedule(cron.Expression, cron.TimeZone);
                }
                catch (ValidationException e)
                {
                    // The schedule names its own parameters (expression, timeZone); here they are fields of the expectation.
                    foreach (var error in e.Errors)
                    {
                        var path = error.Path == CronSchedule.TimeZoneParameter ? "expectation.Schedule.TimeZone" : "expectation.Schedule.Expression";
                        errors.Add(error with { Path = path, Message = error.Describe(_ => path) });
                    }

                    return null;
                }

            default:
                errors.Add(new FieldError("expectation.Schedule", FieldRules.ScheduleType, "expectation.Schedule must be a PeriodSchedule or a CronSchedule."));
                return null;
        }
    }

    private static void Runtimes(ScriptExpectation expectation, FieldErrorList errors)
    {
        var minValid = expectation.MinRuntime is { } min && !errors.Add(RangeError(min, TimeSpan.Zero, MaxRuntimeLimit, MinRuntime));
        var maxValid = expectation.MaxRuntime is { } max && !errors.Add(RangeError(max, TimeSpan.FromTicks(TimeSpan.TicksPerMicrosecond), MaxRuntimeLimit, MaxRuntime));
        if (minValid && maxValid && expectation.MinRuntime > expectation.MaxRuntime)
        {
            errors.Add(new FieldError(MinRuntime, FieldRules.NotAboveMaxRuntime, $"{MinRuntime} ({DurationText.Format(expectation.MinRuntime!.Value)}) must not be more than {MaxRuntime} ({DurationText.Format(expectation.MaxRuntime!.Value)}).") { OtherPath = MaxRuntime });
        }

        if (expectation.AbandonAfter is { } abandonAfter && !errors.Add(RangeError(abandonAfter, MinAbandonAfter, MaxAbandonAfter, AbandonAfter))
            && maxValid && abandonAfter < expectation.MaxRuntime!.Value)
        {
            errors.Add(new FieldError(AbandonAfter, FieldRules.NotBelowMaxRuntime, $"{AbandonAfter} ({DurationText.Format(abandonAfter)}) must not be shorter than {MaxRuntime} ({DurationText.Format(expectation.MaxRuntime.Value)}): a run is running too long before it is presumed abandoned.") { OtherPath = MaxRuntime });
        }
    }

    private static void Pause(ScriptExpectation expectation, FieldErrorList errors)
    {
        const string Until = "expectation.PausedUntil";
        if (expectation.PausedUntil is not { } until)
        {
            return;
        }

        if (!expectation.Paused)
        {
            errors.Add(new FieldError(Until, FieldRules.OnlyWhenPaused, $"{Until} may only be given when expectation.Paused is true.") { OtherPath = "expectation.Paused" });
        }

        if (until < Timestamps.Earliest)
        {
            errors.Add(new FieldError(Until, FieldRules.NotBefore1970, $"{Until} must not be before {Timestamps.Format(Timestamps.Earliest)}."));
        }
    }

    private static HostRequirement? Hosts(HostRequirement? hosts, FieldErrorList errors)
    {
        if (hosts is null)
        {
            errors.Add(new FieldError(HostList, FieldRules.Required, $"{HostList} must be given; use HostRequirement.Any for any host."));
            return null;
        }

        if (hosts.Mode == HostMode.Any)
        {
            return HostRequirement.Any;
        }

        if (hosts.Hosts.Count is 0 or > MaxHosts)
        {
            // Beyond the bound the list is not checked name by name: one error says what to fix.
            errors.Add(new FieldError(HostList, FieldRules.Count, $"{HostList} must list 1 to {MaxHosts} hosts for '{hosts.Mode}' (it lists {hosts.Hosts.Count})."));
            return null;
        }

        for (var i = 0; i < hosts.Hosts.Count; i++)
        {
            errors.Add(RunValidation.IdentifierError(hosts.Hosts[i], $"{HostList}[{i}]", "host name"));
            if (IsSecond(hosts.Hosts, i))
            {
                errors.Add(new FieldError(HostList, FieldRules.Duplicate, $"{HostList} must not list '{hosts.Hosts[i]}' twice."));
            }
        }

        if (hosts.Mode == HostMode.AtLeast && (hosts.MinimumCount < 1 || hosts.MinimumCount > hosts.Hosts.Count))
        {
            errors.Add(new FieldError($"{HostList}.MinimumCount", FieldRules.Range, $"{HostList}.MinimumCount must be between 1 and the number of hosts listed ({hosts.Hosts.Count})."));
        }

        return hosts;
    }

    private static List<string>? Tags(IReadOnlyList<string>? tags, FieldErrorList errors)
    {
        if (tags is null)
        {
            errors.Add(new FieldError(TagList, FieldRules.Required, $"{TagList} must be given; use an empty list for none."));
            return null;
        }

        if (tags.Count > MaxTags)
        {
            errors.Add(new FieldError(TagList, FieldRules.Count, $"{TagList} must hold at most {MaxTags} tags (it holds {tags.Count})."));
            return null;
        }

        var sorted = new List<string>(tags.Count);
        for (var i = 0; i < tags.Count; i++)
        {
            var path = $"{TagList}[{i}]";
            if (!errors.Add(tags[i] is null ? new FieldError(path, FieldRules.Required, $"{path} must not be null.") : RunValidation.IdentifierError(tags[i], path, "tag")))
            {
                sorted.Add(tags[i]);
            }
        }

        sorted.Sort(StringComparer.Ordinal);
        for (var i = 1; i < sorted.Count; i++)
        {
            if (IsSecond(sorted, i))
            {
                errors.Add(new FieldError(TagList, FieldRules.Duplicate, $"{TagList} must not hold '{sorted[i]}' twice."));
            }
        }

        return sorted;
    }

    /// <summary>Whether the item at <paramref name="i"/> of a sorted list is the second of its kind: said once per name.</summary>
    private static bool IsSecond(IReadOnlyList<string> sorted, int i) =>
        i > 0 && string.Equals(sorted[i], sorted[i - 1], StringComparison.Ordinal) && (i == 1 || !string.Equals(sorted[i], sorted[i - 2], StringComparison.Ordinal));

    private static FieldError? RangeError(TimeSpan value, TimeSpan min, TimeSpan max, string path) =>
        value < min || value > max
            ? new FieldError(path, FieldRules.Range, $"{path} must be between {DurationText.Format(min)} and {DurationText.Format(max)} (it is {DurationText.Format(value)}).")
            : null;

    private static FieldError? CountError(int value, int min, int max, string path) =>
        value < min || value > max ? new FieldError(path, FieldRules.Range, $"{path} must be between {min} and {max}.") : null;

    /// <summary>Stores keep microseconds, so the value compared for "unchanged" is the one a store gives back.</summary>
    private static TimeSpan Microseconds(TimeSpan value) => TimeSpan.FromTicks(value.Ticks - (value.Ticks % TimeSpan.TicksPerMicrosecond));
}

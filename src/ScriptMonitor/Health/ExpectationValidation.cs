using ScriptMonitor.Runs;

namespace ScriptMonitor.Health;

/// <summary>
/// The rules every store applies to an expectation before it writes it; a broken rule is an
/// <see cref="ArgumentException"/> naming the field, and nothing is written.
/// </summary>
internal static class ExpectationValidation
{
    /// <summary>The longest grace: beyond a year the expectation says nothing.</summary>
    internal static readonly TimeSpan MaxGrace = TimeSpan.FromDays(366);

    /// <summary>The longest runtime limit: a run beyond a month is stuck whatever its limit says.</summary>
    internal static readonly TimeSpan MaxRuntimeLimit = TimeSpan.FromDays(31);

    /// <summary>
    /// The most tolerated failures: the store keeps <see cref="ScriptHistory.Depth"/> recent runs per script for
    /// evaluation, and the failing rule must see one more run than it tolerates.
    /// </summary>
    internal const int MaxFailuresTolerated = ScriptHistory.Depth - 1;

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
    internal const int MaxHosts = 1_000;

    /// <summary>The most tags on one script.</summary>
    internal const int MaxTags = 32;

    internal static ScriptExpectation Validate(ScriptExpectation expectation)
    {
        ArgumentNullException.ThrowIfNull(expectation);
        RunValidation.ScriptName(expectation.ScriptName, "expectation.ScriptName");
        Schedule? schedule = expectation.Schedule switch
        {
            null => null,
            PeriodSchedule period => new PeriodSchedule(PeriodSchedule.Validated(period.Period, "expectation.Schedule.Period")),
            CronSchedule cron => Cron(cron),
            _ => throw new ArgumentException("expectation.Schedule must be a PeriodSchedule or a CronSchedule.", nameof(expectation)),
        };
        Range(expectation.Grace, TimeSpan.Zero, MaxGrace, "expectation.Grace");
        if (expectation.MinRuntime is { } min)
        {
            Range(min, TimeSpan.Zero, MaxRuntimeLimit, "expectation.MinRuntime");
        }

        if (expectation.MaxRuntime is { } max)
        {
            Range(max, TimeSpan.FromTicks(TimeSpan.TicksPerMicrosecond), MaxRuntimeLimit, "expectation.MaxRuntime");
            if (expectation.MinRuntime is { } lower && lower > max)
            {
                throw new ArgumentException($"expectation.MinRuntime ({DurationText.Format(lower)}) must not be more than expectation.MaxRuntime ({DurationText.Format(max)}).", nameof(expectation));
            }
        }

        if (expectation.AbandonAfter is { } abandonAfter)
        {
            Range(abandonAfter, MinAbandonAfter, MaxAbandonAfter, "expectation.AbandonAfter");
            if (expectation.MaxRuntime is { } longest && abandonAfter < longest)
            {
                throw new ArgumentException($"expectation.AbandonAfter ({DurationText.Format(abandonAfter)}) must not be shorter than expectation.MaxRuntime ({DurationText.Format(longest)}): a run is running too long before it is presumed abandoned.", nameof(expectation));
            }
        }

        if (expectation.SkipsBeforeAlert is < 1 or > MaxSkipsBeforeAlert)
        {
            throw new ArgumentOutOfRangeException("expectation.SkipsBeforeAlert", expectation.SkipsBeforeAlert, $"expectation.SkipsBeforeAlert must be between 1 and {MaxSkipsBeforeAlert}.");
        }

        var hosts = Hosts(expectation.Hosts);
        if (expectation.FailuresTolerated is < 0 or > MaxFailuresTolerated)
        {
            throw new ArgumentOutOfRangeException("expectation.FailuresTolerated", expectation.FailuresTolerated, $"expectation.FailuresTolerated must be between 0 and {MaxFailuresTolerated}.");
        }

        if (expectation.PausedUntil is { } until)
        {
            if (!expectation.Paused)
            {
                throw new ArgumentException("expectation.PausedUntil may only be given when expectation.Paused is true.", nameof(expectation));
            }

            if (until < Timestamps.Earliest)
            {
                throw new ArgumentOutOfRangeException("expectation.PausedUntil", until, $"expectation.PausedUntil must not be before {Timestamps.Format(Timestamps.Earliest)}.");
            }
        }

        var tags = Tags(expectation.Tags);
        return expectation with
        {
            Schedule = schedule,
            MinRuntime = expectation.MinRuntime is { } m ? Microseconds(m) : null,
            MaxRuntime = expectation.MaxRuntime is { } x ? Microseconds(x) : null,
            AbandonAfter = expectation.AbandonAfter is { } a ? Microseconds(a) : null,
            Grace = Microseconds(expectation.Grace),
            Hosts = hosts,
            PausedUntil = expectation.PausedUntil is { } p ? Timestamps.Normalize(p) : null,
            Tags = tags,
        };
    }

    private static CronSchedule Cron(CronSchedule cron)
    {
        try
        {
            return new CronSchedule(cron.Expression, cron.TimeZone);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"expectation.Schedule: {e.Message}", nameof(cron), e);
        }
    }

    private static HostRequirement Hosts(HostRequirement? hosts)
    {
        if (hosts is null)
        {
            throw new ArgumentNullException("expectation.Hosts", "expectation.Hosts must be given; use HostRequirement.Any for any host.");
        }

        if (hosts.Mode == HostMode.Any)
        {
            return HostRequirement.Any;
        }

        if (hosts.Hosts.Count is 0 or > MaxHosts)
        {
            throw new ArgumentException($"expectation.Hosts must list 1 to {MaxHosts} hosts for '{hosts.Mode}' (it lists {hosts.Hosts.Count}).", nameof(hosts));
        }

        for (var i = 0; i < hosts.Hosts.Count; i++)
        {
            RunValidation.Hostname(hosts.Hosts[i], $"expectation.Hosts[{i}]");
            if (i > 0 && string.Equals(hosts.Hosts[i], hosts.Hosts[i - 1], StringComparison.Ordinal))
            {
                throw new ArgumentException($"expectation.Hosts must not list '{hosts.Hosts[i]}' twice.", nameof(hosts));
            }
        }

        if (hosts.Mode == HostMode.AtLeast && (hosts.MinimumCount < 1 || hosts.MinimumCount > hosts.Hosts.Count))
        {
            throw new ArgumentOutOfRangeException("expectation.Hosts.MinimumCount", hosts.MinimumCount, $"expectation.Hosts.MinimumCount must be between 1 and the number of hosts listed ({hosts.Hosts.Count}).");
        }

        return hosts;
    }

    private static List<string> Tags(IReadOnlyList<string>? tags)
    {
        if (tags is null)
        {
            throw new ArgumentNullException("expectation.Tags", "expectation.Tags must be given; use an empty list for none.");
        }

        if (tags.Count > MaxTags)
        {
            throw new ArgumentException($"expectation.Tags must hold at most {MaxTags} tags (it holds {tags.Count}).", nameof(tags));
        }

        var sorted = new List<string>(tags.Count);
        for (var i = 0; i < tags.Count; i++)
        {
            sorted.Add(RunValidation.Hostname(tags[i] ?? throw new ArgumentNullException($"expectation.Tags[{i}]", $"expectation.Tags[{i}] must not be null."), $"expectation.Tags[{i}]"));
        }

        sorted.Sort(StringComparer.Ordinal);
        for (var i = 1; i < sorted.Count; i++)
        {
            if (string.Equals(sorted[i], sorted[i - 1], StringComparison.Ordinal))
            {
                throw new ArgumentException($"expectation.Tags must not hold '{sorted[i]}' twice.", nameof(tags));
            }
        }

        return sorted;
    }

    private static void Range(TimeSpan value, TimeSpan min, TimeSpan max, string field)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(field, value, $"{field} must be between {DurationText.Format(min)} and {DurationText.Format(max)} (it is {DurationText.Format(value)}).");
        }
    }

    /// <summary>Stores keep microseconds, so the value compared for "unchanged" is the one a store gives back.</summary>
    private static TimeSpan Microseconds(TimeSpan value) => TimeSpan.FromTicks(value.Ticks - (value.Ticks % TimeSpan.TicksPerMicrosecond));
}

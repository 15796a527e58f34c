using ScriptMonitor.Health;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Application.Expectations;

/// <summary>
/// A change to a script's expectation: each field given replaces that field of the current expectation (or of the
/// defaults, for a new one); a field left null keeps its value. Setting the same values again changes nothing.
/// </summary>
/// <param name="Every">A run every so long (1m to 366d), counted from the last successful start.</param>
/// <param name="Cron">A run at each occurrence of this cron expression; not with <paramref name="Every"/>.</param>
/// <param name="TimeZone">The IANA time zone of <paramref name="Cron"/>; only with it. UTC when not given.</param>
/// <param name="Grace">How long past its due time a run may start.</param>
/// <param name="MinRuntime">The shortest normal runtime.</param>
/// <param name="MaxRuntime">The longest normal runtime.</param>
/// <param name="Hosts">The hosts that must run the script: each of them, or <paramref name="AtLeast"/> of them.</param>
/// <param name="AtLeast">How many of <paramref name="Hosts"/> must run it; only with them.</param>
/// <param name="FailuresTolerated">Consecutive failures tolerated.</param>
/// <param name="AbandonAfter">After how long a run in progress is presumed abandoned.</param>
/// <param name="SkipsBeforeAlert">Skipped runs in a row before the script is <see cref="HealthState.Skipped"/>.</param>
/// <param name="Pause">Pause alerting; not with <paramref name="Resume"/>.</param>
/// <param name="Until">When the pause ends by itself, in the future; only with <paramref name="Pause"/>.</param>
/// <param name="Resume">Lift a pause.</param>
/// <param name="Tags">The labels, replacing the current ones.</param>
public sealed record ExpectationPatch(
    TimeSpan? Every = null,
    string? Cron = null,
    string? TimeZone = null,
    TimeSpan? Grace = null,
    TimeSpan? MinRuntime = null,
    TimeSpan? MaxRuntime = null,
    IReadOnlyList<string>? Hosts = null,
    int? AtLeast = null,
    int? FailuresTolerated = null,
    TimeSpan? AbandonAfter = null,
    int? SkipsBeforeAlert = null,
    bool Pause = false,
    DateTimeOffset? Until = null,
    bool Resume = false,
    IReadOnlyList<string>? Tags = null)
{
    /// <summary>The rule key of two fields given together that exclude one another.</summary>
    public const string ExclusiveRule = "exclusive";

    /// <summary>The rule key of a field given without the one it belongs to.</summary>
    public const string RequiresRule = "requires";

    /// <summary>The rule key of a pause's end that is not in the future.</summary>
    public const string FutureRule = "in-future";

    /// <summary>The prefix of the paths of this record's fields in a <see cref="FieldError"/>.</summary>
    private const string Prefix = "patch.";

    /// <summary>Whether the patch changes anything at all.</summary>
    public bool IsEmpty => this == new ExpectationPatch();

    /// <summary>
    /// Checks the rules between fields and builds the change: the schedule and the hosts are read here, so that a bad
    /// cron expression or host name is refused before any store is opened.
    /// </summary>
    /// <param name="now">The instant a pause's end must be after.</param>
    /// <returns>The change, to apply to the current expectation.</returns>
    /// <exception cref="ValidationException">A rule is broken; paths <c>patch.Every</c>, <c>patch.Cron</c>, … (and the schedule's and hosts' own).</exception>
    public Func<ScriptExpectation, ScriptExpectation> ToChange(DateTimeOffset now)
    {
        var errors = new List<FieldError>();
        Exclusive(errors, Every is not null && Cron is not null, nameof(Every), nameof(Cron), "a schedule is a period or a cron expression.");
        Requires(errors, TimeZone is not null && Cron is null, nameof(TimeZone), nameof(Cron), "is the time zone of a cron schedule: give it with");
        Requires(errors, AtLeast is not null && Hosts is null, nameof(AtLeast), nameof(Hosts), "counts hosts of a list: give it with");
        Exclusive(errors, Pause && Resume, nameof(Pause), nameof(Resume), null);
        Requires(errors, Until is not null && !Pause, nameof(Until), nameof(Pause), "ends a pause: give it with");
        if (Until is { } until && until <= now)
        {
            errors.Add(new FieldError(Prefix + nameof(Until), FutureRule, $"{Prefix}{nameof(Until)} ({Timestamps.FormatIso(until)}) must be in the future."));
        }

        if (errors.Count > 0)
        {
            throw new ValidationException(errors);
        }

        Schedule? schedule = Every is { } every ? Schedule.Every(every) : Cron is { } cron ? Schedule.Cron(cron, TimeZone ?? CronSchedule.DefaultTimeZone) : null;
        var hosts = Hosts is { } list ? HostsOf(list) : null;
        return current => current with
        {
            Schedule = schedule ?? current.Schedule,
            Grace = Grace ?? current.Grace,
            MinRuntime = MinRuntime ?? current.MinRuntime,
            MaxRuntime = MaxRuntime ?? current.MaxRuntime,
            Hosts = hosts ?? current.Hosts,
            FailuresTolerated = FailuresTolerated ?? current.FailuresTolerated,
            AbandonAfter = AbandonAfter ?? current.AbandonAfter,
            SkipsBeforeAlert = SkipsBeforeAlert ?? current.SkipsBeforeAlert,
            Paused = Pause || (!Resume && current.Paused),
            PausedUntil = Pause ? Until : Resume ? null : current.PausedUntil,
            Tags = Tags ?? current.Tags,
        };
    }

    private HostRequirement HostsOf(IReadOnlyList<string> hosts)
    {
        for (var i = 0; i < hosts.Count; i++)
        {
            RunValidation.Hostname(hosts[i], $"{Prefix}{nameof(Hosts)}");
        }

        return AtLeast is { } k ? HostRequirement.AtLeast(k, hosts) : HostRequirement.Each(hosts);
    }

    private static void Exclusive(List<FieldError> errors, bool broken, string field, string other, string? why)
    {
        if (broken)
        {
            errors.Add(new FieldError(Prefix + field, ExclusiveRule, $"{Prefix}{field} and {Prefix}{other} exclude one another{(why is null ? "." : ": " + why)}") { OtherPath = Prefix + other });
        }
    }

    private static void Requires(List<FieldError> errors, bool broken, string field, string other, string sentence)
    {
        if (broken)
        {
            errors.Add(new FieldError(Prefix + field, RequiresRule, $"{Prefix}{field} {sentence} {Prefix}{other}.") { OtherPath = Prefix + other });
        }
    }
}

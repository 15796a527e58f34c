using ScriptMonitor.Health.Cron;
using ScriptMonitor.Runs;

namespace ScriptMonitor.Health;

/// <summary>
/// One run at each time Debian's cron would run a crontab line with this schedule, on a host whose clock is in an
/// IANA time zone. This is the one place that reads cron expressions; every part of ScriptMonitor that needs to know
/// when a cron job is due asks it.
/// </summary>
/// <remarks>
/// <para>The fields mean what crontab(5) says: minute, hour, day-of-month, month (or jan–dec) and day-of-week
/// (0–7 or sun–sat, 0 and 7 being Sunday), each <c>*</c>, a value, a range, a range or <c>*</c> with a step, or a
/// list of those; or one of @yearly, @annually, @monthly, @weekly, @daily, @midnight and @hourly. When both day
/// fields are restricted and neither starts with <c>*</c>, a day matches when <em>either</em> matches:
/// <c>30 4 1,15 * 5</c> runs on the 1st, the 15th and every Friday.</para>
/// <para>Clock changes follow cron(8): a fixed-time job whose time is skipped by a change forward of less than
/// 3 hours runs right after the change; one whose time is repeated by a change back runs once. A job with
/// <c>*</c> at the start of its minute or hour field runs by the clock: not in skipped time, in both passes of
/// repeated time. Larger changes are taken as they come.</para>
/// <para>Refused, with a message that names the field and the rule: anything cron would refuse or read otherwise,
/// @reboot (it has no time), a seconds field (cron has none), and a schedule that does not fire at least once in
/// every 2,922 days (8 years, the longest wait for a February 29th), such as <c>0 0 30 2 *</c>.</para>
/// </remarks>
public sealed record CronSchedule : Schedule
{
    /// <summary>The time zone when none is given.</summary>
    public const string DefaultTimeZone = "UTC";

    /// <summary>The path of a time zone error: the constructor's parameter.</summary>
    internal const string TimeZoneParameter = "timeZone";

    private readonly CronOccurrences? _occurrences;

    /// <summary>Parses the expression and finds the time zone.</summary>
    /// <param name="expression">Five fields (minute hour day-of-month month day-of-week), or an @-name such as <c>@daily</c>.</param>
    /// <param name="timeZone">An IANA time zone such as <c>Europe/Berlin</c>.</param>
    /// <exception cref="ValidationException">The expression is not a cron schedule, never fires or fires too rarely (the
    /// field <c>expression</c>, the rule <c>cron-expression</c>), or the time zone is unknown (<c>timeZone</c>, <c>time-zone</c>).</exception>
    public CronSchedule(string expression, string timeZone = DefaultTimeZone)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(timeZone);
        Expression = expression.Trim();
        TimeZone = timeZone.Trim();
        var fields = CronParser.Parse(Expression);
        _occurrences = new CronOccurrences(fields, ZoneTimeline.For(FindZone(TimeZone)));
    }

    /// <summary>A schedule read back from a store that may hold one no longer accepted; <see cref="Problem"/> says why.</summary>
    private CronSchedule(string expression, string timeZone, string problem)
    {
        Expression = expression;
        TimeZone = timeZone;
        Problem = problem;
    }

    /// <summary>The cron expression as given, trimmed.</summary>
    public string Expression { get; }

    /// <summary>The IANA time zone the expression is read in.</summary>
    public string TimeZone { get; }

    /// <summary>
    /// Why a schedule read from a store cannot be evaluated (it was stored before the rules it breaks existed), or
    /// null for a valid one. Reading it fails for that one script only, and the message says what to change.
    /// </summary>
    internal string? Problem { get; }

    /// <inheritdoc/>
    public override string Describe() => $"at '{Expression}' ({TimeZone})";

    /// <inheritdoc/>
    public bool Equals(CronSchedule? other) =>
        other is not null && string.Equals(Expression, other.Expression, StringComparison.Ordinal) && string.Equals(TimeZone, other.TimeZone, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Expression, TimeZone);

    /// <summary>
    /// The schedule a store holds. Never throws: a schedule stored before today's rules (a seconds field, Quartz
    /// syntax, one that never fires) comes back with a <see cref="Problem"/>, so that one script cannot make every
    /// other one unreadable.
    /// </summary>
    /// <param name="expression">The cron expression as stored.</param>
    /// <param name="timeZone">The time zone as stored.</param>
    public static CronSchedule Restore(string expression, string timeZone)
    {
        try
        {
            return new CronSchedule(expression, timeZone);
        }
        catch (ArgumentException e)
        {
            return new CronSchedule(expression, timeZone, e.Message.Replace($" (Parameter '{e.ParamName}')", string.Empty, StringComparison.Ordinal));
        }
    }

    /// <summary>The next occurrence strictly after <paramref name="instant"/>, or null if there is none in reach.</summary>
    /// <exception cref="InvalidOperationException">The schedule has a <see cref="Problem"/>.</exception>
    public DateTimeOffset? Next(DateTimeOffset instant) => Utc(Occurrences.Next(instant.UtcDateTime));

    /// <summary>The latest occurrence at or before <paramref name="instant"/>, or null if there is none in reach.</summary>
    /// <exception cref="InvalidOperationException">The schedule has a <see cref="Problem"/>.</exception>
    public DateTimeOffset? Previous(DateTimeOffset instant) => Utc(Occurrences.Previous(instant.UtcDateTime));

    /// <summary>How many occurrences fall in (<paramref name="after"/>, <paramref name="atOrBefore"/>], counting no further than <paramref name="cap"/>.</summary>
    /// <exception cref="InvalidOperationException">The schedule has a <see cref="Problem"/>.</exception>
    internal int CountBetween(DateTimeOffset after, DateTimeOffset atOrBefore, int cap)
    {
        var count = 0;
        var cursor = after;
        while (count < cap && Next(cursor) is { } next && next <= atOrBefore)
        {
            count++;
            cursor = next;
        }

        return count;
    }

    private CronOccurrences Occurrences => _occurrences
        ?? throw new InvalidOperationException($"The stored schedule {Describe()} cannot be evaluated: {Reason}");

    /// <summary>The problem as the rest of a sentence about this schedule: "it never fires: …".</summary>
    private string? Reason => Problem?.Replace($"{CronParser.Parameter} '{Expression}' ", "it ", StringComparison.Ordinal);

    private static DateTimeOffset? Utc(DateTime? utc) => utc is { } value ? new DateTimeOffset(value.Ticks, TimeSpan.Zero) : null;

    /// <summary>The system's zone of an IANA id.</summary>
    /// <exception cref="ValidationException">The zone is empty or unknown (the field <c>timeZone</c>, the rule <c>time-zone</c>).</exception>
    internal static TimeZoneInfo FindZone(string timeZone)
    {
        const string Parameter = TimeZoneParameter;
        if (timeZone.Length == 0)
        {
            throw ValidationException.Of(Parameter, FieldRules.TimeZone, $"{Parameter} must be an IANA time zone such as Europe/Berlin; it is empty.");
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        }
        catch (TimeZoneNotFoundException)
        {
            throw ValidationException.Of(Parameter, FieldRules.TimeZone, $"{Parameter} must be an IANA time zone such as Europe/Berlin ('{timeZone}' is not known).");
        }
        catch (Exception e) when (e is InvalidTimeZoneException or System.Security.SecurityException or IOException or UnauthorizedAccessException)
        {
            // A directory such as 'Europe/' is found but is no zone; an unreadable file is no zone either.
            throw ValidationException.Of(Parameter, FieldRules.TimeZone, $"{Parameter} '{timeZone}' is not a time zone that can be read: {e.Message}");
        }
    }
}

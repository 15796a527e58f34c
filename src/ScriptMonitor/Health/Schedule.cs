namespace ScriptMonitor.Health;

/// <summary>
/// When a script is expected to run: every fixed <see cref="PeriodSchedule"/>, or at the occurrences of a
/// <see cref="CronSchedule"/> in a time zone.
/// </summary>
public abstract record Schedule
{
    private protected Schedule()
    {
    }

    /// <summary>A schedule of one run every <paramref name="period"/>.</summary>
    /// <param name="period">The time between runs.</param>
    public static PeriodSchedule Every(TimeSpan period) => new(period);

    /// <summary>A schedule of one run at each occurrence of a cron expression in an IANA time zone.</summary>
    /// <param name="expression">Five fields (minute hour day-of-month month day-of-week) or an @-name such as <c>@daily</c>, read as Debian's cron reads them (see <see cref="CronSchedule"/>).</param>
    /// <param name="timeZone">An IANA time zone such as <c>Europe/Berlin</c>; <c>UTC</c> by default.</param>
    public static CronSchedule Cron(string expression, string timeZone = CronSchedule.DefaultTimeZone) => new(expression, timeZone);

    /// <summary>How the schedule reads in a sentence: <c>every 1h</c> or <c>at '30 2 * * *' (Europe/Berlin)</c>.</summary>
    public abstract string Describe();
}

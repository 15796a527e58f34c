using Cronos;

namespace ScriptMonitor.Health;

/// <summary>
/// One run at each occurrence of a cron expression, read in an IANA time zone so that a job at 02:30 Berlin time
/// is expected at 02:30 Berlin time on both sides of a daylight-saving change (Cronos's rules: an occurrence in a
/// skipped hour runs at the end of the gap, one in a repeated hour runs once).
/// </summary>
public sealed record CronSchedule : Schedule
{
    /// <summary>The time zone when none is given.</summary>
    public const string DefaultTimeZone = "UTC";

    /// <summary>How far back to look for the previous occurrence: a February 29th job occurs once in up to eight years.</summary>
    private static readonly TimeSpan MaxLookBack = TimeSpan.FromDays(8 * 366);

    /// <summary>The first step of the backwards search; doubled until an occurrence is found.</summary>
    private static readonly TimeSpan FirstLookBack = TimeSpan.FromMinutes(1);

    private const int FieldsWithSeconds = 6;

    private readonly CronExpression _cron;
    private readonly TimeZoneInfo _zone;

    /// <summary>Parses the expression and finds the time zone.</summary>
    /// <param name="expression">Five fields (minute hour day month weekday), or six with seconds first.</param>
    /// <param name="timeZone">An IANA time zone such as <c>Europe/Berlin</c>.</param>
    /// <exception cref="ArgumentException">The expression does not parse, or the time zone is unknown.</exception>
    public CronSchedule(string expression, string timeZone = DefaultTimeZone)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(expression);
        ArgumentException.ThrowIfNullOrWhiteSpace(timeZone);
        Expression = expression.Trim();
        TimeZone = timeZone.Trim();
        var format = Expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == FieldsWithSeconds ? CronFormat.IncludeSeconds : CronFormat.Standard;
        try
        {
            _cron = CronExpression.Parse(Expression, format);
        }
        catch (CronFormatException e)
        {
            throw new ArgumentException($"{nameof(expression)} must be a cron expression of five fields (or six with seconds): {e.Message}", nameof(expression), e);
        }

        try
        {
            _zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        }
        catch (TimeZoneNotFoundException e)
        {
            throw new ArgumentException($"{nameof(timeZone)} must be an IANA time zone such as Europe/Berlin ('{TimeZone}' is not known).", nameof(timeZone), e);
        }
        catch (InvalidTimeZoneException e)
        {
            throw new ArgumentException($"{nameof(timeZone)} '{TimeZone}' could not be read: {e.Message}", nameof(timeZone), e);
        }
    }

    /// <summary>The cron expression as given, trimmed.</summary>
    public string Expression { get; }

    /// <summary>The IANA time zone the expression is read in.</summary>
    public string TimeZone { get; }

    /// <inheritdoc/>
    public override string Describe() => $"at '{Expression}' ({TimeZone})";

    /// <inheritdoc/>
    public bool Equals(CronSchedule? other) =>
        other is not null && string.Equals(Expression, other.Expression, StringComparison.Ordinal) && string.Equals(TimeZone, other.TimeZone, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Expression, TimeZone);

    /// <summary>The next occurrence strictly after <paramref name="instant"/>, or null if there is none.</summary>
    internal DateTimeOffset? Next(DateTimeOffset instant) => _cron.GetNextOccurrence(instant, _zone);

    /// <summary>The latest occurrence at or before <paramref name="instant"/>, or null if there is none in reach.</summary>
    internal DateTimeOffset? Previous(DateTimeOffset instant)
    {
        for (var lookBack = FirstLookBack; lookBack <= MaxLookBack * 2; lookBack *= 2)
        {
            var from = instant - (lookBack < MaxLookBack ? lookBack : MaxLookBack);
            if (_cron.GetNextOccurrence(from, _zone, inclusive: true) is { } first && first <= instant)
            {
                var latest = first;
                while (_cron.GetNextOccurrence(latest, _zone) is { } next && next <= instant)
                {
                    latest = next;
                }

                return latest;
            }

            if (lookBack >= MaxLookBack)
            {
                break;
            }
        }

        return null;
    }

    /// <summary>How many occurrences fall in (<paramref name="after"/>, <paramref name="atOrBefore"/>], counting no further than <paramref name="cap"/>.</summary>
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
}

using System.Numerics;

namespace ScriptMonitor.Health.Cron;

/// <summary>
/// The five fields of a cron line as Debian's cron holds them: one bit per value, plus the two facts about how the
/// fields were written that change what they mean (crontab(5), cron(8)).
/// </summary>
/// <remarks>
/// <para>Days: when the day-of-month or the day-of-week field starts with <c>*</c> (<c>*</c>, <c>*/2</c>,
/// <c>*,5</c>), a day matches when both fields match it; otherwise when either does. So <c>30 4 1,15 * 5</c> runs
/// on the 1st, the 15th and every Friday, and <c>0 0 */2 * 1</c> on the odd days that are Mondays.</para>
/// <para>Clock changes: a job is a wildcard job when its minute or hour field starts with <c>*</c> (and
/// <c>@hourly</c>); every other job is a fixed-time job. Cron treats them differently when the clock jumps
/// (see <see cref="CronOccurrences"/>).</para>
/// <para>Everything here works on local wall-clock time without a zone: a <see cref="DateTime"/> whose kind is ignored.</para>
/// </remarks>
internal sealed class CronFields
{
    private const int DaysInWeek = 7;

    /// <summary>Bit d set for the days 1..n of a month of n days.</summary>
    private static readonly uint[] MonthDays = Enumerable.Range(0, 32).Select(n => n == 0 ? 0u : ((1u << (n + 1)) - 2)).ToArray();

    /// <summary>
    /// For a month whose 1st falls on weekday w (index w), bit d is set when day d falls on a weekday of the
    /// day-of-week field; computed once so that a month's matching days are one mask operation.
    /// </summary>
    private readonly uint[] _weekdayDays = new uint[DaysInWeek];

    internal CronFields(ulong minutes, uint hours, uint days, ushort months, byte weekdays, bool bothDaysMustMatch, bool wildcard)
    {
        Minutes = minutes;
        Hours = hours;
        Days = days;
        Months = months;
        Weekdays = weekdays;
        BothDaysMustMatch = bothDaysMustMatch;
        Wildcard = wildcard;
        for (var first = 0; first < DaysInWeek; first++)
        {
            var mask = 0u;
            for (var day = 1; day <= 31; day++)
            {
                if ((weekdays & (1 << ((first + day - 1) % DaysInWeek))) != 0)
                {
                    mask |= 1u << day;
                }
            }

            _weekdayDays[first] = mask;
        }
    }

    /// <summary>Bit m (0..59) for each minute.</summary>
    internal ulong Minutes { get; }

    /// <summary>Bit h (0..23) for each hour.</summary>
    internal uint Hours { get; }

    /// <summary>Bit d (1..31) for each day of the month.</summary>
    internal uint Days { get; }

    /// <summary>Bit m (1..12) for each month.</summary>
    internal ushort Months { get; }

    /// <summary>Bit w (0..6, Sunday 0) for each day of the week; 7 is folded into 0 when parsing.</summary>
    internal byte Weekdays { get; }

    /// <summary>True when the day-of-month or the day-of-week field starts with <c>*</c>: a day must match both.</summary>
    internal bool BothDaysMustMatch { get; }

    /// <summary>True when the minute or the hour field starts with <c>*</c> (cron's MIN_STAR or HR_STAR).</summary>
    internal bool Wildcard { get; }

    /// <summary>The days of the month that match, bit d for day d.</summary>
    internal uint MatchingDays(int year, int month)
    {
        if ((Months & (1 << month)) == 0)
        {
            return 0;
        }

        var first = (int)new DateTime(year, month, 1).DayOfWeek;
        var weekdays = _weekdayDays[first];
        var days = BothDaysMustMatch ? Days & weekdays : Days | weekdays;
        return days & MonthDays[DateTime.DaysInMonth(year, month)];
    }

    /// <summary>The first matching minute at or after <paramref name="from"/> (a whole minute) and before <paramref name="limit"/>.</summary>
    internal DateTime? NextAtOrAfter(DateTime from, DateTime limit)
    {
        var year = from.Year;
        var month = from.Month;
        var day = from.Day;
        var hour = from.Hour;
        var minute = from.Minute;
        var (lastYear, lastMonth) = (limit.Year, limit.Month);
        while (year < lastYear || (year == lastYear && month <= lastMonth))
        {
            var days = MatchingDays(year, month) >> day << day;
            while (days != 0)
            {
                var found = BitOperations.TrailingZeroCount(days);
                if (found != day)
                {
                    (hour, minute) = (0, 0);
                }

                if (TimeAtOrAfter(hour, minute) is { } time)
                {
                    var candidate = new DateTime(year, month, found, time.Hour, time.Minute, 0);
                    return candidate < limit ? candidate : null;
                }

                days &= days - 1;
            }

            if (year == DateTime.MaxValue.Year && month == 12)
            {
                return null;
            }

            (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1);
            (day, hour, minute) = (1, 0, 0);
        }

        return null;
    }

    /// <summary>The last matching minute at or before <paramref name="atOrBefore"/> (a whole minute) and after <paramref name="floor"/>.</summary>
    internal DateTime? PreviousAtOrBefore(DateTime atOrBefore, DateTime floor)
    {
        var year = atOrBefore.Year;
        var month = atOrBefore.Month;
        var day = atOrBefore.Day;
        var hour = atOrBefore.Hour;
        var minute = atOrBefore.Minute;
        var (firstYear, firstMonth) = (floor.Year, floor.Month);
        while (year > firstYear || (year == firstYear && month >= firstMonth))
        {
            // Keep the days up to and including 'day': shift the higher bits out.
            var days = day == 31 ? MatchingDays(year, month) : MatchingDays(year, month) & ((1u << (day + 1)) - 1);
            while (days != 0)
            {
                var found = 31 - BitOperations.LeadingZeroCount(days);
                if (found != day)
                {
                    (hour, minute) = (23, 59);
                }

                if (TimeAtOrBefore(hour, minute) is { } time)
                {
                    var candidate = new DateTime(year, month, found, time.Hour, time.Minute, 0);
                    return candidate > floor ? candidate : null;
                }

                days &= ~(1u << found);
            }

            if (year == DateTime.MinValue.Year && month == 1)
            {
                return null;
            }

            (year, month) = month == 1 ? (year - 1, 12) : (year, month - 1);
            (day, hour, minute) = (31, 23, 59);
        }

        return null;
    }

    private (int Hour, int Minute)? TimeAtOrAfter(int hour, int minute)
    {
        if ((Hours & (1u << hour)) != 0)
        {
            var minutes = Minutes >> minute << minute;
            if (minutes != 0)
            {
                return (hour, BitOperations.TrailingZeroCount(minutes));
            }
        }

        var hours = hour == 23 ? 0 : Hours >> (hour + 1) << (hour + 1);
        return hours == 0 ? null : (BitOperations.TrailingZeroCount(hours), BitOperations.TrailingZeroCount(Minutes));
    }

    private (int Hour, int Minute)? TimeAtOrBefore(int hour, int minute)
    {
        if ((Hours & (1u << hour)) != 0)
        {
            var minutes = Minutes & ((1UL << (minute + 1)) - 1);
            if (minutes != 0)
            {
                return (hour, 63 - BitOperations.LeadingZeroCount(minutes));
            }
        }

        var hours = Hours & ((1u << hour) - 1);
        return hours == 0 ? null : (31 - BitOperations.LeadingZeroCount(hours), 63 - BitOperations.LeadingZeroCount(Minutes));
    }
}

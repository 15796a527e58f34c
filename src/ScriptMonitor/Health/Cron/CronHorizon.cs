using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics;

namespace ScriptMonitor.Health.Cron;

/// <summary>
/// The rule that a schedule must fire at least once in every <see cref="LongestGapDays"/> days. A cron line can be
/// valid and never fire (<c>0 0 30 2 *</c>), or fire once in decades (<c>0 0 29 2 */7</c>: February 29th when it is a
/// Sunday, because a day-of-week field starting with '*' makes cron require both day fields). A monitor that
/// expects such a schedule would show the script up forever, so it is refused. The limit lets every February 29th
/// job through: leap years are 4 years apart, 8 around a century year that is not a leap year (2096 to 2104).
/// </summary>
internal static class CronHorizon
{
    /// <summary>The longest wait for a February 29th: 2096-02-29 to 2104-02-29.</summary>
    internal const int LongestGapDays = (8 * 365) + 2;

    /// <summary>The Gregorian calendar repeats, weekdays included, every 400 years (146,097 days, exactly 20,871 weeks).</summary>
    private const int CycleYears = 400;

    private const int CycleDays = 146_097;

    /// <summary>Any 400 consecutive years are a whole cycle.</summary>
    private const int CycleStart = 2000;

    /// <summary>A year that is not a leap year.</summary>
    private const int CommonYear = 2001;

    private const uint EveryDayOfMonth = 0xFFFF_FFFE;

    private const byte EveryDayOfWeek = 0x7F;

    private const double DaysPerYear = 365.2425;

    /// <summary>Results of the 400-year scan by the day fields; few distinct ones exist, so a small bound is plenty.</summary>
    private const int CacheLimit = 1_024;

    private static readonly ConcurrentDictionary<(uint Days, ushort Months, byte Weekdays), int?> LongestGaps = new();

    internal static string Rule => $"A schedule must fire at least once in every {LongestGapDays.ToString("N0", CultureInfo.InvariantCulture)} days (8 years, the longest wait for a February 29th).";

    /// <summary>Null when the schedule fires often enough; otherwise the sentence that says why it does not.</summary>
    internal static string? Problem(string text, string dayOfMonth, string month, string dayOfWeek, CronFields fields)
    {
        // Either day field matches: every month has every weekday, so the schedule fires in each of its months.
        if (!fields.BothDaysMustMatch || fields.Days == EveryDayOfMonth)
        {
            return null;
        }

        var gap = fields.Weekdays == EveryDayOfWeek ? DatesOnly(fields) : LongestGap(fields);
        if (gap is null)
        {
            return $"{CronParser.Parameter} '{text}' never fires: no month of the month field '{month}' has a day of the day-of-month field '{dayOfMonth}' (February has at most 29 days; April, June, September and November have 30). {Rule}";
        }

        if (gap <= LongestGapDays)
        {
            return null;
        }

        var starred = dayOfMonth.StartsWith('*') ? "day-of-month" : "day-of-week";
        var years = (gap.Value / DaysPerYear).ToString("0", CultureInfo.InvariantCulture);
        return $"{CronParser.Parameter} '{text}' fires too rarely: because the {starred} field starts with '*', cron runs it only on days that match both the day-of-month field '{dayOfMonth}' and the day-of-week field '{dayOfWeek}', and in the months '{month}' such days can be {gap.Value.ToString("N0", CultureInfo.InvariantCulture)} days (about {years} years) apart. {Rule} To run on the days that match either field, write neither field with a leading '*'.";
    }

    /// <summary>The most days between two consecutive days on which the schedule fires, or null when it never fires.</summary>
    private static int? LongestGap(CronFields fields)
    {
        var key = (fields.Days, fields.Months, fields.Weekdays);
        if (LongestGaps.TryGetValue(key, out var known))
        {
            return known;
        }

        var gap = ScanCycle(fields);
        if (LongestGaps.Count < CacheLimit)
        {
            LongestGaps.TryAdd(key, gap);
        }

        return gap;
    }

    /// <summary>
    /// Dates without a weekday rule fire every year when one of their months has the day in a common year, else only
    /// on February 29th (every leap year: within the limit), else never; no need to walk the calendar.
    /// </summary>
    private static int? DatesOnly(CronFields fields)
    {
        for (var month = 1; month <= 12; month++)
        {
            if (fields.MatchingDays(CommonYear, month) != 0)
            {
                return 0;
            }
        }

        return fields.MatchingDays(CycleStart, 2) != 0 ? LongestGapDays : null;
    }

    /// <summary>Walks one 400-year cycle month by month; only the first and last matching day of each month can bound a long gap.</summary>
    private static int? ScanCycle(CronFields fields)
    {
        int? first = null;
        var last = 0;
        var longest = 0;
        for (var year = CycleStart; year < CycleStart + CycleYears; year++)
        {
            for (var month = 1; month <= 12; month++)
            {
                var days = fields.MatchingDays(year, month);
                if (days == 0)
                {
                    continue;
                }

                var start = DateOnly.FromDateTime(new DateTime(year, month, 1)).DayNumber - 1;
                var firstDay = start + BitOperations.TrailingZeroCount(days);
                if (first is null)
                {
                    first = firstDay;
                }
                else
                {
                    longest = Math.Max(longest, firstDay - last);
                }

                last = start + 31 - BitOperations.LeadingZeroCount(days);
            }
        }

        return first is { } f ? Math.Max(longest, f + CycleDays - last) : null;
    }
}

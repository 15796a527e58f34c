using System.Collections.Concurrent;

namespace ScriptMonitor.Health.Cron;

/// <summary>
/// When a time zone's clock changes, found once per zone and UTC year and kept: <see cref="TimeZoneInfo"/> answers
/// "what is the offset at this instant" but not "when is the next change", and asking it minute by minute would
/// cost more than the whole health evaluation.
/// </summary>
/// <remarks>
/// A year is probed once a day and each change is narrowed down to the second. That finds every change as long as
/// no two changes fall within one day; since 1970 no zone of the tz database has two changes less than a week
/// apart (checked with zdump over 1970–2100), and every change since then is on a whole second.
/// </remarks>
internal sealed class ZoneTimeline
{
    /// <summary>Years outside this range are not computed: the day before and after a year must exist.</summary>
    internal static readonly DateTime Earliest = new(2, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <inheritdoc cref="Earliest"/>
    internal static readonly DateTime Latest = new(9998, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    private static readonly ConcurrentDictionary<string, ZoneTimeline> Zones = new(StringComparer.Ordinal);

    private static readonly TimeSpan ProbeStep = TimeSpan.FromDays(1);

    private static readonly TimeSpan Resolution = TimeSpan.FromSeconds(1);

    private readonly TimeZoneInfo _zone;
    private readonly TimeSpan? _fixedOffset;
    private readonly ConcurrentDictionary<int, ZoneYear> _years = new();

    /// <summary>A timeline of its own for <paramref name="zone"/>; <see cref="For"/> shares one per system zone.</summary>
    internal ZoneTimeline(TimeZoneInfo zone)
    {
        _zone = zone;
        _fixedOffset = zone.GetAdjustmentRules().Length == 0 ? zone.BaseUtcOffset : null;
    }

    internal static ZoneTimeline For(TimeZoneInfo zone) => Zones.GetOrAdd(zone.Id, static (_, z) => new ZoneTimeline(z), zone);

    /// <summary>The offset from UTC in force at <paramref name="utc"/>.</summary>
    internal TimeSpan OffsetAt(DateTime utc)
    {
        if (_fixedOffset is { } fixedOffset)
        {
            return fixedOffset;
        }

        var year = Year(utc.Year);
        var offset = year.OffsetAtStart;
        foreach (var change in year.Changes)
        {
            if (change.At > utc)
            {
                break;
            }

            offset = change.After;
        }

        return offset;
    }

    /// <summary>The first change with <paramref name="after"/> &lt; At ≤ <paramref name="atOrBefore"/>.</summary>
    internal ClockChange? FirstChange(DateTime after, DateTime atOrBefore)
    {
        if (_fixedOffset is not null)
        {
            return null;
        }

        for (var y = after.Year; y <= atOrBefore.Year; y++)
        {
            foreach (var change in Year(y).Changes)
            {
                if (change.At > atOrBefore)
                {
                    return null;
                }

                if (change.At > after)
                {
                    return change;
                }
            }
        }

        return null;
    }

    /// <summary>The last change with <paramref name="after"/> &lt; At ≤ <paramref name="atOrBefore"/>.</summary>
    internal ClockChange? LastChange(DateTime after, DateTime atOrBefore)
    {
        if (_fixedOffset is not null)
        {
            return null;
        }

        for (var y = atOrBefore.Year; y >= after.Year; y--)
        {
            var changes = Year(y).Changes;
            for (var i = changes.Length - 1; i >= 0; i--)
            {
                if (changes[i].At <= after)
                {
                    return null;
                }

                if (changes[i].At <= atOrBefore)
                {
                    return changes[i];
                }
            }
        }

        return null;
    }

    private ZoneYear Year(int year) => _years.GetOrAdd(year, static (y, timeline) => timeline.Compute(y), this);

    private ZoneYear Compute(int year)
    {
        var start = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var end = start.AddYears(1);
        var changes = new List<ClockChange>();

        // From the day before, so that a change at the very first instant of the year is found and kept here.
        var probe = start - ProbeStep;
        var offset = Offset(probe);
        while (probe < end)
        {
            var next = probe + ProbeStep;
            var nextOffset = Offset(next);
            if (nextOffset != offset)
            {
                var change = Narrow(probe, next, offset);
                if (change.At >= start && change.At < end)
                {
                    changes.Add(change);
                }
            }

            (probe, offset) = (next, nextOffset);
        }

        return new ZoneYear(Offset(start - Resolution), [.. changes]);
    }

    /// <summary>The offset is <paramref name="before"/> at <paramref name="low"/> and something else at <paramref name="high"/>: find the second it changes.</summary>
    private ClockChange Narrow(DateTime low, DateTime high, TimeSpan before)
    {
        while (high - low > Resolution)
        {
            var middle = low + TimeSpan.FromTicks((high - low).Ticks / 2 / Resolution.Ticks * Resolution.Ticks);
            if (middle == low)
            {
                middle = low + Resolution;
            }

            if (Offset(middle) == before)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return new ClockChange(high, before, Offset(high));
    }

    private TimeSpan Offset(DateTime utc) => _zone.GetUtcOffset(utc);

    /// <summary>A UTC year of a zone: the offset in force as it begins and its changes in order.</summary>
    private sealed record ZoneYear(TimeSpan OffsetAtStart, ClockChange[] Changes);
}

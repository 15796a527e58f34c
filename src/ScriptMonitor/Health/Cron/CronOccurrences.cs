namespace ScriptMonitor.Health.Cron;

/// <summary>
/// The instants at which Debian's cron runs a job of given fields in a zone, clock changes included.
/// </summary>
/// <remarks>
/// <para>Cron wakes every minute, reads the local wall clock and runs the jobs whose fields match it. When the
/// clock jumps (cron.c, "Special considerations exist when the clock is changed by less than 3 hours", cron(8)),
/// it compares the new minute with the last one it handled; <c>diff</c> below is that difference in minutes:</para>
/// <list type="bullet">
/// <item>forward, 2 to 5 (it woke up late): every job due in the skipped minutes runs right after the change;</item>
/// <item>forward, 6 to 180 (a daylight-saving start): fixed-time jobs due in the skipped minutes run right after
/// the change; wildcard jobs run only by the new time, so they do not run in the skipped minutes;</item>
/// <item>forward, more than 180: the change is taken as it comes; nothing skipped runs;</item>
/// <item>back, 0 to -179 (a daylight-saving end): until the clock is past the minute it had reached, only wildcard
/// jobs run, so a fixed-time job in the repeated time runs once and a wildcard job in both passes;</item>
/// <item>back, -180 or more: the change is taken as it comes; everything in the repeated time runs again.</item>
/// </list>
/// <para>A job runs at most once at an instant: jobs due at several skipped minutes all run right after the change,
/// and that is one occurrence here.</para>
/// </remarks>
internal sealed class CronOccurrences
{
    /// <summary>
    /// How far a search goes: twice the longest gap a valid schedule may have, so that a clock change that eats
    /// the only run of a rare day cannot make an occurrence look missing.
    /// </summary>
    internal static readonly TimeSpan SearchLimit = TimeSpan.FromDays(2 * CronHorizon.LongestGapDays);

    /// <summary>cron.c: a jump forward up to this many minutes is a late wake-up, and every skipped job runs.</summary>
    private const int LateWakeUpMinutes = 5;

    /// <summary>cron.c: a jump of up to this many minutes (3 hours) is a small change that gets special care.</summary>
    private const int SmallChangeMinutes = 3 * 60;

    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>Back changes of a small size span at most this much: beyond it a change cannot hold back a run.</summary>
    private static readonly TimeSpan RepeatedTimeLimit = TimeSpan.FromMinutes(SmallChangeMinutes);

    private readonly CronFields _fields;
    private readonly ZoneTimeline _zone;

    internal CronOccurrences(CronFields fields, ZoneTimeline zone)
    {
        _fields = fields;
        _zone = zone;
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/> (UTC), within <see cref="SearchLimit"/>.</summary>
    internal DateTime? Next(DateTime after)
    {
        if (after < ZoneTimeline.Earliest || after > ZoneTimeline.Latest - SearchLimit)
        {
            return null;
        }

        var limit = after + SearchLimit;
        var cursor = after;
        var inclusive = false;
        while (cursor < limit)
        {
            var offset = _zone.OffsetAt(cursor);
            var local = cursor + offset;
            var from = inclusive ? Ceiling(local) : Floor(local) + Minute;
            var found = _fields.NextAtOrAfter(from, limit + offset);
            var candidate = found is { } f ? f - offset : limit;

            // A change of the clock before the candidate: the candidate was read with the wrong offset.
            if (_zone.FirstChange(cursor, candidate) is { } change)
            {
                if (RunsAfter(change))
                {
                    return change.At;
                }

                (cursor, inclusive) = (change.At, true);
                continue;
            }

            if (found is null)
            {
                return null;
            }

            if (RepeatedSoFar(candidate, found.Value) is { } repeated)
            {
                // A fixed-time job in the second pass of repeated time: it ran in the first. Skip to the end of it.
                (cursor, inclusive) = (repeated.ResumeAt, true);
                continue;
            }

            return candidate;
        }

        return null;
    }

    /// <summary>The last occurrence at or before <paramref name="atOrBefore"/> (UTC), within <see cref="SearchLimit"/>.</summary>
    internal DateTime? Previous(DateTime atOrBefore)
    {
        if (atOrBefore < ZoneTimeline.Earliest + SearchLimit || atOrBefore > ZoneTimeline.Latest)
        {
            return null;
        }

        var floor = atOrBefore - SearchLimit;
        var cursor = atOrBefore;
        while (cursor > floor)
        {
            var offset = _zone.OffsetAt(cursor);
            var found = _fields.PreviousAtOrBefore(Floor(cursor + offset), floor + offset);
            var candidate = found is { } f ? f - offset : floor;

            // A change of the clock after the candidate: the candidate was read with the wrong offset.
            if (_zone.LastChange(candidate, cursor) is { } change)
            {
                if (RunsAfter(change))
                {
                    return change.At;
                }

                cursor = change.At - TimeSpan.FromTicks(1);
                continue;
            }

            if (found is null)
            {
                return null;
            }

            if (RepeatedSoFar(candidate, found.Value) is { } repeated)
            {
                cursor = repeated.Change.At - TimeSpan.FromTicks(1);
                continue;
            }

            return candidate;
        }

        return null;
    }

    /// <summary>Whether cron runs this job right after a jump forward, for the minutes the jump skipped.</summary>
    private bool RunsAfter(ClockChange change)
    {
        var (last, current) = Minutes(change);
        var diff = (current - last).Ticks / Minute.Ticks;
        if (diff <= 1 || diff > SmallChangeMinutes || (diff > LateWakeUpMinutes && _fields.Wildcard))
        {
            return false;
        }

        // The skipped minutes lie strictly between the last one handled and the current one.
        return _fields.NextAtOrAfter(last + Minute, current) is not null;
    }

    /// <summary>
    /// For a fixed-time job at <paramref name="instant"/> (local <paramref name="local"/>) in time that a small
    /// change back repeats, when cron has already passed that minute: the change, and where the repeat ends.
    /// </summary>
    private (ClockChange Change, DateTime ResumeAt)? RepeatedSoFar(DateTime instant, DateTime local)
    {
        if (_fields.Wildcard || _zone.LastChange(instant - RepeatedTimeLimit, instant) is not { } change || change.After >= change.Before)
        {
            return null;
        }

        var (last, current) = Minutes(change);
        var diff = (current - last).Ticks / Minute.Ticks;
        if (diff <= -SmallChangeMinutes || local > last)
        {
            return null;
        }

        // Cron runs fixed-time jobs again from the minute after the last one it had handled, on the new clock.
        return (change, last + Minute - change.After);
    }

    /// <summary>The last local minute cron handled before the change, and the one it reads right after it.</summary>
    private static (DateTime Last, DateTime Current) Minutes(ClockChange change) =>
        (Floor(change.At - TimeSpan.FromTicks(1) + change.Before), Floor(change.At + change.After));

    private static DateTime Floor(DateTime value) => new(value.Ticks - (value.Ticks % Minute.Ticks), value.Kind);

    private static DateTime Ceiling(DateTime value) => value.Ticks % Minute.Ticks == 0 ? value : Floor(value) + Minute;
}
